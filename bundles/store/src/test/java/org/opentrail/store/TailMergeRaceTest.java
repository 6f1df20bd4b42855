package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;

/**
 * lookups while events keep arriving and the index refreshes every 10 ms. Every page is compared
 * with an oracle of the events acknowledged before the lookup started: a page must be full when
 * enough such events exist, strictly ordered, and must not skip any of them (an event acknowledged
 * before the lookup and ordered before the page's last event must be on the page).
 */
class TailMergeRaceTest {
  @TempDir Path dir;

  private static final Comparator<Position> OLDEST =
      Comparator.comparingLong(Position::timeMillis).thenComparingLong(Position::sequence);

  @Test
  void pagesUnderConcurrentAppendsAndRefreshesAreFullAndSkipNothing() throws Exception {
    for (Direction d : new Direction[] {Direction.BACKWARD, Direction.FORWARD}) {
      run(d, dir.resolve(d.name()));
    }
  }

  private void run(Direction direction, Path root) throws Exception {
    Comparator<Position> order = direction == Direction.BACKWARD ? OLDEST.reversed() : OLDEST;
    long now = System.currentTimeMillis();
    ConcurrentSkipListSet<Position> acked = new ConcurrentSkipListSet<>(OLDEST);
    try (EmbeddedEventStore store =
        new EmbeddedEventStore(root, TestEvents.config(Map.of("index.refresh.millis", 10)))) {
      // an hour of older events for the same user, all indexed
      List<Event> old = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        old.add(TestEvents.event(Instant.ofEpochMilli(now - 3_600_000L + i * 1000L), "hot"));
      }
      record(store, old, acked);
      while (!store.settled(EventStore.HISTORY)) {
        Thread.sleep(10);
      }
      long deadline = System.nanoTime() + 4_000_000_000L; // per direction
      AtomicLong lookups = new AtomicLong();
      AtomicInteger bad = new AtomicInteger();
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int seed = w;
        threads.add(
            new Thread(
                () -> {
                  SplittableRandom r = new SplittableRandom(seed);
                  while (System.nanoTime() < deadline) {
                    List<Event> batch = new ArrayList<>();
                    int n = r.nextInt(4) == 0 ? 20 + r.nextInt(40) : 1 + r.nextInt(3);
                    for (int i = 0; i < n; i++) {
                      long t =
                          r.nextInt(10) == 0
                              ? now - 3_600_000L + r.nextLong(400_000L) // a late event
                              : System.currentTimeMillis();
                      batch.add(TestEvents.event(Instant.ofEpochMilli(t), "hot"));
                    }
                    record(store, batch, acked);
                  }
                }));
      }
      for (int l = 0; l < 2; l++) {
        int seed = 100 + l;
        threads.add(
            new Thread(
                () -> {
                  SplittableRandom r = new SplittableRandom(seed);
                  while (System.nanoTime() < deadline) {
                    NavigableSet<Position> before = new java.util.TreeSet<>(order);
                    before.addAll(acked); // acknowledged before the lookup started
                    int limit = 2 + r.nextInt(10);
                    Position after = null;
                    for (int page = 0; page < 3; page++) {
                      List<Position> got =
                          store
                              .search(
                                  new StoreQuery(
                                      EventStore.HISTORY,
                                      TestEvents.ACCOUNT,
                                      now - 7_200_000L,
                                      now + 3_600_000L,
                                      List.of(new LookupAttribute(LookupKey.USER, "hot")),
                                      direction,
                                      after,
                                      limit))
                              .events()
                              .stream()
                              .map(StoredEvent::position)
                              .toList();
                      lookups.incrementAndGet();
                      String problem = check(before, after, got, limit, order);
                      if (problem != null) {
                        bad.incrementAndGet();
                        if (failures.size() < 5) {
                          failures.add(direction + " page " + (page + 1) + ": " + problem);
                        }
                        break;
                      }
                      if (got.size() < limit) {
                        break;
                      }
                      after = got.get(got.size() - 1);
                    }
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(
          List.of(),
          failures,
          bad.get() + " bad pages of " + lookups.get() + " lookups " + direction);
    }
  }

  private static String check(
      NavigableSet<Position> before,
      Position after,
      List<Position> got,
      int limit,
      Comparator<Position> order) {
    for (int i = 1; i < got.size(); i++) {
      if (order.compare(got.get(i - 1), got.get(i)) >= 0) {
        return "not strictly ordered at " + i + ": " + got;
      }
    }
    NavigableSet<Position> rest = after == null ? before : before.tailSet(after, false);
    if (got.size() < limit && rest.size() >= limit) {
      return "a short page of "
          + got.size()
          + " (limit "
          + limit
          + ") while "
          + rest.size()
          + " acknowledged events were left; expected starts with "
          + rest.stream().limit(limit).toList()
          + ", got "
          + got;
    }
    if (got.isEmpty()) {
      return null;
    }
    Position last = got.get(got.size() - 1);
    for (Position p : rest.headSet(last, true)) {
      if (!got.contains(p)) {
        return "skipped acknowledged " + p + " (page ends at " + last + "): " + got;
      }
    }
    return null;
  }

  private static void record(
      EmbeddedEventStore store, List<Event> batch, NavigableSet<Position> acked) {
    List<AppendOutcome> out = store.append(EventStore.HISTORY, batch);
    for (int i = 0; i < batch.size(); i++) {
      acked.add(new Position(batch.get(i).eventTimeMillis(), out.get(i).sequence()));
    }
  }
}
