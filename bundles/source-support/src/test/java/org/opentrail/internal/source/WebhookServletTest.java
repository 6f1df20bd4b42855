package org.opentrail.internal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.EventStore;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * The webhook every source shares, over real HTTP with the real recorder and store: who may post,
 * how much, how many at once, and what a sender hears when the store cannot make events durable.
 * The translator here turns each line of the body into one event (sources have their own).
 */
class WebhookServletTest {
  static final String ACCOUNT = "1234567890123456";
  static final String TOKEN = "a-token-of-the-sender-0123456789";
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final List<Server> servers = new ArrayList<>();
  final List<EmbeddedEventStore> stores = new ArrayList<>();
  volatile CountDownLatch hold;

  final WebhookTranslator lines =
      body -> {
        CountDownLatch h = hold;
        if (h != null && new String(body, StandardCharsets.UTF_8).equals("op held")) {
          try {
            h.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.startsWith("op ")) {
          throw new PayloadException("each line is 'op <name>'");
        }
        List<Event> events = new ArrayList<>();
        for (String line : text.split("\n")) {
          String name = line.substring(3);
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("eventId", "line-" + name);
          e.put("eventName", "Op");
          e.put("serviceName", "Test");
          e.put("resourceName", "r-" + name);
          e.put("userIdentity", Map.of("type", "ram-user", "userName", "mallory"));
          Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
          e.put("eventTime", (name.equals("ahead") ? t.plus(2, ChronoUnit.HOURS) : t).toString());
          if (name.equals("big")) {
            e.put("userAgent", "x".repeat(300_000)); // a client's way to stay out of the trail
          }
          events.add(Event.of(e));
        }
        return new Translation(events, List.of(), List.of(), List.of());
      };

  static <T> T config(Class<T> type, Map<String, Object> m) {
    return Converters.standardConverter().convert(m).to(type);
  }

  /** A webhook over a store with the given free-space floor; answers its URI. */
  URI start(String name, int floorMegabytes, int maxBody, int maxConcurrent) throws Exception {
    EmbeddedEventStore store =
        new EmbeddedEventStore(
            dir.resolve(name),
            config(StoreConfig.class, Map.of("free.space.floor.megabytes", floorMegabytes)));
    stores.add(store);
    EventRecorderService recorder =
        new EventRecorderService(store, config(RecorderConfig.class, Map.of()), "cn-test");
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
    SourceInstance instance =
        SourceInstance.of("test", "one", "", ACCOUNT, hash, maxBody, maxConcurrent);
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(SourceWebhook.servlet(instance, recorder, lines)), instance.path());
    jetty.setHandler(context);
    jetty.start();
    servers.add(jetty);
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + instance.path());
  }

  @AfterEach
  void stop() throws Exception {
    for (Server s : servers) {
      s.stop();
    }
    for (EmbeddedEventStore s : stores) {
      s.close();
    }
  }

  HttpResponse<String> post(URI uri, String token, byte[] body, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", token);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void onlyTheSendersTokenPostsAndRefusalsAreRecorded() throws Exception {
    URI uri = start("auth", 0, 1 << 20, 4);
    for (String bad : new String[] {null, "Bearer", "Bearer wrong", "Basic " + TOKEN, TOKEN}) {
      HttpResponse<String> r = post(uri, bad, utf8("op a"), null);
      assertEquals(401, r.statusCode(), bad);
      assertTrue(r.body().contains("\"Code\":\"InvalidToken\"") && r.body().contains("RequestId"));
    }
    HttpResponse<String> ok = post(uri, "bearer " + TOKEN, utf8("op a\nop b"), null);
    assertEquals(200, ok.statusCode(), ok.body());
    assertTrue(ok.body().contains("\"Accepted\":2"), ok.body());
    assertTrue(post(uri, "Bearer " + TOKEN, utf8("op a"), null).body().contains("Duplicates\":1"));
    assertEquals(400, post(uri, "Bearer " + TOKEN, utf8("not ops"), null).statusCode());
    HttpRequest get = HttpRequest.newBuilder(uri).GET().build();
    assertEquals(401, http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpRequest getWithToken =
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN).GET().build();
    assertEquals(405, http.send(getWithToken, HttpResponse.BodyHandlers.ofString()).statusCode());
    EmbeddedEventStore store = stores.get(0);
    List<Event> refusals =
        store.read(EventStore.HISTORY, 0, 100).stream()
            .map(e -> e.event())
            .filter(e -> "PostAuditLog".equals(e.eventName()))
            .toList();
    assertEquals(8, refusals.size(), "5 bad tokens, a GET without, a bad body, a bad method");
    assertEquals(
        6,
        refusals.stream()
            .filter(e -> "unknown".equals(((Map<?, ?>) e.get("userIdentity")).get("type")))
            .count(),
        "a caller without the token is never taken for the sender");

    for (int i = 0; i < 60; i++) { // a flood without the token fills nothing
      post(uri, null, utf8("op flood"), null);
    }
    long flood =
        store.read(EventStore.HISTORY, 0, 1000).stream()
            .filter(e -> "PostAuditLog".equals(e.event().eventName()))
            .count();
    assertTrue(flood <= 8 + RefusedCalls.PER_WINDOW, "refusals recorded: " + flood);
  }

  @Test
  void bodiesAreBoundedBeforeAndAfterGzip() throws Exception {
    URI uri = start("limits", 0, 4096, 4);
    assertEquals(413, post(uri, "Bearer " + TOKEN, new byte[5000], null).statusCode());
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
      z.write(utf8("op " + "x".repeat(10_000_000))); // 10 MB that gzip makes ~10 KB
    }
    assertTrue(zipped.size() < 4096 * 4);
    HttpResponse<String> bomb = post(uri, "Bearer " + TOKEN, zipped.toByteArray(), "gzip");
    assertEquals(413, bomb.statusCode(), "a gzip bomb is cut at the limit: " + bomb.body());
    ByteArrayOutputStream small = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(small)) {
      z.write(utf8("op g1\nop g2"));
    }
    HttpResponse<String> ok = post(uri, "Bearer " + TOKEN, small.toByteArray(), "gzip");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(400, post(uri, "Bearer " + TOKEN, utf8("op z"), "br").statusCode(), "br");
  }

  @Test
  void tooManyAtOnceIs429AndAFullStoreIs503WithNothingStored() throws Exception {
    URI uri = start("busy", 0, 1 << 20, 1);
    hold = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(uri, "Bearer " + TOKEN, utf8("op held"), null);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    HttpResponse<String> second = null;
    for (int i = 0; i < 200 && (second == null || second.statusCode() != 429); i++) {
      Thread.sleep(10); // until the first is inside the translator
      second = post(uri, "Bearer " + TOKEN, utf8("op second"), null);
    }
    assertEquals(429, second.statusCode(), second.body());
    assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
    hold.countDown();
    hold = null;
    assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());

    URI full = start("full", 1 << 20, 1 << 20, 4); // a 1 TiB floor: no disk here has it free
    HttpResponse<String> r = post(full, "Bearer " + TOKEN, utf8("op kept-for-later"), null);
    assertEquals(503, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Retry-After").isPresent());
    assertTrue(r.body().contains("ServiceUnavailable.StorageFull"), r.body());
    assertEquals(0, stores.get(1).lastSequence(EventStore.HISTORY), "nothing acknowledged");
  }

  @Test
  void anEntryTooLargeOrAheadInTimeIsRecordedReducedNeverAcknowledgedAndLost() throws Exception {
    URI uri = start("second-chance", 0, 1 << 20, 4);
    HttpResponse<String> r = post(uri, "Bearer " + TOKEN, utf8("op big\nop ahead\nop fine"), null);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(
        r.body().contains("\"Accepted\":3") && r.body().contains("\"Rejected\":0"), r.body());
    EmbeddedEventStore store = stores.get(0);
    Event big = store.find(EventStore.HISTORY, ACCOUNT, "line-big").orElseThrow().event();
    assertEquals("r-big", big.resourceName(), "what was done to which resource stays");
    assertEquals("mallory", ((Map<?, ?>) big.get("userIdentity")).get("userName"));
    assertEquals(SecondChance.MAX_TEXT, ((String) big.get("userAgent")).length());
    assertTrue(
        String.valueOf(((Map<?, ?>) big.get("additionalEventData")).get("truncated"))
            .contains("bytes"));
    Event ahead = store.find(EventStore.HISTORY, ACCOUNT, "line-ahead").orElseThrow().event();
    assertTrue(
        Instant.parse(ahead.eventTime()).isBefore(Instant.now().plusSeconds(60)),
        "recorded at its arrival: " + ahead.eventTime());
    assertTrue(((Map<?, ?>) ahead.get("additionalEventData")).containsKey("eventTimeAsSent"));
    r = post(uri, "Bearer " + TOKEN, utf8("op big\nop ahead"), null);
    assertTrue(r.body().contains("\"Duplicates\":2"), "a retry is a duplicate: " + r.body());
  }

  @Test
  void aBodyOfMoreEntriesThanOneRecorderBatchIsRecordedInSlices() throws Exception {
    URI uri = start("slices", 0, 1 << 20, 4);
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 4_500; i++) {
      body.append(i == 0 ? "" : "\n").append("op s").append(i);
    }
    HttpResponse<String> r = post(uri, "Bearer " + TOKEN, utf8(body.toString()), null);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"Accepted\":4500"), r.body());
    assertEquals(4_500, stores.get(0).lastSequence(EventStore.HISTORY));
  }
}
