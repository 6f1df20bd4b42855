package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.minio.Samples.at;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.LookupKey;

/** Entries whose events would break the recorder's limits (256 KiB, lookup values). */
class OversizedEntriesTest {
  static Map<String, Object> multiDelete(int n, int nameLength) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = String.format("%06d/", i) + "x".repeat(nameLength - 7);
      objects.add(Map.of("objectName", name, "versionId", "null"));
    }
    Map<String, Object> api = new LinkedHashMap<>();
    api.put("name", "DeleteMultipleObjects");
    api.put("bucket", "logs");
    api.put("objects", objects);
    api.put("status", "OK");
    api.put("statusCode", 200);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("version", "1");
    e.put("time", "2025-03-04T10:12:02.000000001Z");
    e.put("trigger", "incoming");
    e.put("api", api);
    e.put("requestID", "182A1B3C4D5E6FAA");
    e.put("accessKey", "minioadmin");
    e.put(
        "requestHeader",
        Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=minioadmin/x, Signature=ab"));
    e.put("responseHeader", Map.of("X-Amz-Request-Id", "182A1B3C4D5E6FAA"));
    return e;
  }

  @Test
  void aThousandLongObjectNamesStillMakeAnEventTheRecorderTakes() {
    Event e = Samples.translateText(EventJson.toString(multiDelete(1000, 1000))).events().get(0);
    assertTrue(e.jsonSize() <= EventRecorder.MAX_EVENT_BYTES - (8 << 10), "size " + e.jsonSize());
    assertEquals(
        List.of("responseElements", "requestParameters.requestHeader", "requestParameters.objects"),
        at(e, "additionalEventData", "truncated"));
    assertEquals(1000, at(e, "requestParameters", "objectsOmitted"));
    assertEquals("minioadmin", e.accessKeyId());
    assertEquals("logs", e.resourceName());
    List<String> names = LookupKey.RESOURCE_NAME.valuesOf(e);
    assertTrue(names.size() <= LookupKey.MAX_VALUES, "" + names.size());
    assertTrue(names.stream().allMatch(n -> n.length() <= LookupKey.MAX_VALUE_LENGTH));
  }

  @Test
  void aModestMultiDeleteKeepsEveryObject() {
    Event e = Samples.translateText(EventJson.toString(multiDelete(300, 60))).events().get(0);
    assertNull(at(e, "additionalEventData", "truncated"));
    assertEquals(300, ((List<?>) at(e, "requestParameters", "objects")).size());
    assertEquals(
        LookupKey.MAX_VALUES - 1,
        ((List<?>) at(e, "referencedResources", "ACS::OSS::Object")).size());
  }

  @Test
  void anObjectNameTooLongToLookUpLeavesTheBucketAsResource() {
    Map<String, Object> entry = multiDelete(0, 8);
    @SuppressWarnings("unchecked")
    Map<String, Object> api = (Map<String, Object>) entry.get("api");
    api.remove("objects");
    api.put("name", "PutObject");
    api.put("object", "k".repeat(1024));
    Event e = Samples.translateText(EventJson.toString(entry)).events().get(0);
    assertEquals("ACS::OSS::Bucket", e.resourceType());
    assertEquals("logs", e.resourceName());
    assertEquals("k".repeat(1024), at(e, "requestParameters", "object"));
  }

  @Test
  void aHugeHeaderIsDroppedAndSaid() {
    Map<String, Object> entry = multiDelete(1, 20);
    entry.put("requestHeader", Map.of("X-Amz-Meta-Blob", "b".repeat(300 << 10)));
    Event e = Samples.translateText(EventJson.toString(entry)).events().get(0);
    assertTrue(e.jsonSize() < EventRecorder.MAX_EVENT_BYTES);
    assertEquals(
        List.of("responseElements", "requestParameters.requestHeader"),
        at(e, "additionalEventData", "truncated"));
  }
}
