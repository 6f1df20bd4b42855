package org.opentrail.source.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.internal.source.SourceInstance;
import org.opentrail.internal.source.SourceWebhook;
import org.opentrail.query.LookupEventsService;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * The webhook end to end: real HTTP posts (Jetty on a free loopback port) to the helper's servlet
 * with this bundle's translator, the real recorder over the real embedded store, and LookupEvents
 * over what was stored. Case 09's expectations, in both orders.
 */
class KubernetesWebhookTest {
  static final String ACCOUNT = "1234567890123456";
  static final String TOKEN = "k8s-webhook-test-token";
  @TempDir Path dir;
  EmbeddedEventStore store;
  EventRecorderService recorder;
  LookupEventsService query;
  Server jetty;
  URI endpoint;
  final HttpClient http = HttpClient.newHttpClient();

  static <T> T config(Class<T> type, Map<String, Object> m) {
    return Converters.standardConverter().convert(m).to(type);
  }

  @BeforeEach
  void start() throws Exception {
    store =
        new EmbeddedEventStore(
            dir.resolve("store"),
            config(
                StoreConfig.class,
                Map.of("history.retention.days", 3650, "index.refresh.millis", 20)));
    recorder = new EventRecorderService(store, config(RecorderConfig.class, Map.of()), "cn-test");
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    query = new LookupEventsService(store, key);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("instance", "prod");
    c.put("auth.token.sha256", sha256(TOKEN));
    KubernetesWebhook.Config cfg = config(KubernetesWebhook.Config.class, c);
    SourceInstance instance = KubernetesWebhook.instance(cfg, ACCOUNT);
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(
            SourceWebhook.servlet(instance, recorder, KubernetesWebhook.translator(cfg))),
        instance.path());
    jetty.setHandler(context);
    jetty.start();
    endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort() + instance.path());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
    store.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void caseNineOneCompleteEventInEitherOrder(boolean reverse) throws Exception {
    List<String> order =
        reverse
            ? List.of("case09-input-2-ResponseComplete.json", "case09-input-1-RequestReceived.json")
            : List.of(
                "case09-input-1-RequestReceived.json", "case09-input-2-ResponseComplete.json");
    for (String file : order) {
      HttpResponse<String> r = post(Payloads.bytes(file), TOKEN, false);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(0L, answer(r).get("Rejected"), r.body());
    }
    List<Event> byUser = lookup(LookupKey.USER, "kubernetes-admin");
    assertEquals(1, byUser.size());
    Event e = byUser.get(0);
    assertEquals("192.0.2.90", e.getString("sourceIpAddress"));
    assertEquals("ACS::CS::Kubernetes::pods", e.resourceType());
    assertEquals("kube-system/webhook-audit", e.resourceName());
    assertEquals("Write", e.eventRW());
    assertEquals("2021-02-10T00:28:46Z", e.eventTime());
    assertEquals(201, Payloads.at(e, "responseElements", "responseStatus", "code"));
    assertEquals("kubernetes/prod", Payloads.at(e, "recordedBy", "sender"));
    assertEquals(1, lookup(LookupKey.RESOURCE_NAME, "webhook-audit").size());
    assertEquals(1, lookup(LookupKey.RESOURCE_NAME, "kube-system/webhook-audit").size());
    assertEquals(1, lookup(LookupKey.EVENT_ID, e.eventId()).size());
    assertEquals(1, lookup(LookupKey.EVENT_NAME, "create pods").size());
    assertEquals(
        "/api/v1/namespaces/kube-system/pods?fieldManager=kubectl-run",
        Payloads.at(e, "requestParameters", "requestURI"));

    // a retried POST is a duplicate, not a second event
    HttpResponse<String> again =
        post(Payloads.bytes("case09-input-2-ResponseComplete.json"), TOKEN, true);
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(1L, answer(again).get("Duplicates"), again.body());
    assertEquals(1, lookup(LookupKey.USER, "kubernetes-admin").size());
  }

  @Test
  void serviceInternalOperationsGoToTheInnerTrailOnly() throws Exception {
    HttpResponse<String> r = post(Payloads.bytes("kodekloud-citadel-batch.json"), TOKEN, false);
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Object> a = answer(r);
    assertEquals(9L, a.get("Entries"));
    assertEquals(6L, a.get("Accepted"));
    assertEquals(2L, a.get("NotCollected"), "no inner trail yet");
    assertEquals(1L, a.get("Skipped"));

    String stream = InnerTrail.stream(ACCOUNT, "innertrail_ops");
    store.createStream(new StreamSpec(stream, 180, true));
    recorder.innerTrails(new InnerTrails(stream));
    r = post(Payloads.bytes("kodekloud-citadel-batch.json"), TOKEN, false);
    a = answer(r);
    assertEquals(2L, a.get("Accepted"), r.body());
    assertEquals(6L, a.get("Duplicates"), r.body());
    for (Event internal :
        Payloads.translate(Payloads.translator(), "kodekloud-citadel-batch.json")
            .serviceInternal()) {
      Event stored = store.find(stream, ACCOUNT, internal.eventId()).orElseThrow().event();
      assertEquals("system:node:controlplane", stored.userName());
      assertTrue(store.find(EventStore.HISTORY, ACCOUNT, internal.eventId()).isEmpty());
    }
    assertTrue(lookup(LookupKey.USER, "system:node:controlplane").isEmpty(), "not in the history");
  }

  @Test
  void refusedPostsAreAnsweredAndRecorded() throws Exception {
    HttpResponse<String> bad =
        post(Payloads.bytes("case09-input-2-ResponseComplete.json"), "wrong", false);
    assertEquals(401, bad.statusCode());
    HttpResponse<String> malformed =
        post("{\"kind\":\"Event\"}".getBytes(StandardCharsets.UTF_8), TOKEN, false);
    assertEquals(400, malformed.statusCode());
    assertTrue(malformed.body().contains("EventList"), malformed.body());
    assertEquals(
        2, lookup(LookupKey.EVENT_NAME, "PostAuditLog").size(), "both refused posts are recorded");
  }

  @Test
  void configurationErrorsNameTheKey() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("instance", "prod");
    c.put("auth.token.sha256", sha256(TOKEN));
    c.put("record.stages", "ResponseComplete,Done");
    KubernetesWebhook.Config cfg = config(KubernetesWebhook.Config.class, c);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KubernetesWebhook.translator(cfg));
    assertTrue(e.getMessage().startsWith("record.stages"), e.getMessage());
    c.put("record.stages", new String[] {"ResponseComplete", "Panic"});
    c.put("service.internal.users", new String[] {"system:*:x"});
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> KubernetesWebhook.translator(config(KubernetesWebhook.Config.class, c)))
            .getMessage()
            .startsWith("service.internal.users"));
    c.remove("service.internal.users");
    KubernetesOptions o =
        KubernetesWebhook.translator(config(KubernetesWebhook.Config.class, c)).options();
    assertEquals(
        KubernetesOptions.DEFAULT_INTERNAL_USERS, o.internalUsers(), "the two defaults agree");
    assertEquals(
        java.util.Set.of(KubernetesOptions.Stage.ResponseComplete, KubernetesOptions.Stage.Panic),
        o.recordStages());
  }

  private List<Event> lookup(LookupKey key, String value) throws InterruptedException {
    awaitIndexed();
    return query
        .lookup(
            LookupRequest.builder(ACCOUNT)
                .startTime(java.time.Instant.parse("2021-02-01T00:00:00Z"))
                .endTime(java.time.Instant.now().plusSeconds(3600))
                .attribute(key, value)
                .maxResults(50)
                .build())
        .events();
  }

  private void awaitIndexed() throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      var info = store.stream(EventStore.HISTORY).orElseThrow();
      if (info.indexedSequence() >= info.lastSequence()) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("not indexed");
  }

  private HttpResponse<String> post(byte[] body, String token, boolean gzip) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json");
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(body);
      }
      body = out.toByteArray();
      b.header("Content-Encoding", "gzip");
    }
    return http.send(
        b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> answer(HttpResponse<String> r) {
    Map<String, Object> m =
        EventJson.parseEvent(r.body().getBytes(StandardCharsets.UTF_8)).fields();
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
    return out;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An inner trail that always collects into one stream (the real one is the trail bundle's). */
  private record InnerTrails(String stream) implements org.opentrail.api.trail.InnerTrailService {
    @Override
    public Optional<String> collectingStream(String accountId) {
      return ACCOUNT.equals(accountId) ? Optional.of(stream) : Optional.empty();
    }

    @Override
    public InnerTrail create(String accountId, String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<InnerTrail> get(String accountId) {
      return Optional.empty();
    }

    @Override
    public org.opentrail.api.trail.InnerTrailStatus status(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InnerTrail setRetention(String accountId, int retentionDays) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InnerTrail enable(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InnerTrail disable(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String accountId) {
      throw new UnsupportedOperationException();
    }
  }
}
