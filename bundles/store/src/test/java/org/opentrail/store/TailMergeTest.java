package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.store.index.EventIndex;

/**
 * deterministic version of the tail/index merge race in {@code StreamStore.positions}: a lookup
 * reads the tail's visible mark and the journal's last sequence, then (paused here by a hook in the
 * index's partition map, standing for a descheduled thread or a long {@code checked()}) more
 * matching events are appended and the indexer refreshes, with no append afterwards (so no prune
 * and no retry). The searcher then sees hits beyond the journal's last sequence as read; they are
 * filtered out but were counted in the search's limit.
 */
class TailMergeTest {
  @TempDir Path dir;

  /** Pauses the lookup thread the first time it asks the index for a partition. */
  static final class PausingMap extends ConcurrentSkipListMap<LocalDate, Object> {
    private static final long serialVersionUID = 1L;
    volatile Thread victim;
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    PausingMap(Map<LocalDate, ?> m) {
      super(m);
    }

    @Override
    public Object get(Object key) {
      if (Thread.currentThread() == victim) {
        victim = null;
        paused.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.get(key);
    }
  }

  @SuppressWarnings("unchecked")
  static PausingMap hook(EmbeddedEventStore store) throws Exception {
    Field streams = EmbeddedEventStore.class.getDeclaredField("streams");
    streams.setAccessible(true);
    StreamStore s = ((Map<String, StreamStore>) streams.get(store)).get(EventStore.HISTORY);
    EventIndex index = s.index();
    Field open = EventIndex.class.getDeclaredField("open");
    open.setAccessible(true);
    PausingMap m = new PausingMap((Map<LocalDate, ?>) open.get(index));
    open.set(index, m);
    return m;
  }

  static long visible(EmbeddedEventStore store) {
    return store.stream(EventStore.HISTORY).orElseThrow().indexedSequence();
  }

  private static AppendOutcome append(EmbeddedEventStore store, Event e) {
    return store.append(EventStore.HISTORY, List.of(e)).get(0);
  }

  /**
   * @param recentTime the eventTime of the one event in the tail when the lookup starts
   * @return the page the lookup answered, and what it should have answered
   */
  private List<List<String>> race(Path root, long recentTime) throws Exception {
    return race(root, recentTime, Direction.BACKWARD, 1000, 2000);
  }

  private List<List<String>> race(
      Path root, long recentTime, Direction direction, long newOffset1, long newOffset2)
      throws Exception {
    long now = System.currentTimeMillis();
    List<Event> older = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      older.add(TestEvents.event(Instant.ofEpochMilli(now - 600_000L + i * 1000L), "hot"));
    }
    try (EmbeddedEventStore store =
        new EmbeddedEventStore(root, TestEvents.config(Map.of("index.refresh.millis", 2000)))) {
      store.append(EventStore.HISTORY, older);
      while (!store.settled(EventStore.HISTORY)) {
        Thread.sleep(5);
      }
      PausingMap hook = hook(store);
      // the indexer refreshed just now: the next refresh is ~2 s away
      Event recent = TestEvents.event(Instant.ofEpochMilli(recentTime), "hot");
      long recentSeq = append(store, recent).sequence();
      assertTrue(visible(store) < recentSeq, "the test needs the event still in the tail");
      int limit = 5;
      StoreQuery q =
          new StoreQuery(
              EventStore.HISTORY,
              TestEvents.ACCOUNT,
              now - 3_600_000L,
              now + 3_600_000L,
              List.of(new LookupAttribute(LookupKey.USER, "hot")),
              direction,
              null,
              limit);
      AtomicReference<List<StoredEvent>> answer = new AtomicReference<>();
      Thread lookup = new Thread(() -> answer.set(store.search(q).events()));
      hook.victim = lookup;
      lookup.start();
      assertTrue(hook.paused.await(10, TimeUnit.SECONDS));
      // acknowledged while the lookup runs: may or may not be found, but must not cost other hits
      Event n1 = TestEvents.event(Instant.ofEpochMilli(now + newOffset1), "hot");
      Event n2 = TestEvents.event(Instant.ofEpochMilli(now + newOffset2), "hot");
      long last = store.append(EventStore.HISTORY, List.of(n1, n2)).get(1).sequence();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (visible(store) < last && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(visible(store) >= last, "the indexer refreshed");
      hook.release.countDown();
      lookup.join(10_000);
      List<String> got = answer.get().stream().map(e -> e.event().eventId()).toList();
      // what it must answer: the newest 5 of `older` + recent (n1, n2 optional, ignored here)
      List<Event> known = new ArrayList<>(older);
      known.add(recent);
      known.sort(
          (a, b) ->
              direction == Direction.BACKWARD
                  ? Long.compare(b.eventTimeMillis(), a.eventTimeMillis())
                  : Long.compare(a.eventTimeMillis(), b.eventTimeMillis())); // distinct times
      List<String> want = known.subList(0, limit).stream().map(Event::eventId).toList();
      List<String> gotWithoutNew =
          got.stream().filter(id -> !id.equals(n1.eventId()) && !id.equals(n2.eventId())).toList();
      return List.of(gotWithoutNew, want, got);
    }
  }

  /** The tail's event is the newest: the page comes back short (no NextToken in LookupEvents). */
  @Test
  void pageIsNotShortenedByHitsAcknowledgedDuringTheLookup() throws Exception {
    long now = System.currentTimeMillis();
    List<List<String>> r = race(dir.resolve("a"), now);
    List<String> got = r.get(2);
    assertEquals(5, got.size(), "a full page of 5: there are 21 older matches; got " + got);
  }

  /**
   * The tail's event is older than most indexed hits (a late event): the page skips the indexed
   * hits between, and the next page (after the late event) never returns them.
   */
  @Test
  void pageSkipsNoIndexedHitWhenALateEventIsInTheTail() throws Exception {
    long now = System.currentTimeMillis();
    List<List<String>> r = race(dir.resolve("b"), now - 599_500L); // between older[0] and [1]
    List<String> got = r.get(2);
    List<String> want = r.get(1);
    // n1, n2 may be on the page; what else is there must be the newest of the acknowledged events
    List<String> gotWithoutNew = r.get(0);
    assertEquals(
        want.subList(0, gotWithoutNew.size()),
        gotWithoutNew,
        "the page must be a prefix of the acknowledged matches; got " + got);
  }

  /**
   * FORWARD: two late events (older than everything) are acknowledged during the lookup; the page
   * then jumps from the oldest indexed hits to the event in the tail, skipping the rest.
   */
  @Test
  void forwardPageSkipsNoIndexedHit() throws Exception {
    long now = System.currentTimeMillis();
    List<List<String>> r = race(dir.resolve("c"), now, Direction.FORWARD, -700_000, -699_000);
    List<String> gotWithoutNew = r.get(0);
    assertEquals(
        r.get(1).subList(0, gotWithoutNew.size()),
        gotWithoutNew,
        "the page must be a prefix of the acknowledged matches; got " + r.get(2));
  }
}
