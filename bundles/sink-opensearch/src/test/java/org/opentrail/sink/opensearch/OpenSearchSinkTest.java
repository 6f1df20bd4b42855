package org.opentrail.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;

/** The sink against a real OpenSearch 2.19.1, started once for the class. */
class OpenSearchSinkTest {
  static final String ACCOUNT = "123456789012";
  static final Instant T0 = Instant.parse("2026-11-29T23:50:00Z");

  @TempDir static Path dir;
  static SearchServer search;
  static OpenSearchSinkProvider provider;

  @BeforeAll
  static void start() throws Exception {
    search = new SearchServer(dir.resolve("opensearch"));
    provider = new OpenSearchSinkProvider(server(search.endpoint(), 0));
  }

  @AfterAll
  static void stop() throws Exception {
    search.close();
  }

  static Server server(String endpoint, int retries) {
    return new Server(
        Endpoint.parse(endpoint),
        null,
        null,
        null,
        null,
        Set.of(),
        2_000,
        30_000,
        1,
        0,
        8 << 20,
        retries);
  }

  static OpenSearchSink open(String trail, Map<String, String> config) throws Exception {
    provider.validate(config);
    return (OpenSearchSink) provider.open(new SinkTarget(ACCOUNT, trail, "d1", config));
  }

  /** Every document of a pattern as _id ({@code <account>/<eventId>}) -> _source, read back. */
  static Map<String, Object> documents(String pattern) throws Exception {
    search.call("POST", "/" + pattern + "/_refresh", null);
    Map<?, ?> r =
        (Map<?, ?>)
            search.call(
                "POST",
                "/" + pattern + "/_search",
                Map.of("size", 10_000, "query", Map.of("match_all", Map.of())));
    Map<String, Object> docs = new HashMap<>();
    for (Object h : (List<?>) ((Map<?, ?>) r.get("hits")).get("hits")) {
      Map<?, ?> hit = (Map<?, ?>) h;
      Object previous = docs.put((String) hit.get("_id"), hit.get("_source"));
      assertEquals(null, previous, "one document per eventId");
    }
    return docs;
  }

  static void assertExactly(List<StoredEvent> events, Map<String, Object> docs) {
    assertEquals(events.size(), docs.size(), "documents");
    for (StoredEvent e : events) {
      Object doc = docs.get(e.event().recipientAccountId() + "/" + e.event().eventId());
      assertEquals(EventJson.read(e.event().toJson()), doc, "document of " + e.event().eventId());
    }
  }

  @Test
  void aMixedStreamLandsEveryEventExactlyOnceAndReadsBack() throws Exception {
    List<StoredEvent> events = Events.mixed(1, 3000, T0);
    try (OpenSearchSink sink = open("mixed-trail", Map.of())) {
      for (int i = 0; i < events.size(); i += 1000) {
        sink.deliver(Events.batch(events.subList(i, i + 1000)));
      }
      assertEquals(3000, search.count("actiontrail_mixed-trail"));
      assertExactly(events, documents("actiontrail_mixed-trail"));
      // searchable by the mapped fields
      Map<?, ?> hit =
          (Map<?, ?>)
              search.call(
                  "POST",
                  "/actiontrail_mixed-trail/_count",
                  Map.of(
                      "query",
                      Map.of("term", Map.of("eventId", events.get(1234).event().eventId()))));
      assertEquals(1, ((Number) hit.get("count")).intValue());
      Map<?, ?> writes =
          (Map<?, ?>)
              search.call(
                  "POST",
                  "/actiontrail_mixed-trail/_count",
                  Map.of(
                      "query",
                      Map.of(
                          "range",
                          Map.of("eventTime", Map.of("gte", T0.plusSeconds(1000).toString())))));
      assertEquals(2000, ((Number) writes.get("count")).intValue());
      List<Event> back = Collections.synchronizedList(new ArrayList<>());
      sink.readBack(back::addAll);
      assertEquals(3000, back.size());
      Map<String, Object> read = new HashMap<>();
      for (Event e : back) {
        read.put(e.recipientAccountId() + "/" + e.eventId(), EventJson.read(e.toJson()));
      }
      assertExactly(events, read);
    }
  }

  @Test
  void redeliveryIsInvisibleAndDatedIndicesSplitByEventTime() throws Exception {
    List<StoredEvent> events = Events.mixed(10_001, 1200, T0); // 23:50 to 00:10, two days
    Map<String, String> config = Map.of("index", "audit-dated", "dateSuffix", "yyyy.MM.dd");
    DeliveryBatch batch = Events.batch(events);
    try (OpenSearchSink sink = open("dated-trail", config)) {
      sink.deliver(batch);
      sink.deliver(batch); // the engine's retry after a lost acknowledgement
      assertEquals(2 * 1200, sink.itemsSent.get());
    }
    try (OpenSearchSink again = open("dated-trail", config)) { // a new provider instance's sink
      again.deliver(batch);
    }
    assertEquals(600, search.count("audit-dated-2026.11.29"));
    assertEquals(600, search.count("audit-dated-2026.11.30"));
    assertEquals(1200, search.count("audit-dated-*"));
    assertExactly(events, documents("audit-dated-*"));
    Map<?, ?> versions =
        (Map<?, ?>)
            search.call(
                "POST",
                "/audit-dated-*/_search",
                Map.of("size", 0, "aggs", Map.of("v", Map.of("max", Map.of("field", "_seq_no")))));
    // every document written once: 600 per index, sequence numbers 0..599
    assertEquals(
        599.0,
        ((Number) ((Map<?, ?>) ((Map<?, ?>) versions.get("aggregations")).get("v")).get("value"))
            .doubleValue());
    assertEquals(
        "opensearch://127.0.0.1:" + search.port + "/audit-dated-*",
        provider.resource(new SinkTarget(ACCOUNT, "dated-trail", "d1", config)));
  }

  @Test
  void anOutageFailsDeliveriesClearlyAndLosesNothingOnceTheServerIsBack() throws Exception {
    List<StoredEvent> events = Events.mixed(20_001, 10_000, T0);
    List<String> errors = new CopyOnWriteArrayList<>();
    AtomicInteger delivered = new AtomicInteger();
    try (OpenSearchSink sink = open("outage-trail", Map.of())) {
      Thread engine =
          new Thread(
              () -> {
                // as the trail engine does: each batch until it is acknowledged, then the next
                for (int i = 0; i < events.size(); i += 500) {
                  DeliveryBatch b = Events.batch(events.subList(i, i + 500));
                  while (true) {
                    try {
                      sink.deliver(b);
                      delivered.incrementAndGet();
                      break;
                    } catch (Exception e) {
                      errors.add(e.getMessage());
                      sleep(100);
                    }
                  }
                }
              });
      engine.start();
      await(() -> delivered.get() >= 3, "3 batches before the outage");
      search.stop();
      await(() -> !errors.isEmpty(), "a failed delivery during the outage");
      int during = delivered.get();
      sleep(500);
      assertTrue(delivered.get() <= during + 1, "nothing acknowledged while the server is down");
      search.start();
      engine.join(60_000);
      assertFalse(engine.isAlive());
    }
    assertEquals(20, delivered.get());
    assertTrue(
        errors.get(0).startsWith("Cannot reach OpenSearch at http://127.0.0.1:" + search.port)
            || errors.get(0).contains("OpenSearch at http://127.0.0.1:" + search.port),
        errors.get(0));
    assertEquals(10_000, search.count("actiontrail_outage-trail"));
    assertExactly(events, documents("actiontrail_outage-trail"));
  }

  @Test
  void anotherAccountsEventIdsNeverHideAnAccountsEvents() throws Exception {
    // two accounts deliver into one index (one through a role) with the same eventIds
    List<StoredEvent> mine = Events.mixed(40_001, 200, T0);
    List<StoredEvent> theirs = new ArrayList<>();
    for (StoredEvent e : mine) {
      @SuppressWarnings("unchecked")
      Map<String, Object> f =
          new HashMap<>((Map<String, Object>) EventJson.read(e.event().toJson()));
      f.put("recipientAccountId", "2100000000000001");
      theirs.add(new StoredEvent(e.sequence(), e.timeMillis(), Event.of(f)));
    }
    try (OpenSearchSink sink = open("two-accounts", Map.of("index", "two-accounts"))) {
      sink.deliver(Events.batch(theirs));
      sink.deliver(Events.batch(mine));
      sink.deliver(Events.batch(mine)); // redelivered: invisible
    }
    List<StoredEvent> both = new ArrayList<>(theirs);
    both.addAll(mine);
    assertExactly(both, documents("two-accounts"));
  }

  @Test
  void refusedItemsAreReportedAndOnlyTheyAreSentAgain() throws Exception {
    // an index made before the sink's template, whose eventName is a number
    search.call(
        "PUT",
        "/clash",
        Map.of("mappings", Map.of("properties", Map.of("eventName", Map.of("type", "long")))));
    List<StoredEvent> events = new ArrayList<>();
    for (StoredEvent e : Events.mixed(30_001, 5, T0)) {
      // plain events: the clash is in eventName alone (this index has dynamic mappings)
      Map<String, Object> f = new HashMap<>();
      f.put("eventId", e.event().eventId());
      f.put("eventTime", e.event().eventTime());
      f.put("eventName", e.sequence() % 2 == 0 ? "PutObject" : Long.toString(e.sequence()));
      events.add(new StoredEvent(e.sequence(), e.timeMillis(), Event.of(f)));
    }
    DeliveryBatch batch = Events.batch(events);
    try (OpenSearchSink sink = open("clash-trail", Map.of("index", "clash"))) {
      IOException e = assertThrows(IOException.class, () -> sink.deliver(batch));
      assertTrue(
          e.getMessage().contains("refused 2 of 5 events for index clash (3 are written"),
          e.getMessage());
      assertTrue(e.getMessage().contains("mapper_parsing_exception"), e.getMessage());
      assertTrue(e.getMessage().contains(events.get(1).event().eventId()), e.getMessage());
      assertEquals(5, sink.itemsSent.get());
      assertThrows(IOException.class, () -> sink.deliver(batch));
      assertEquals(7, sink.itemsSent.get(), "the retry sends the 2 refused events only");
    }
    assertEquals(3, search.count("clash"));
  }

  @Test
  void aReadOnlyIndexAndAMissingIndexAreClearErrorsUntilFixed() throws Exception {
    List<StoredEvent> events = Events.mixed(40_001, 10, T0);
    try (OpenSearchSink sink = open("blocked-trail", Map.of())) {
      sink.deliver(Events.batch(events.subList(0, 5)));
      search.call(
          "PUT", "/actiontrail_blocked-trail/_settings", Map.of("index.blocks.write", true));
      DeliveryBatch rest = Events.batch(events.subList(5, 10));
      IOException e = assertThrows(IOException.class, () -> sink.deliver(rest));
      assertTrue(e.getMessage().contains("cluster_block_exception"), e.getMessage());
      search.call(
          "PUT", "/actiontrail_blocked-trail/_settings", Map.of("index.blocks.write", false));
      sink.deliver(rest);
    }
    assertExactly(events, documents("actiontrail_blocked-trail"));

    search.call(
        "PUT",
        "/_cluster/settings",
        Map.of("transient", Map.of("action.auto_create_index", "false")));
    try (OpenSearchSink sink = open("missing-trail", Map.of())) {
      IOException e = assertThrows(IOException.class, () -> sink.deliver(Events.batch(events)));
      assertTrue(e.getMessage().contains("index_not_found_exception"), e.getMessage());
      assertTrue(
          e.getMessage().contains("refused 10 of 10 events for index actiontrail_missing-trail"),
          e.getMessage());
    } finally {
      search.call(
          "PUT",
          "/_cluster/settings",
          Map.of("transient", Map.of("action.auto_create_index", "true")));
    }
  }

  @Test
  void anUnreachableEndpointIsAClearError() throws Exception {
    int closed = SearchServer.freePort();
    OpenSearchSinkProvider p = new OpenSearchSinkProvider(server("http://127.0.0.1:" + closed, 0));
    try (Sink sink = p.open(new SinkTarget(ACCOUNT, "nowhere-trail", "d1", Map.of()))) {
      IOException e =
          assertThrows(IOException.class, () -> sink.deliver(Events.batch(Events.mixed(1, 3, T0))));
      assertEquals(
          "Cannot reach OpenSearch at http://127.0.0.1:"
              + closed
              + " while putting index template opentrail-actiontrail_nowhere-trail: connection refused",
          e.getMessage());
    }
  }

  static void await(java.util.function.BooleanSupplier c, String what) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      sleep(10);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
