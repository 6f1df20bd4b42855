package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.minio.Samples.at;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.source.SourceInfo;

/**
 * MinIO's posts through the real webhook servlet (Jetty, HTTP/1.1 keep-alive), the real recorder
 * and store, found again with LookupEvents as realworld case 06 requires.
 */
class WebhookEndToEndTest {
  @TempDir Path dir;
  WebhookFixture f;

  @BeforeEach
  void open() throws Exception {
    f = new WebhookFixture(dir);
  }

  @AfterEach
  void close() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  /** The realworld entry at a recent time (the history keeps 90 days), one line. */
  static String entry(String time, String requestId) {
    return EventJson.toString(EventJson.read(Samples.bytes(RealWorldCaseTest.CASE)))
            .replace("2024-05-09T07:38:10.449688982Z", time)
            .replace("17CDC1F4D7E69123", requestId)
        + "\n";
  }

  static Map<?, ?> answer(HttpResponse<String> r) {
    return (Map<?, ?>) EventJson.read(r.body().getBytes(StandardCharsets.UTF_8));
  }

  List<Event> lookup(LookupKey key, String value, String stream) {
    return f.query
        .lookup(
            LookupRequest.builder(WebhookFixture.ACCOUNT).stream(stream)
                .attribute(key, value)
                .maxResults(50)
                .build())
        .events();
  }

  List<Event> lookup(LookupKey key, String value) {
    return lookup(key, value, "history");
  }

  @Test
  void theRealworldEntryIsAcceptedOnceAndFoundByEveryLookup() throws Exception {
    String time = WebhookFixture.recentTime(449688982);
    String body = entry(time, "17CDC1F4D7E69123");
    HttpResponse<String> first = f.post(body);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals(1L, ((Number) answer(first).get("Accepted")).longValue());
    HttpResponse<String> retried = f.post(body);
    assertEquals(200, retried.statusCode(), retried.body());
    assertEquals(1L, ((Number) answer(retried).get("Duplicates")).longValue(), retried.body());
    f.awaitIndexed();

    for (Map.Entry<LookupKey, String> q :
        Map.of(
                LookupKey.EVENT_NAME, "PutObject",
                LookupKey.USER, "alice",
                LookupKey.EVENT_ACCESS_KEY_ID, "alice",
                LookupKey.EVENT_RW, "Write",
                LookupKey.RESOURCE_NAME, "testbucket",
                LookupKey.RESOURCE_TYPE, "ACS::OSS::Object",
                LookupKey.SERVICE_NAME, "MinIO")
            .entrySet()) {
      List<Event> found = lookup(q.getKey(), q.getValue());
      assertEquals(1, found.size(), q.toString());
    }
    Event stored = lookup(LookupKey.RESOURCE_NAME, "testbucket/hosts").get(0);
    String second = time.substring(0, 19) + "Z";
    assertEquals(second, stored.eventTime());
    List<Event> inSecond =
        f.query
            .lookup(
                LookupRequest.builder(WebhookFixture.ACCOUNT)
                    .startTime(Instant.parse(second))
                    .endTime(Instant.parse(second))
                    .build())
            .events();
    assertEquals(List.of(stored.eventId()), inSecond.stream().map(Event::eventId).toList());
    assertEquals("minio/prod", at(stored, "recordedBy", "sender"));
    assertFalse(stored.toString().contains("Signature=0000"), stored.toString());
    assertEquals(WebhookFixture.ACCOUNT, stored.recipientAccountId());
  }

  @Test
  void aGzippedBatchOfAHundredOverOneConnection() throws Exception {
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      batch.append(entry(WebhookFixture.recentTime(i), String.format("17CDC1F4D7E6%04X", i)));
    }
    byte[] body = batch.toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = f.post("prod", body, "Bearer " + WebhookFixture.TOKEN, true);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(100L, ((Number) answer(r).get("Accepted")).longValue(), r.body());
    HttpResponse<String> again = f.post("prod", body, "Bearer " + WebhookFixture.TOKEN, true);
    assertEquals(100L, ((Number) answer(again).get("Duplicates")).longValue(), again.body());
    f.awaitIndexed();
    assertEquals(50, lookup(LookupKey.USER, "alice").size(), "a page of 50 of the 100");
  }

  @Test
  void serviceInternalOperationsGoOnlyToTheInnerTrail() throws Exception {
    String body =
        Samples.text("derived-internal.ndjson")
            .replaceAll(
                "2025-03-04T10:13:00\\.(\\d)00000001Z",
                WebhookFixture.recentTime(0).replace(".000000000Z", ".$100000001Z"));
    HttpResponse<String> r = f.post(body);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(7L, ((Number) answer(r).get("Accepted")).longValue(), r.body());
    f.awaitIndexed(WebhookFixture.INNER);
    List<Event> inner = lookup(LookupKey.SERVICE_NAME, "MinIO", WebhookFixture.INNER);
    assertEquals(7, inner.size());
    Event heal =
        inner.stream().filter(e -> e.eventName().equals("HealObject")).findFirst().orElseThrow();
    assertEquals("WARNING", heal.getString("EventLevel"));
    assertEquals("ALIYUN_INITIATED_SERVICE", heal.getString("EventType"));
    f.awaitIndexed();
    assertEquals(List.of(), lookup(LookupKey.SERVICE_NAME, "MinIO"), "not in the history");

    f.innerTrails.disable(WebhookFixture.ACCOUNT);
    HttpResponse<String> notCollected =
        f.post(body.replace("replicate:incoming", "replicate:existing"));
    assertEquals(200, notCollected.statusCode());
    assertEquals(
        7L, ((Number) answer(notCollected).get("NotCollected")).longValue(), notCollected.body());
  }

  @Test
  void refusedPostsAreAnsweredInActionTrailsShapeAndRecorded() throws Exception {
    String body = entry(WebhookFixture.recentTime(1), "17CDC1F4D7E6FFFF");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> noToken = f.post("prod", bytes, null, false);
    assertEquals(401, noToken.statusCode());
    assertEquals("InvalidToken", answer(noToken).get("Code"));
    HttpResponse<String> rawToken = f.post("prod", bytes, WebhookFixture.TOKEN, false);
    assertEquals(401, rawToken.statusCode(), "MinIO's auth_token must be 'Bearer <token>'");
    HttpResponse<String> tooLarge = f.post("small", bytes, "Bearer " + WebhookFixture.TOKEN, false);
    assertEquals(413, tooLarge.statusCode());
    HttpResponse<String> notJson = f.post("client_id=minio&client_secret=hunter2");
    assertEquals(400, notJson.statusCode());
    assertEquals("MalformedPayload", answer(notJson).get("Code"));
    assertFalse(notJson.body().contains("hunter2"));
    f.awaitIndexed();
    List<Event> refused = lookup(LookupKey.EVENT_NAME, "PostAuditLog");
    assertEquals(4, refused.size());
    assertTrue(refused.stream().noneMatch(e -> e.toString().contains("hunter2")));
  }

  @Test
  void oneBadEntryDoesNotHoldBackTheBatch() throws Exception {
    String body =
        entry(WebhookFixture.recentTime(2), "17CDC1F4D7E60001")
            + "{\"version\":\"1\",\"time\":\"later\",\"api\":{\"name\":\"GetObject\"}}\n"
            + entry(WebhookFixture.recentTime(3), "17CDC1F4D7E60002")
            + entry("2024-05-09T07:38:10.449688982Z", "17CDC1F4D7E60003");
    HttpResponse<String> r = f.post(body);
    assertEquals(200, r.statusCode(), r.body());
    Map<?, ?> a = answer(r);
    assertEquals(2L, ((Number) a.get("Accepted")).longValue(), r.body());
    assertEquals(1L, ((Number) a.get("Unreadable")).longValue(), r.body());
    assertEquals(1L, ((Number) a.get("Rejected")).longValue(), "older than the history keeps");
  }

  @Test
  void theSourceSaysWhatItSupports() {
    SourceInfo info = new MinioSource().info();
    assertEquals("minio", info.name());
    assertEquals("MinIO", info.serviceName());
    assertEquals(List.of("ACS::OSS::Bucket", "ACS::OSS::Object"), info.resourceTypes());
    assertTrue(info.serviceInternal());
    assertTrue(info.eventNames().containsAll(List.of("PutObject", "ILMExpiry", "AddUser")));
    assertEquals("/sources/minio/<instance>", info.path());
  }
}
