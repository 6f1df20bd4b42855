package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source bundles in a real Felix with the real bundles: installed at runtime they receive their
 * service's audit webhook, client operations land in the history and service-internal ones only in
 * the account's inner trail, every event says who recorded it, and removing the source loses
 * nothing recorded. Also: ActionTrail's own event shapes through PutEvents, and the refusals.
 */
class SourcePlatformTest {
  static final Path K8S = Instance.HOME.resolve("bundles/org.opentrail.source.kubernetes.jar");
  static final String TOKEN = "k8s-token-for-tests-0123456789abcdef";
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  /** How many events a JSON lookup answer holds. */
  static int events(String json) {
    return json.split("\"eventId\":", -1).length - 1;
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static String resource(String name) throws Exception {
    try (var in = SourcePlatformTest.class.getResourceAsStream("/sources/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  HttpResponse<String> post(int port, String path, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A kubelet's own status update: a service-internal operation, for the inner trail. */
  static String kubeletEntry(String auditId) {
    String t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS) + "";
    return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[{\"level\":"
        + "\"Metadata\",\"auditID\":\""
        + auditId
        + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/nodes/worker-1/status\","
        + "\"verb\":\"patch\",\"user\":{\"username\":\"system:node:worker-1\",\"groups\":"
        + "[\"system:nodes\"]},\"sourceIPs\":[\"192.0.2.91\"],\"userAgent\":\"kubelet/v1.30.0\","
        + "\"objectRef\":{\"resource\":\"nodes\",\"name\":\"worker-1\",\"apiVersion\":\"v1\","
        + "\"subresource\":\"status\"},\"responseStatus\":{\"code\":200},"
        + "\"requestReceivedTimestamp\":\""
        + t
        + "\",\"stageTimestamp\":\""
        + t
        + "\"}]}";
  }

  /** Case 09's times are from 2021: moved into the history's 90 days, same form. */
  static String recent(String payload) {
    String day = Instant.now().minus(1, ChronoUnit.DAYS).toString().substring(0, 10);
    return payload.replace("2021-02-10T", day + "T");
  }

  @Test
  void aSourceInstalledAtRuntimeRecordsClientAndInnerOperationsAndRemovingItLosesNothing()
      throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = Instance.withHttp(data)) {
      int port = ot.httpPort;
      assertTrue(ot.run("source:list").contains("No source is installed"));
      Files.writeString(
          data.resolve("etc/org.opentrail.source.kubernetes-lab.cfg"),
          "instance=lab\nauth.token.sha256=" + sha256(TOKEN) + "\n");
      Files.copy(K8S, data.resolve("deploy/org.opentrail.source.kubernetes.jar")); // hot deploy
      Instance.await(
          Duration.ofSeconds(30),
          () -> ot.run("source:list").contains("/sources/kubernetes/"),
          "the source in source:list");
      ApiClient.Answer services =
          new ApiClient(port).call(ot.rootKey(), "ListSupportedServices", Map.of());
      assertEquals(200, services.status(), services.body());
      assertTrue(
          services.body().contains("\"SourceName\":\"kubernetes\"")
              && services.body().contains("\"ServiceInternalOperations\":true"),
          services.body());
      Instance.await(
          Duration.ofSeconds(30),
          () -> {
            try {
              return post(port, "/sources/kubernetes/lab", null, "{}").statusCode() == 401;
            } catch (Exception e) {
              return false;
            }
          },
          "the lab webhook to answer");

      // case 09, in reverse order: one complete event
      String complete = recent(resource("case09-input-2-ResponseComplete.json"));
      String received = recent(resource("case09-input-1-RequestReceived.json"));
      assertEquals(200, post(port, "/sources/kubernetes/lab", TOKEN, complete).statusCode());
      HttpResponse<String> again = post(port, "/sources/kubernetes/lab", TOKEN, received);
      assertEquals(200, again.statusCode(), again.body());
      String found = ot.run("event:lookup --user kubernetes-admin --since 3d --json");
      assertEquals(1, events(found), found);
      assertTrue(found.contains("\"sourceIpAddress\":\"192.0.2.90\""), found);
      assertTrue(found.contains("\"sender\":\"kubernetes/lab\""), "provenance: " + found);
      assertTrue(found.contains("\"bundle\":\"org.opentrail.source.kubernetes "), found);

      // refused: a wrong token, a malformed body; each recorded as a refused call
      assertEquals(401, post(port, "/sources/kubernetes/lab", "wrong", complete).statusCode());
      HttpResponse<String> bad = post(port, "/sources/kubernetes/lab", TOKEN, "{\"kind\":");
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().contains("\"Code\"") && bad.body().contains("\"RequestId\""));
      assertTrue(
          ot.run("event:lookup --event-name PostAuditLog --since 1h --json")
              .contains("InvalidToken"));

      // service-internal: not collected without an inner trail, which needs consent and the role
      HttpResponse<String> inner =
          post(port, "/sources/kubernetes/lab", TOKEN, kubeletEntry("a-1"));
      assertTrue(inner.body().contains("\"NotCollected\":1"), inner.body());
      String refused = ot.attempt("innertrail:create lab-inner");
      assertTrue(refused != null && refused.contains("InnerTrail entitlement"), refused);
      ot.run("auth:entitle InnerTrail; auth:grant; innertrail:create lab-inner");
      inner = post(port, "/sources/kubernetes/lab", TOKEN, kubeletEntry("a-2"));
      assertTrue(inner.body().contains("\"Accepted\":1"), inner.body());
      String innerEvents = ot.run("event:lookup --logstore innertrail_lab-inner --since 1h --json");
      assertEquals(1, events(innerEvents), innerEvents);
      assertTrue(innerEvents.contains("\"EventType\":\"ALIYUN_INITIATED_SERVICE\""));
      assertFalse(
          ot.run("event:lookup --user system:node:worker-1 --since 1h").contains("worker-1"),
          "never in the history");
      assertTrue(
          ot.fails("event:record --logstore innertrail_lab-inner x.json")
              .contains("written only by OpenTrail"));

      // removing the source: gone from the list, its events stay
      Files.delete(data.resolve("deploy/org.opentrail.source.kubernetes.jar"));
      Instance.await(
          Duration.ofSeconds(30),
          () -> ot.run("source:list").contains("No source is installed"),
          "the source gone");
      assertEquals(1, events(ot.run("event:lookup --user kubernetes-admin --since 3d --json")));
      assertEquals(
          1, events(ot.run("event:lookup --logstore innertrail_lab-inner --since 1h --json")));
    }
  }

  @Test
  void actionTrailsOwnEventsGoThroughPutEventsAsSentAndProvenanceCannotBeForged() throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = Instance.withHttp(data)) {
      ApiClient api = new ApiClient(ot.httpPort);
      ApiClient.Key root = ot.rootKey();
      String day = Instant.now().minus(1, ChronoUnit.DAYS).toString().substring(0, 10);
      String json =
          resource("actiontrail-consolesignin.json")
              .replace("2021-01-01T", day + "T")
              .replace("6543210987654321", ot.account());
      ApiClient.Answer a = api.putEventsJson(root, json.getBytes(StandardCharsets.UTF_8));
      assertEquals(200, a.status(), a.body());
      assertTrue(a.body().contains("\"Accepted\":2"), a.body());
      String ram = ot.run("event:get 1.167_1627549154939_0001");
      assertTrue(
          ram.contains("\"eventVersion\" : \"1\"") || ram.contains("\"eventVersion\":\"1\""), ram);
      assertTrue(ram.contains("\"errorCode\"") && !ram.contains("\"eventRW\""), ram);
      assertTrue(ram.contains("\"principal\"") && ram.contains(root.id()), "who posted: " + ram);
      String rootEvent = ot.run("event:get 2546c4b7-6b56-403e-97d3-500d8d290001");
      assertTrue(rootEvent.matches("(?s).*\"eventVersion\"\\s*:\\s*1\\b.*"), rootEvent);
      assertEquals(
          1,
          events(ot.run("event:lookup --user alice --since 3d --json")),
          "the root's loginAccount is not its user");

      String forged =
          "[{\"eventName\":\"X\",\"serviceName\":\"Y\",\"userIdentity\":{\"type\":\"root\"},"
              + "\"recordedBy\":{\"bundle\":\"someone-else\"},\"eventRW\":\"Maybe\"}]";
      a = api.putEventsJson(root, forged.getBytes(StandardCharsets.UTF_8));
      assertEquals(400, a.status(), a.body());
      assertTrue(a.body().contains("recordedBy") && a.body().contains("eventRW"), a.body());
      a = api.call(root, "PutEvents", Map.of("Events", "[]", "LogStore", "innertrail_x"));
      assertEquals(403, a.status(), a.body());
      assertTrue(a.body().contains("Forbidden.LogStoreWriteProtected"), a.body());
    }
  }

  /** MinIO's sample moved to an hour ago, keeping its nanoseconds. */
  static String minio(String name, String requestId) throws Exception {
    String t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "";
    return resource(name)
        .replaceAll("\"time\":\\s*\"[0-9T:.-]+", "\"time\": \"" + t.replace("Z", ".449688982"))
        .replace("17CDC1F4D7E69123", requestId)
        .replaceAll("\\s*\n\\s*", " ");
  }

  @Test
  void minioFromItsAuditWebhookWithLifecycleOperationsOnlyInTheInnerTrail() throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = Instance.withHttp(data, "source-minio")) {
      int port = ot.httpPort;
      Files.writeString(
          data.resolve("etc/org.opentrail.source.minio-site-a.cfg"),
          "instance=site-a\nauth.token.sha256=" + sha256(TOKEN) + "\n");
      ot.run("auth:entitle InnerTrail; auth:grant; innertrail:create site-inner");
      Instance.await(
          Duration.ofSeconds(30),
          () -> {
            try {
              return post(port, "/sources/minio/site-a", null, "{}").statusCode() == 401;
            } catch (Exception e) {
              return false;
            }
          },
          "the site-a webhook to answer");
      // MinIO sends the token as configured: auth_token="Bearer <token>"
      String one = minio("minio-putobject.json", "17CDC1F4D7E60001");
      HttpResponse<String> r = post(port, "/sources/minio/site-a", TOKEN, one);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"Accepted\":1"), r.body());
      r = post(port, "/sources/minio/site-a", TOKEN, one); // MinIO retries the same bytes
      assertTrue(r.body().contains("\"Duplicates\":1"), "a retry stores nothing: " + r.body());
      String batch =
          minio("minio-putobject.json", "17CDC1F4D7E60002")
              + "\n"
              + minio("minio-ilm-expiry.json", "unused")
              + "\n";
      r = post(port, "/sources/minio/site-a", TOKEN, batch);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"Accepted\":2"), r.body());

      String put =
          ot.run(
              "event:lookup --event-name PutObject --access-key alice --rw Write --since 2h --json");
      assertEquals(2, events(put), put);
      assertTrue(put.contains("\"resourceName\":\"testbucket/hosts\""), put);
      assertFalse(put.contains("0000000000000000000000000000000000000000"), "signature redacted");
      assertTrue(
          put.matches("(?s).*\"eventTime\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\".*"), put);
      assertEquals(2, events(ot.run("event:lookup --resource-name testbucket --since 2h --json")));
      String lifecycle = ot.run("event:lookup --logstore innertrail_site-inner --since 2h --json");
      assertEquals(1, events(lifecycle), lifecycle);
      assertTrue(lifecycle.contains("\"EventProduct\":\"MinIO\""), lifecycle);
      assertEquals(0, events(ot.run("event:lookup --event-name ILMExpiry --since 2h --json")));

      ot.bundle("org.opentrail.source.minio").uninstall();
      assertEquals(404, post(port, "/sources/minio/site-a", TOKEN, one).statusCode());
      assertEquals(2, events(ot.run("event:lookup --event-name PutObject --since 2h --json")));
    }
  }
}
