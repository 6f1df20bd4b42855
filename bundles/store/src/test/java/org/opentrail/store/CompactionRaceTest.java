package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;

/**
 * a past day's partition is being merged (caught in {@code IndexPartition.compact} on the indexer
 * thread) while lookups run, late events for that day arrive, and retention drops an older
 * partition; then a restart right after. Lookups must neither fail nor miss or invent events,
 * indexing must go on, and the restart must answer the same.
 */
class CompactionRaceTest {
  @TempDir Path dir;

  static Map<String, Object> config(int retentionDays) {
    Map<String, Object> m = new HashMap<>();
    m.put("index.refresh.millis", 10);
    m.put("index.ram.buffer.megabytes", 4);
    m.put("history.retention.days", retentionDays);
    m.put("free.space.floor.megabytes", 0);
    return m;
  }

  static boolean compacting() {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getName().startsWith("opentrail-indexer")) {
        for (StackTraceElement f : e.getValue()) {
          if (f.getClassName().endsWith("IndexPartition") && f.getMethodName().equals("compact")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void compactionWhileLookupsLateEventsAndRetentionDrop() throws Exception {
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant day2 = today.minus(2, ChronoUnit.DAYS); // kept
    Instant day4 = today.minus(4, ChronoUnit.DAYS); // dropped by retention 3 days
    Map<String, List<String>> byUserDay2 = new ConcurrentHashMap<>();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(config(7)))) {
      for (int b = 0; b < 120; b++) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          int k = b * 200 + i;
          Instant base = k % 2 == 0 ? day2 : day4;
          Event e = TestEvents.event(base.plusMillis(k * 3000L % 86_000_000L), "u" + (k % 5));
          batch.add(e);
          if (base == day2) {
            byUserDay2.computeIfAbsent(e.userName(), u -> new ArrayList<>()).add(e.eventId());
          }
        }
        store.append(EventStore.HISTORY, batch);
        Thread.sleep(3); // many small segments
      }
      DamageFixture.await(store);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!compacting() && System.nanoTime() < deadline) {
        Thread.sleep(0, 200_000);
      }
      assertTrue(compacting(), "caught a compaction under way");
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      // lookups of day 2 and day 4 all along
      for (int l = 0; l < 2; l++) {
        threads.add(
            new Thread(
                () -> {
                  while (!stop.get()) {
                    for (int u = 0; u < 5 && !stop.get(); u++) {
                      try {
                        List<String> want;
                        synchronized (byUserDay2) { // acknowledged before the lookup
                          want = new ArrayList<>(byUserDay2.get("u" + u));
                        }
                        List<StoredEvent> got =
                            store.query(
                                new StoreQuery(
                                    EventStore.HISTORY,
                                    TestEvents.ACCOUNT,
                                    day2.toEpochMilli(),
                                    day2.plus(1, ChronoUnit.DAYS).toEpochMilli() - 1,
                                    List.of(new LookupAttribute(LookupKey.USER, "u" + u)),
                                    Direction.FORWARD,
                                    null,
                                    5000));
                        java.util.Set<String> ids = new java.util.HashSet<>();
                        got.forEach(e -> ids.add(e.event().eventId()));
                        if (ids.size() != got.size()) {
                          problems.add("duplicates for u" + u);
                        }
                        for (String id : want) {
                          if (!ids.contains(id)) {
                            problems.add("day 2 lookup of u" + u + " misses " + id);
                            break;
                          }
                        }
                        store.query(
                            new StoreQuery(
                                EventStore.HISTORY,
                                TestEvents.ACCOUNT,
                                day4.toEpochMilli(),
                                day4.plus(1, ChronoUnit.DAYS).toEpochMilli() - 1,
                                List.of(new LookupAttribute(LookupKey.USER, "u" + u)),
                                Direction.BACKWARD,
                                null,
                                50));
                      } catch (RuntimeException e) {
                        problems.add("lookup failed: " + e);
                      }
                    }
                  }
                }));
      }
      // late events into day 2
      threads.add(
          new Thread(
              () -> {
                int n = 0;
                while (!stop.get()) {
                  Event e = TestEvents.event(day2.plusSeconds(7 + n++), "u" + (n % 5));
                  synchronized (byUserDay2) {
                    store.append(EventStore.HISTORY, List.of(e));
                    byUserDay2.get(e.userName()).add(e.eventId());
                  }
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException ex) {
                    return;
                  }
                }
              }));
      threads.forEach(Thread::start);
      store.modified(TestEvents.config(config(3))); // drops day 4 while the merge runs
      Thread.sleep(3000);
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      DamageFixture.await(store);
      StreamStore s = streamOf(store);
      assertNull(s.failure(), "indexing goes on");
      assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())));
      assertTrue(
          store
              .query(
                  new StoreQuery(
                      EventStore.HISTORY,
                      TestEvents.ACCOUNT,
                      day4.toEpochMilli(),
                      day4.plus(1, ChronoUnit.DAYS).toEpochMilli() - 1,
                      List.of(),
                      Direction.BACKWARD,
                      null,
                      50))
              .isEmpty(),
          "day 4 is past retention");
    }
    // restart right after
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(config(3)))) {
      DamageFixture.await(store);
      for (int u = 0; u < 5; u++) {
        List<StoredEvent> got =
            store.query(
                new StoreQuery(
                    EventStore.HISTORY,
                    TestEvents.ACCOUNT,
                    day2.toEpochMilli(),
                    day2.plus(1, ChronoUnit.DAYS).toEpochMilli() - 1,
                    List.of(new LookupAttribute(LookupKey.USER, "u" + u)),
                    Direction.FORWARD,
                    null,
                    5000));
        java.util.Set<String> ids = new java.util.HashSet<>();
        got.forEach(e -> ids.add(e.event().eventId()));
        assertEquals(new java.util.HashSet<>(byUserDay2.get("u" + u)), ids, "after restart u" + u);
      }
      LocalDate d4 = LocalDate.ofInstant(day4, ZoneOffset.UTC);
      assertTrue(
          !Files.exists(dir.resolve("streams/history/index").resolve(d4.toString())),
          "the dropped partition stays dropped");
    }
  }

  @SuppressWarnings("unchecked")
  static StreamStore streamOf(EmbeddedEventStore store) throws Exception {
    java.lang.reflect.Field f = EmbeddedEventStore.class.getDeclaredField("streams");
    f.setAccessible(true);
    return ((Map<String, StreamStore>) f.get(store)).get(EventStore.HISTORY);
  }
}
