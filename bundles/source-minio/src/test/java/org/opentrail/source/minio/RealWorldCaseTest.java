package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.minio.Samples.assertAbsent;
import static org.opentrail.source.minio.Samples.at;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;

/**
 * The expectations of {@code /work/shared/realworld/06-minio-audit-current-format/case.md} on its
 * input, MinIO's documented 2024 entry ({@code mc cp} uploading an object).
 */
class RealWorldCaseTest {
  static final String CASE = "realworld-06-current-2024-putobject.json";

  @Test
  void theDocumentedEntryIsOnePutObjectByAlice() {
    Event e = Samples.one(CASE);
    assertEquals("PutObject", e.eventName());
    assertEquals("Write", e.eventRW());
    assertEquals("ApiCall", e.eventType());
    assertEquals("Data", e.eventCategory());
    assertEquals("MinIO", e.serviceName());
    assertEquals("minio.example.com:9000", e.getString("eventSource"));
    assertEquals("ram-user", at(e, "userIdentity", "type"));
    assertEquals("alice", e.userName());
    assertEquals("alice", e.accessKeyId());
    assertEquals("192.0.2.60", e.getString("sourceIpAddress"));
    assertEquals(
        "MinIO (linux; amd64) minio-go/v7.0.70 mc/RELEASE.2024-04-30T17-44-48Z",
        e.getString("userAgent"));
    assertEquals("17CDC1F4D7E69123", e.getString("requestId"));
    assertEquals("ACS::OSS::Object", e.resourceType());
    assertEquals("testbucket/hosts", e.resourceName());
    assertEquals(
        Map.of(
            "ACS::OSS::Bucket",
            List.of("testbucket"),
            "ACS::OSS::Object",
            List.of("testbucket/hosts")),
        e.get("referencedResources"));
    assertAbsent(e, "errorCode");
    assertAbsent(e, "errorMessage");
  }

  @Test
  void itIsFoundByEveryLookupTheCaseNames() {
    Event e = Samples.one(CASE);
    assertEquals(List.of("PutObject"), LookupKey.EVENT_NAME.valuesOf(e));
    assertEquals(List.of("alice"), LookupKey.USER.valuesOf(e));
    assertEquals(List.of("alice"), LookupKey.EVENT_ACCESS_KEY_ID.valuesOf(e));
    assertEquals(List.of("Write"), LookupKey.EVENT_RW.valuesOf(e));
    assertTrue(LookupKey.RESOURCE_NAME.valuesOf(e).contains("testbucket"));
    assertTrue(LookupKey.RESOURCE_NAME.valuesOf(e).contains("testbucket/hosts"));
    assertTrue(LookupKey.RESOURCE_TYPE.valuesOf(e).contains("ACS::OSS::Bucket"));
    assertTrue(LookupKey.RESOURCE_TYPE.valuesOf(e).contains("ACS::OSS::Object"));
  }

  @Test
  void eventTimeIsTheWholeSecondAndTheNanosecondsAreKept() {
    Event e = Samples.one(CASE);
    assertEquals("2024-05-09T07:38:10Z", e.eventTime());
    assertEquals("2024-05-09T07:38:10.449688982Z", at(e, "additionalEventData", "time"));
    assertEquals("13309747", at(e, "additionalEventData", "api", "timeToResponseInNS"));
    assertEquals(200, at(e, "additionalEventData", "api", "statusCode"));
    assertEquals("incoming", at(e, "additionalEventData", "trigger"));
    assertEquals(
        "90e81272-45d9-4fe8-9c45-c9a7322bf4b5", at(e, "additionalEventData", "deploymentid"));
    assertEquals(
        Map.of(
            "name",
            "hosts",
            "poolId",
            1,
            "setId",
            1,
            "drives",
            List.of("/mnt/data1", "/mnt/data2", "/mnt/data3", "/mnt/data4")),
        at(e, "additionalEventData", "tags", "objectLocation"));
  }

  @Test
  void theSignatureIsNotStoredButTheCredentialScopeIs() {
    Event e = Samples.one(CASE);
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=alice/20240509/us-east-1/s3/aws4_request,SignedHeaders=host;"
            + "x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length,Signature=<redacted>",
        at(e, "requestParameters", "requestHeader", "Authorization"));
    assertFalse(e.toString().contains("Signature=0000"), e.toString());
    assertEquals("/testbucket/hosts", at(e, "requestParameters", "requestPath"));
    assertEquals("9fe7a344ef4227d3e53751e9d88ce41e", at(e, "responseElements", "ETag"));
  }

  @Test
  void theEventIdIsDeterministicTimeOrderedAndActionTrailShaped() {
    String id = Samples.one(CASE).eventId();
    assertEquals(id, Samples.one(CASE).eventId(), "the same entry gets the same id");
    UUID u = UUID.fromString(id);
    assertEquals(8, u.version());
    assertEquals(2, u.variant());
    assertEquals(id.toUpperCase(java.util.Locale.ROOT), id);
    // the first 48 bits are the entry's time in milliseconds
    assertEquals(
        java.time.Instant.parse("2024-05-09T07:38:10.449Z").toEpochMilli(),
        u.getMostSignificantBits() >>> 16);
  }
}
