package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamSpec;

class EmbeddedEventStoreTest {
  private static final String A = TestEvents.ACCOUNT;
  @TempDir Path dir;

  private EmbeddedEventStore open() throws IOException {
    return new EmbeddedEventStore(
        dir, TestEvents.config(Map.of("index.refresh.millis", 20, "journal.segment.megabytes", 1)));
  }

  static void awaitIndexed(EventStore store, String stream) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var info = store.stream(stream).orElseThrow();
      if (info.indexedSequence() >= info.lastSequence()) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("index did not catch up: " + store.stream(stream));
  }

  private static StoreQuery query(
      Instant from,
      Instant to,
      List<LookupAttribute> attrs,
      Direction d,
      Position after,
      int limit) {
    return new StoreQuery(
        EventStore.HISTORY, A, from.toEpochMilli(), to.toEpochMilli(), attrs, d, after, limit);
  }

  /** 3 days of events, one per minute, users u0..u9 in turn. */
  private static List<Event> threeDays(Instant start) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 3 * 24 * 60; i++) {
      events.add(TestEvents.event(start.plus(i, ChronoUnit.MINUTES), "u" + (i % 10)));
    }
    return events;
  }

  @Test
  void looksUpNewestFirstAndOldestFirstAndPagesWithoutGapsOrRepeats() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
    List<Event> events = threeDays(start);
    try (var store = closing(open())) {
      for (int i = 0; i < events.size(); i += 500) {
        store.s.append(EventStore.HISTORY, events.subList(i, Math.min(events.size(), i + 500)));
      }
      awaitIndexed(store.s, EventStore.HISTORY);
      Instant end = start.plus(3, ChronoUnit.DAYS);
      List<LookupAttribute> u3 = List.of(new LookupAttribute(LookupKey.USER, "u3"));

      for (Direction d : Direction.values()) {
        List<Long> times = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Position after = null;
        while (true) {
          List<StoredEvent> page = store.s.query(query(start, end, u3, d, after, 50));
          for (StoredEvent e : page) {
            assertEquals("u3", e.event().userName());
            assertTrue(seen.add(e.sequence()), "event returned twice: " + e.sequence());
            times.add(e.timeMillis());
          }
          if (page.size() < 50) {
            break;
          }
          after = page.get(page.size() - 1).position();
        }
        assertEquals(events.size() / 10, seen.size(), d + ": every u3 event exactly once");
        for (int i = 1; i < times.size(); i++) {
          assertTrue(
              d == Direction.BACKWARD
                  ? times.get(i - 1) > times.get(i)
                  : times.get(i - 1) < times.get(i),
              d + " order at " + i);
        }
      }

      // a window inside one day, time only
      Instant from = start.plus(30, ChronoUnit.HOURS);
      List<StoredEvent> window =
          store.s.query(
              query(from, from.plusSeconds(599), List.of(), Direction.BACKWARD, null, 50));
      assertEquals(10, window.size());
      assertEquals(from.plusSeconds(540).toEpochMilli(), window.get(0).timeMillis());

      // two attributes ANDed, and one that matches nothing
      var both =
          List.of(
              new LookupAttribute(LookupKey.USER, "u3"),
              new LookupAttribute(LookupKey.RESOURCE_NAME, "i-u3"));
      assertEquals(50, store.s.query(query(start, end, both, Direction.BACKWARD, null, 50)).size());
      var none =
          List.of(
              new LookupAttribute(LookupKey.USER, "u3"),
              new LookupAttribute(LookupKey.RESOURCE_NAME, "i-u4"));
      assertTrue(store.s.query(query(start, end, none, Direction.BACKWARD, null, 50)).isEmpty());

      // another account sees nothing
      var other =
          new StoreQuery(
              EventStore.HISTORY,
              "999999999999",
              start.toEpochMilli(),
              end.toEpochMilli(),
              List.of(),
              Direction.BACKWARD,
              null,
              50);
      assertTrue(store.s.query(other).isEmpty());
    }
  }

  @Test
  void pagingIsStableWhileNewerEventsArrive() throws Exception {
    Instant start = Instant.now().minus(2, ChronoUnit.HOURS);
    try (var store = closing(open())) {
      List<Event> first = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        first.add(TestEvents.event(start.plusSeconds(i), "p"));
      }
      store.s.append(EventStore.HISTORY, first);
      awaitIndexed(store.s, EventStore.HISTORY);
      var p = List.of(new LookupAttribute(LookupKey.USER, "p"));
      Instant end = Instant.now();
      List<StoredEvent> page1 = store.s.query(query(start, end, p, Direction.BACKWARD, null, 50));
      List<Event> newer = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        newer.add(TestEvents.event(start.plusSeconds(3000 + i), "p"));
      }
      store.s.append(EventStore.HISTORY, newer);
      awaitIndexed(store.s, EventStore.HISTORY);
      List<StoredEvent> page2 =
          store.s.query(query(start, end, p, Direction.BACKWARD, page1.get(49).position(), 50));
      assertEquals(first.get(69).eventId(), page2.get(0).event().eventId());
    }
  }

  @Test
  void duplicateEventIdIsStoredOnceAndFoundBeforeAndAfterIndexing() throws Exception {
    try (var store = closing(open())) {
      Event e = TestEvents.event(Instant.now().minusSeconds(10), "dup");
      AppendOutcome first = store.s.append(EventStore.HISTORY, List.of(e)).get(0);
      assertFalse(first.duplicate());
      // immediately (not yet indexed) and again once indexed
      AppendOutcome again = store.s.append(EventStore.HISTORY, List.of(e)).get(0);
      assertTrue(again.duplicate());
      assertEquals(first.sequence(), again.sequence());
      assertEquals(e, store.s.find(EventStore.HISTORY, A, e.eventId()).orElseThrow().event());
      awaitIndexed(store.s, EventStore.HISTORY);
      assertTrue(store.s.append(EventStore.HISTORY, List.of(e)).get(0).duplicate());
      assertEquals(
          first.sequence(),
          store.s.find(EventStore.HISTORY, A, e.eventId()).orElseThrow().sequence());
      assertTrue(store.s.find(EventStore.HISTORY, "999999999999", e.eventId()).isEmpty());
      assertEquals(1, store.s.stream(EventStore.HISTORY).orElseThrow().eventCount());
    }
  }

  @Test
  void restartKeepsEverythingAndAnIndexLostInACrashIsRebuiltFromTheJournal() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
    List<Event> events = threeDays(start);
    try (var store = closing(open())) {
      store.s.append(EventStore.HISTORY, events);
      awaitIndexed(store.s, EventStore.HISTORY);
    }
    try (var store = closing(open())) {
      assertEquals(events.size(), store.s.stream(EventStore.HISTORY).orElseThrow().eventCount());
      assertEquals(
          events.get(17),
          store.s.find(EventStore.HISTORY, A, events.get(17).eventId()).orElseThrow().event());
      assertTrue(store.s.append(EventStore.HISTORY, List.of(events.get(5))).get(0).duplicate());
    }
    // as if the process died before the index was ever committed
    deleteTree(dir.resolve("streams/history/index"));
    try (var store = closing(open())) {
      awaitIndexed(store.s, EventStore.HISTORY);
      Instant end = start.plus(3, ChronoUnit.DAYS);
      var all =
          store.s.query(
              query(
                  start,
                  end,
                  List.of(new LookupAttribute(LookupKey.USER, "u7")),
                  Direction.FORWARD,
                  null,
                  50));
      assertEquals(50, all.size());
      assertEquals(events.get(7).eventId(), all.get(0).event().eventId());
      assertTrue(
          store.s.append(EventStore.HISTORY, List.of(events.get(5))).get(0).duplicate(),
          "de-duplication sees the unindexed tail");
    }
  }

  @Test
  void retentionDropsWholeDaysAndHonoursHolds() throws Exception {
    Instant now = Instant.now();
    Map<String, Object> config =
        Map.of(
            "index.refresh.millis", 20, "journal.segment.megabytes", 1, "index.commit.seconds", 1);
    Map<String, Object> longer = new java.util.HashMap<>(config);
    longer.put("history.retention.days", 150);
    EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(longer));
    try {
      for (int b = 0; b < 40; b++) {
        List<Event> old = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          old.add(
              TestEvents.event(
                  now.minus(120, ChronoUnit.DAYS).plusSeconds(b * 1000L + i), "old" + i));
        }
        store.append(EventStore.HISTORY, old);
      }
      List<Event> recent = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        recent.add(TestEvents.event(now.minus(1, ChronoUnit.DAYS).plusSeconds(i), "new"));
      }
      store.append(EventStore.HISTORY, recent);
      awaitIndexed(store, EventStore.HISTORY);
      Thread.sleep(
          1500); // let an index commit pass: the journal is only purged behind the index checkpoint
      long oldest = store.stream(EventStore.HISTORY).orElseThrow().oldestEventTime().toEpochMilli();
      var q =
          new StoreQuery(
              EventStore.HISTORY,
              A,
              now.minus(200, ChronoUnit.DAYS).toEpochMilli(),
              now.toEpochMilli(),
              List.of(new LookupAttribute(LookupKey.USER, "old7")),
              Direction.BACKWARD,
              null,
              50);
      assertEquals(40, store.query(q).size());

      // the operator shortens retention to 90 days while a reader is still at sequence 1: the
      // journal is kept for the reader, but the history's lookups forget the old days
      store.holds(List.of(stream -> 1L));
      store.modified(TestEvents.config(config));
      store.applyRetention();
      assertTrue(store.query(q).isEmpty(), "old index partition dropped");
      assertEquals(
          oldest, store.stream(EventStore.HISTORY).orElseThrow().oldestEventTime().toEpochMilli());
      assertEquals(
          1,
          store.read(EventStore.HISTORY, 0, 1).get(0).sequence(),
          "held events are still readable");
      assertEquals(1, store.stream(EventStore.HISTORY).orElseThrow().retentionHeldFrom());

      // once nobody needs them, the old segments go
      store.holds(List.of());
      store.applyRetention();
      var info = store.stream(EventStore.HISTORY).orElseThrow();
      assertTrue(
          info.oldestEventTime().toEpochMilli() > oldest, "old journal segments purged: " + info);
      assertTrue(store.read(EventStore.HISTORY, 0, 1).get(0).sequence() > 1);
      assertTrue(store.find(EventStore.HISTORY, A, recent.get(0).eventId()).isPresent());
      assertEquals(
          recent.get(1999),
          store.find(EventStore.HISTORY, A, recent.get(1999).eventId()).orElseThrow().event());
    } finally {
      store.close();
    }
  }

  @Test
  void logstoresAreSeparateStreamsThatSurviveRestart() throws Exception {
    try (var store = closing(open())) {
      store.s.createStream(new StreamSpec("actiontrail_audit", 30, true));
      Event e = TestEvents.event(Instant.now().minusSeconds(5), "ls");
      store.s.append("actiontrail_audit", List.of(e));
      assertTrue(store.s.find(EventStore.HISTORY, A, e.eventId()).isEmpty());
      assertTrue(store.s.find("actiontrail_audit", A, e.eventId()).isPresent());
      OpenTrailException missing =
          assertThrows(OpenTrailException.class, () -> store.s.append("nope", List.of(e)));
      assertEquals("StreamNotFound", missing.code());
    }
    try (var store = closing(open())) {
      var info = store.s.stream("actiontrail_audit").orElseThrow();
      assertEquals(30, info.spec().retentionDays());
      assertTrue(info.spec().writeProtected());
      assertEquals(1, info.eventCount());
      assertEquals(
          List.of(EventStore.HISTORY, "actiontrail_audit"),
          store.s.streams().stream().map(i -> i.name()).toList());
      store.s.deleteStream("actiontrail_audit");
      assertTrue(store.s.stream("actiontrail_audit").isEmpty());
      assertFalse(Files.exists(dir.resolve("streams/actiontrail_audit")));
    }
  }

  @Test
  void readsInSequenceOrderForDeliveryCursors() throws Exception {
    try (var store = closing(open())) {
      List<Event> events = threeDays(Instant.now().minus(4, ChronoUnit.DAYS));
      store.s.append(EventStore.HISTORY, events);
      long after = 0;
      int n = 0;
      while (true) {
        List<StoredEvent> batch = store.s.read(EventStore.HISTORY, after, 333);
        if (batch.isEmpty()) {
          break;
        }
        for (StoredEvent e : batch) {
          assertEquals(after + 1, e.sequence());
          assertEquals(events.get(n++).eventId(), e.event().eventId());
          after = e.sequence();
        }
      }
      assertEquals(events.size(), n);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  record Closing(EmbeddedEventStore s) implements AutoCloseable {
    @Override
    public void close() {
      s.close();
    }
  }

  private static Closing closing(EmbeddedEventStore s) {
    return new Closing(s);
  }

  @Test
  void invalidValuesAtStartAreReplacedByTheirDefaultsAndTheStoreStarts() throws Exception {
    StoreConfig bad =
        TestEvents.config(
            Map.of(
                "history.retention.days", 0,
                "journal.dictionary.samples", 50,
                "index.refresh.millis", 5,
                "journal.segment.megabytes", 2));
    StoreConfig used = EmbeddedEventStore.withDefaultsForInvalid(bad);
    assertEquals(90, used.history_retention_days());
    assertEquals(20_000, used.journal_dictionary_samples());
    assertEquals(250, used.index_refresh_millis());
    assertEquals(2, used.journal_segment_megabytes(), "valid values are kept");
    try (var store = closing(new EmbeddedEventStore(dir, bad))) {
      Event e = TestEvents.event(Instant.now(), "alice");
      store.s.append(EventStore.HISTORY, List.of(e));
      assertEquals(
          e.eventId(),
          store.s.find(EventStore.HISTORY, A, e.eventId()).orElseThrow().event().eventId());
      assertEquals(90, store.s.stream(EventStore.HISTORY).orElseThrow().spec().retentionDays());
    }
  }
}
