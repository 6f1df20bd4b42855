package org.opentrail.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.consume.Fixture.A;
import static org.opentrail.consume.Fixture.B;
import static org.opentrail.consume.Fixture.LOGSTORE;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.consume.CursorStart;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.consume.LostRange;
import org.opentrail.api.consume.PullResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.store.EmbeddedEventStore;

class CursorsAndPullsTest {
  @TempDir Path dir;

  private static List<String> ids(PullResult r) {
    return r.events().stream().map(e -> e.event().eventId()).toList();
  }

  @Test
  void cursorsStartAtTheBeginningAtATimeAndAtTheEnd() throws Exception {
    try (EmbeddedEventStore store = Fixture.store(dir.resolve("store"), Map.of())) {
      String stream = Fixture.logstore(store, A, 30);
      LogConsumer c = new LogConsumerService(store, dir.resolve("consume"));
      String empty = c.cursor(A, LOGSTORE, CursorStart.begin());
      assertTrue(c.pull(A, LOGSTORE, empty, 10, 100_000).atEnd());

      Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      List<String> ids = Fixture.append(store, stream, A, t0, 100, 20);
      assertEquals(ids.subList(0, 10), ids(c.pull(A, LOGSTORE, empty, 10, 100_000)));
      String begin = c.cursor(A, LOGSTORE, CursorStart.begin());
      assertEquals(ids.subList(0, 3), ids(c.pull(A, LOGSTORE, begin, 3, 100_000)));
      // the first event at or after the time, exactly at one and between two
      String at50 = c.cursor(A, LOGSTORE, CursorStart.at(t0.plusSeconds(50)));
      assertEquals(ids.subList(50, 55), ids(c.pull(A, LOGSTORE, at50, 5, 100_000)));
      String between = c.cursor(A, LOGSTORE, CursorStart.at(t0.plusMillis(70_400)));
      assertEquals(ids.subList(71, 73), ids(c.pull(A, LOGSTORE, between, 2, 100_000)));
      String before =
          c.cursor(A, LOGSTORE, CursorStart.parse(Long.toString(t0.getEpochSecond() - 5)));
      assertEquals(ids.subList(0, 1), ids(c.pull(A, LOGSTORE, before, 1, 100_000)));
      String after = c.cursor(A, LOGSTORE, CursorStart.at(t0.plusSeconds(1000)));
      assertTrue(c.pull(A, LOGSTORE, after, 5, 100_000).atEnd());
      String end = c.cursor(A, LOGSTORE, CursorStart.parse("end"));
      PullResult nothing = c.pull(A, LOGSTORE, end, 10, 100_000);
      assertTrue(nothing.atEnd());
      assertEquals(end, nothing.nextCursor());
      List<String> more = Fixture.append(store, stream, A, Instant.now(), 3, 20);
      PullResult r = c.pull(A, LOGSTORE, end, 10, 100_000);
      assertEquals(more, ids(r));
      assertEquals(103, r.endSequence());
      assertEquals(more, ids(c.pull(A, LOGSTORE, after, 10, 100_000)));

      // the byte limit: whole events, at least one
      int size = store.read(stream, 0, 1).get(0).event().jsonSize();
      PullResult small = c.pull(A, LOGSTORE, begin, 1000, size * 3L + size / 2);
      assertEquals(ids.subList(0, 3), ids(small));
      assertEquals(ids.subList(3, 4), ids(c.pull(A, LOGSTORE, small.nextCursor(), 1000, 1)));
      assertEquals(
          "InvalidParameter",
          assertThrows(OpenTrailException.class, () -> CursorStart.parse("yesterday")).code());
    }
  }

  @Test
  void aConsumerBehindRetentionIsToldExactlyWhatItLost() throws Exception {
    Map<String, Object> small =
        Map.of(
            "journal.segment.megabytes", 1,
            "journal.compression.level", 0,
            "index.commit.seconds", 1);
    try (EmbeddedEventStore store = Fixture.store(dir.resolve("store"), small)) {
      String stream = Fixture.logstore(store, A, 1);
      LogConsumer c = new LogConsumerService(store, dir.resolve("consume"));
      c.createGroup(A, LOGSTORE, "slow", 60, true);
      Instant old = Instant.now().minus(10, ChronoUnit.DAYS);
      List<String> ids = new ArrayList<>();
      String begin = c.cursor(A, LOGSTORE, CursorStart.begin());
      for (int b = 0; b < 8; b++) {
        ids.addAll(Fixture.append(store, stream, A, old.plusSeconds(b * 1000L), 1000, 600));
      }
      PullResult ten = c.pull(A, LOGSTORE, begin, 10, 1_000_000);
      c.updateCheckpoint(A, LOGSTORE, "slow", 0, "me", ten.nextCursor());
      Instant recent = Instant.now().minus(1, ChronoUnit.HOURS);
      ids.addAll(Fixture.append(store, stream, A, recent, 100, 600));

      // retention purges old journal segments once the index has committed past them
      long deadline = System.currentTimeMillis() + 30_000;
      while (store.read(stream, 0, 1).get(0).sequence() == 1) {
        assertTrue(System.currentTimeMillis() < deadline, "retention never purged");
        store.applyRetention();
        Thread.sleep(100);
      }
      StoredEvent oldest = store.read(stream, 0, 1).get(0);
      long firstKept = oldest.sequence();
      assertTrue(firstKept > 11 && firstKept <= 8001, "some old segment was purged: " + firstKept);

      String checkpoint = c.checkpoints(A, LOGSTORE, "slow").get(0).cursor();
      PullResult r = c.pull(A, LOGSTORE, checkpoint, 50, 10_000_000);
      assertEquals(
          List.of(
              new LostRange(
                  11,
                  firstKept - 1,
                  Instant.ofEpochMilli(ten.events().get(9).timeMillis()),
                  Instant.ofEpochMilli(oldest.timeMillis()),
                  LostRange.RETENTION)),
          r.lost());
      assertEquals(ids.subList((int) firstKept - 1, (int) firstKept + 49), ids(r));
      // a cursor made before anything was purged says so too, from sequence 1
      PullResult fromBegin = c.pull(A, LOGSTORE, begin, 1, 1_000_000);
      assertEquals(1, fromBegin.lost().get(0).firstSequence());
      assertEquals(firstKept - 1, fromBegin.lost().get(0).lastSequence());
      assertEquals(null, fromBegin.lost().get(0).after());
      // the next pull goes on without reporting it again
      assertEquals(List.of(), c.pull(A, LOGSTORE, r.nextCursor(), 10, 1_000_000).lost());
      // begin now means the oldest retained event
      assertEquals(
          List.of(oldest.event().eventId()),
          ids(c.pull(A, LOGSTORE, c.cursor(A, LOGSTORE, CursorStart.begin()), 1, 1_000_000)));
    }
  }

  @Test
  void anotherAccountsLogstoreAndForgedOrAlteredCursorsAreRefused() throws Exception {
    try (EmbeddedEventStore store = Fixture.store(dir.resolve("store"), Map.of())) {
      String streamB = Fixture.logstore(store, B, 30);
      Fixture.append(store, streamB, B, Instant.now(), 5, 10);
      LogConsumer c = new LogConsumerService(store, dir.resolve("consume"));
      String cursorB = c.cursor(B, LOGSTORE, CursorStart.begin());
      // A has no such logstore: B's is not A's
      for (var call :
          List.<org.junit.jupiter.api.function.Executable>of(
              () -> c.cursor(A, LOGSTORE, CursorStart.begin()),
              () -> c.pull(A, LOGSTORE, cursorB, 10, 1000),
              () -> c.createGroup(A, LOGSTORE, "g1", 60, true),
              () -> c.cursor(A, streamB, CursorStart.begin()),
              () -> c.cursor(A, "actiontrail_" + B + "_audit", CursorStart.begin()),
              () -> c.cursor(A, "some-stream", CursorStart.begin()))) {
        OpenTrailException e = assertThrows(OpenTrailException.class, call);
        assertEquals("LogStoreNotExist", e.code());
        assertEquals(404, e.httpStatus());
      }
      // now A has one of the same name: B's cursor still does not read it, nor B's
      String streamA = Fixture.logstore(store, A, 30);
      Fixture.append(store, streamA, A, Instant.now(), 5, 10);
      OpenTrailException other =
          assertThrows(OpenTrailException.class, () -> c.pull(A, LOGSTORE, cursorB, 10, 1000));
      assertEquals("InvalidCursor", other.code());
      assertEquals(400, other.httpStatus());
      String cursorA = c.cursor(A, LOGSTORE, CursorStart.begin());
      assertEquals(
          "InvalidCursor",
          assertThrows(OpenTrailException.class, () -> c.pull(A, "history", cursorA, 10, 1000))
              .code());
      c.createGroup(A, LOGSTORE, "g1", 60, true);
      assertEquals(
          "InvalidCursor",
          assertThrows(
                  OpenTrailException.class,
                  () -> c.updateCheckpoint(A, LOGSTORE, "g1", 0, "c", cursorB))
              .code());
      // altered: every single changed byte is refused
      byte[] raw = Base64.getUrlDecoder().decode(cursorA);
      for (int i = 0; i < raw.length; i++) {
        byte[] changed = raw.clone();
        changed[i] ^= 0x01;
        String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
        assertEquals(
            "InvalidCursor",
            assertThrows(OpenTrailException.class, () -> c.pull(A, LOGSTORE, altered, 10, 1000))
                .code(),
            "byte " + i);
      }
      // forged: well-formed but signed with another key, or not a cursor at all
      LogConsumer elsewhere = new LogConsumerService(store, dir.resolve("other"));
      String forged = elsewhere.cursor(A, LOGSTORE, CursorStart.begin());
      assertNotEquals(cursorA, forged);
      for (String bad :
          new String[] {forged, "", "not a cursor", "MTIzNDU2Nzg5MA", cursorA + "A"}) {
        assertEquals(
            "InvalidCursor",
            assertThrows(OpenTrailException.class, () -> c.pull(A, LOGSTORE, bad, 10, 1000)).code(),
            bad);
      }
      assertEquals(5, c.pull(A, LOGSTORE, cursorA, 10, 100_000).events().size());
      // the history: each account reads its own events only
      store.append(EventStore.HISTORY, List.of(Fixture.event(A, Instant.now(), 1)));
      store.append(EventStore.HISTORY, List.of(Fixture.event(B, Instant.now(), 1)));
      store.append(EventStore.HISTORY, List.of(Fixture.event(A, Instant.now(), 1)));
      PullResult h = c.pull(A, "history", c.cursor(A, "history", CursorStart.begin()), 10, 100_000);
      assertEquals(2, h.events().size());
      assertTrue(h.events().stream().allMatch(e -> e.event().recipientAccountId().equals(A)));
      assertTrue(h.lost().isEmpty());
    }
  }
}
