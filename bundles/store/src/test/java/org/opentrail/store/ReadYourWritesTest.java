package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.StoreAnswer;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;

/**
 * An event is found as soon as its append returns, whether the index has refreshed or not: answers
 * are compared with an in-memory oracle for random lookups (attributes, windows, both directions,
 * pages) while events keep arriving out of time order and the index refreshes underneath.
 */
class ReadYourWritesTest {
  private static final String A = TestEvents.ACCOUNT;
  @TempDir Path dir;

  private record Stored(long seq, long time, String user, String eventId) {
    Position position() {
      return new Position(time, seq);
    }
  }

  private static final Comparator<Position> NEWEST =
      Comparator.comparingLong(Position::timeMillis).thenComparingLong(Position::sequence);

  @Test
  void lookupsFindEveryAcknowledgedEventWhateverTheIndexHasSeen() throws Exception {
    // a refresh interval long enough that most lookups here run before the index sees the events
    for (int refreshMillis : new int[] {60_000, 15}) {
      Path d = dir.resolve("refresh-" + refreshMillis);
      try (EmbeddedEventStore store =
          new EmbeddedEventStore(
              d, TestEvents.config(Map.of("index.refresh.millis", refreshMillis)))) {
        check(store, new SplittableRandom(refreshMillis));
      }
    }
  }

  private static void check(EmbeddedEventStore store, SplittableRandom r) {
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
    long span = ChronoUnit.DAYS.getDuration().toMillis() * 3;
    List<Stored> stored = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        // whole seconds, so that events share an eventTime and the sequence orders them
        Instant t = start.plusSeconds(r.nextLong(span / 1000));
        batch.add(TestEvents.event(t, "u" + r.nextInt(7)));
      }
      List<AppendOutcome> out = store.append(EventStore.HISTORY, batch);
      for (int i = 0; i < batch.size(); i++) {
        Event e = batch.get(i);
        stored.add(
            new Stored(out.get(i).sequence(), e.eventTimeMillis(), e.userName(), e.eventId()));
      }
      for (int q = 0; q < 25; q++) {
        lookupAndCompare(store, stored, r, start.toEpochMilli(), span);
      }
    }
  }

  private static void lookupAndCompare(
      EmbeddedEventStore store, List<Stored> stored, SplittableRandom r, long start, long span) {
    long from = start + (r.nextBoolean() ? 0 : r.nextLong(span));
    long to = r.nextBoolean() ? start + span : from + r.nextLong(span / 4);
    String user = r.nextInt(3) == 0 ? null : "u" + r.nextInt(8);
    Direction d = r.nextBoolean() ? Direction.BACKWARD : Direction.FORWARD;
    int limit = 1 + r.nextInt(50);
    List<LookupAttribute> attrs =
        user == null ? List.of() : List.of(new LookupAttribute(LookupKey.USER, user));
    Comparator<Position> order = d == Direction.BACKWARD ? NEWEST.reversed() : NEWEST;
    List<Position> expected = new ArrayList<>();
    for (Stored s : stored) {
      if (s.time() >= from && s.time() <= to && (user == null || user.equals(s.user()))) {
        expected.add(s.position());
      }
    }
    expected.sort(order);
    Position after = null;
    for (int page = 0; page < 3; page++) {
      StoreAnswer a =
          store.search(new StoreQuery(EventStore.HISTORY, A, from, to, attrs, d, after, limit));
      List<Position> got = a.events().stream().map(StoredEvent::position).toList();
      int fromIndex = page * limit;
      List<Position> want =
          expected.subList(
              Math.min(fromIndex, expected.size()), Math.min(fromIndex + limit, expected.size()));
      assertEquals(want, got, "page " + (page + 1) + " of " + user + " " + d + " limit " + limit);
      if (got.size() < limit) {
        return;
      }
      after = got.get(got.size() - 1);
    }
  }
}
