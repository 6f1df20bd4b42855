package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.minio.Samples.assertAbsent;
import static org.opentrail.source.minio.Samples.at;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrail.api.event.Event;
import org.opentrail.internal.source.Translation;

/** MinIO audit entries as published from 2018 to 2026 (sources in resources/minio/SOURCES.md). */
class PublishedSamplesTest {
  static final Pattern WHOLE_SECONDS =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
  static final Pattern SIGNATURE = Pattern.compile("(?i)signature\"?[=:]\"?[0-9a-f]{40,}");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "realworld-06-current-2024-putobject.json",
        "docs-2024-05-09-kafka-putobject.ndjson",
        "docs-2018-11-02-listbuckets.json",
        "docs-2018-11-21-sts-putobject.json",
        "docs-2019-08-12-putobject.json",
        "docs-2021-01-26-objecterasuremap.json",
        "docs-2021-07-13-kafka-listbuckets.ndjson",
        "docs-2021-10-08-putobject-sse-kms.json",
        "pr17081-ilm-transition-and-expiry.ndjson",
        "pr17110-ilm-expiry-newer-noncurrent.json",
        "pr16954-ilm-expiry-version.json",
        "capture-2026-deleteobject-worm-400.json",
        "capture-2026-presigned-delete-403.json"
      })
  void everyPublishedEntryIsRecordedWithoutItsSecrets(String name) {
    Translation t = Samples.translate(name);
    assertEquals(List.of(), t.skipped());
    for (Event e : Samples.all(t)) {
      assertTrue(WHOLE_SECONDS.matcher(e.eventTime()).matches(), e.eventTime());
      assertTrue(ApiNames.known(e.eventName()), "not in the table: " + e.eventName());
      assertEquals("MinIO", e.serviceName());
      String json = e.toString();
      assertFalse(SIGNATURE.matcher(json).find(), "a signature is left in " + json);
      assertFalse(json.contains("eyJhbGciOi"), "a JWT is left in " + json);
      assertTrue(at(e, "additionalEventData", "time") instanceof String);
    }
  }

  @Test
  void theFirstFormatOf2018HasNoStatusSoNoErrorAndNoVerifiedKey() {
    Event e = Samples.one("docs-2018-11-02-listbuckets.json");
    assertEquals("ListBuckets", e.eventName());
    assertEquals("Read", e.eventRW());
    assertEquals("Management", e.eventCategory());
    assertNull(e.resourceType());
    assertAbsent(e, "errorCode");
    // the request was signed, but the entry does not say it succeeded: who it was is not claimed
    assertEquals(Map.of("type", "unknown"), e.get("userIdentity"));
    assertEquals(Map.of(), at(e, "additionalEventData", "api", "args"));
  }

  @Test
  void temporaryCredentialsOf2018AreAnAssumedRoleFoundByTheirKey() {
    Event e = Samples.one("docs-2018-11-21-sts-putobject.json");
    assertEquals("assumed-role", at(e, "userIdentity", "type"));
    assertEquals("A1YABB5YPX3ZPL4227XJ", e.accessKeyId());
    assertNull(e.userName(), "no parentUser nor parent claim: no user name is made up");
    assertEquals("<redacted>", at(e, "requestParameters", "requestHeader", "X-Amz-Security-Token"));
    assertEquals(
        "https://localhost:9443/oauth2/token",
        at(e, "additionalEventData", "requestClaims", "iss"));
    assertEquals("my-bucketname/my-objectname", e.resourceName());
  }

  @Test
  void entriesBeforeAccessKeyWasLoggedTakeTheKeyOfASucceededSignature() {
    Event e = Samples.one("docs-2019-08-12-putobject.json");
    assertEquals("minio", e.accessKeyId());
    assertEquals("minio", e.userName());
    assertEquals("requestHeader.Authorization", at(e, "additionalEventData", "accessKeyIdFrom"));
    assertEquals("2019-08-12T21:34:37Z", e.eventTime());
    assertEquals("2.143308ms", at(e, "additionalEventData", "api", "timeToResponse"));
  }

  @Test
  void olderTagsAndResponseHeadersAreKeptAsSent() {
    Event map = Samples.one("docs-2021-01-26-objecterasuremap.json");
    assertEquals(10, at(map, "additionalEventData", "tags", "objectErasureMap", "set"));
    Event kms = Samples.one("docs-2021-10-08-putobject-sse-kms.json");
    assertEquals(
        "ac4639f6-c544-4f3f-af1e-b4c0736f67f9", at(kms, "responseElements", "x-amz-version-id"));
    assertEquals(380, at(kms, "additionalEventData", "api", "rx"));
    Event list = Samples.one("docs-2021-07-13-kafka-listbuckets.ndjson");
    assertEquals("ListBuckets", list.eventName());
    assertEquals("Read", list.eventRW());
  }

  @Test
  void lifecycleOperationsAreServiceInternalOnTheirObject() {
    Translation t = Samples.translate("pr17081-ilm-transition-and-expiry.ndjson");
    assertEquals(List.of(), t.events());
    assertEquals(2, t.serviceInternal().size());
    Event transition = t.serviceInternal().get(0);
    assertEquals("ILMTransition", transition.eventName());
    assertEquals("AliyunServiceEvent", transition.eventType());
    assertEquals("Write", transition.eventRW());
    assertEquals("Data", transition.eventCategory());
    assertEquals("bucket/obj-1", transition.resourceName());
    assertEquals(Map.of("type", "system"), transition.get("userIdentity"));
    assertEquals(" ilm:transition", at(transition, "additionalEventData", "trigger"));
    assertEquals("WARM-1", at(transition, "additionalEventData", "tags", "ilm-tier"));
    assertAbsent(transition, "requestId");
    assertAbsent(transition, "errorCode");
    Event expiry = t.serviceInternal().get(1);
    assertEquals("ILMExpiry", expiry.eventName());
    assertEquals("2023-04-29T01:00:21Z", expiry.eventTime());
    assertEquals(
        "e2df147b-5f9c-4d53-953b-00c9960e2a7a",
        ((Map<?, ?>) ((List<?>) at(expiry, "requestParameters", "objects")).get(0))
            .get("versionId"));

    Event newer =
        Samples.translate("pr17110-ilm-expiry-newer-noncurrent.json").serviceInternal().get(0);
    assertEquals(5, at(newer, "additionalEventData", "tags", "ilm-newer-noncurrent-versions"));
    Event noBucket = Samples.translate("pr16954-ilm-expiry-version.json").serviceInternal().get(0);
    assertEquals("ILMExpiry", noBucket.eventName());
    assertNull(noBucket.resourceName(), "no bucket in the entry: no resource");
  }

  @Test
  void refusedRequestsCarryTheStatusAsError() {
    Event worm = Samples.one("capture-2026-deleteobject-worm-400.json");
    assertEquals("DeleteObject", worm.eventName());
    assertEquals("400", worm.getString("errorCode"));
    assertEquals("Bad Request", worm.getString("errorMessage"));
    assertEquals("minioadmin", worm.accessKeyId());
    assertEquals(
        "390527bd-4a49-42a6-9bdf-706894ac5358",
        at(worm, "requestParameters", "requestQuery", "versionId"));

    Event presigned = Samples.one("capture-2026-presigned-delete-403.json");
    assertEquals("403", presigned.getString("errorCode"));
    assertEquals("Forbidden", presigned.getString("errorMessage"));
    assertEquals("rouser", presigned.accessKeyId());
    assertEquals(
        "<redacted>", at(presigned, "requestParameters", "requestQuery", "X-Amz-Signature"));
    assertEquals(
        "rouser/20260713/us-east-1/s3/aws4_request",
        at(presigned, "requestParameters", "requestQuery", "X-Amz-Credential"));
  }

  @Test
  void differentEntriesHaveDifferentIds() {
    Set<String> ids = new HashSet<>();
    int n = 0;
    for (String name :
        List.of(
            "realworld-06-current-2024-putobject.json",
            "docs-2024-05-09-kafka-putobject.ndjson",
            "docs-2018-11-02-listbuckets.json",
            "docs-2019-08-12-putobject.json",
            "pr17081-ilm-transition-and-expiry.ndjson",
            "capture-2026-deleteobject-worm-400.json")) {
      for (Event e : Samples.all(Samples.translate(name))) {
        ids.add(e.eventId());
        n++;
      }
    }
    assertEquals(n, ids.size());
  }

  @Test
  void theSameRequestPublishedTwiceIsOneEvent() {
    // MinIO's 2021 docs reused the 2019 entry (same time, request id, key) adding only tags: the
    // id comes from what identifies the request, so both are the same event
    assertEquals(
        Samples.one("docs-2019-08-12-putobject.json").eventId(),
        Samples.one("docs-2021-01-26-objecterasuremap.json").eventId());
  }
}
