package org.opentrail.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.consume.Fixture.A;
import static org.opentrail.consume.Fixture.LOGSTORE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.consume.Checkpoint;
import org.opentrail.api.consume.CursorStart;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.consume.PullResult;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.store.EmbeddedEventStore;

class ConsumerGroupsTest {
  @TempDir Path dir;

  /** One consumer of a group: resumes from the group's checkpoint, saves it after each pull. */
  private static int consume(LogConsumer c, String group, List<String> seen, int maxPulls) {
    Checkpoint cp = c.checkpoints(A, LOGSTORE, group).get(0);
    String cursor =
        cp.cursor().isEmpty() ? c.cursor(A, LOGSTORE, CursorStart.begin()) : cp.cursor();
    int pulls = 0;
    while (pulls < maxPulls) {
      PullResult r = c.pull(A, LOGSTORE, cursor, 97, LogConsumer.MAX_PULL_BYTES);
      assertTrue(r.lost().isEmpty(), "nothing is lost here: " + r.lost());
      if (r.atEnd()) {
        break;
      }
      for (StoredEvent e : r.events()) {
        seen.add(e.event().eventId());
      }
      c.updateCheckpoint(A, LOGSTORE, group, 0, "consumer-1", r.nextCursor());
      cursor = r.nextCursor();
      pulls++;
    }
    return pulls;
  }

  @Test
  void twoGroupsEachReadEveryEventExactlyOnceAcrossARestart() throws Exception {
    try (EmbeddedEventStore store = Fixture.store(dir.resolve("store"), Map.of())) {
      String stream = Fixture.logstore(store, A, 30);
      List<String> appended = new ArrayList<>();
      appended.addAll(Fixture.append(store, stream, A, Instant.now(), 500, 50));
      Path state = dir.resolve("consume");
      LogConsumer first = new LogConsumerService(store, state);
      first.createGroup(A, LOGSTORE, "group-a", 60, true);
      first.createGroup(A, LOGSTORE, "group-b", 60, false);

      // events keep arriving while both groups consume
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<String> later = new ArrayList<>();
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int b = 0; b < 40; b++) {
                    later.addAll(Fixture.append(store, stream, A, Instant.now(), 50, 50));
                  }
                } catch (Throwable t) {
                  failed.set(t);
                }
              });
      writer.start();
      List<String> seenA = new ArrayList<>();
      List<String> seenB = new ArrayList<>();
      consume(first, "group-a", seenA, 4);
      consume(first, "group-b", seenB, 7);

      // the consumer service restarts: everything it knows comes from its files
      LogConsumer second = new LogConsumerService(store, state);
      consume(second, "group-a", seenA, 3);
      writer.join(60_000);
      assertEquals(null, failed.get());
      appended.addAll(later);
      LogConsumer third = new LogConsumerService(store, state);
      consume(third, "group-a", seenA, Integer.MAX_VALUE);
      consume(third, "group-b", seenB, Integer.MAX_VALUE);

      assertEquals(2500, appended.size());
      assertEquals(appended, seenA, "group-a read every event once, in order");
      assertEquals(appended, seenB, "group-b read every event once, in order");
      Checkpoint cp = third.checkpoints(A, LOGSTORE, "group-a").get(0);
      assertEquals(store.lastSequence(stream), cp.sequence());
      assertEquals("consumer-1", cp.consumer());
      assertEquals(
          List.of("group-a", "group-b"),
          third.groups(A, LOGSTORE).stream().map(g -> g.name()).toList());
      assertTrue(third.groups(A, LOGSTORE).get(0).inOrder());
    }
  }

  @Test
  void badNamesUnknownGroupsAndLimitsGiveClearErrors() throws Exception {
    try (EmbeddedEventStore store = Fixture.store(dir.resolve("store"), Map.of())) {
      Fixture.logstore(store, A, 30);
      LogConsumer c = new LogConsumerService(store, dir.resolve("consume"));
      for (String bad : new String[] {"a", "-ab", "ab-", "has space", "a/b", "x".repeat(129), ""}) {
        OpenTrailException e =
            assertThrows(OpenTrailException.class, () -> c.createGroup(A, LOGSTORE, bad, 60, true));
        assertEquals("InvalidParameter", e.code(), bad);
        assertTrue(e.getMessage().contains("2 to 128"), e.getMessage());
      }
      assertEquals(
          "InvalidParameter",
          assertThrows(OpenTrailException.class, () -> c.createGroup(A, LOGSTORE, "ok", 0, true))
              .code());
      c.createGroup(A, LOGSTORE, "Group_1", 60, true);
      OpenTrailException dup =
          assertThrows(
              OpenTrailException.class, () -> c.createGroup(A, LOGSTORE, "Group_1", 60, true));
      assertEquals("ConsumerGroupAlreadyExist", dup.code());
      assertEquals(409, dup.httpStatus());
      OpenTrailException unknown =
          assertThrows(OpenTrailException.class, () -> c.checkpoints(A, LOGSTORE, "nope"));
      assertEquals("ConsumerGroupNotExist", unknown.code());
      assertEquals(404, unknown.httpStatus());
      assertTrue(unknown.getMessage().contains("nope"));
      String cursor = c.cursor(A, LOGSTORE, CursorStart.begin());
      assertEquals(
          "ConsumerGroupNotExist",
          assertThrows(
                  OpenTrailException.class,
                  () -> c.updateCheckpoint(A, LOGSTORE, "nope", 0, "c", cursor))
              .code());
      assertEquals(
          "ShardNotExist",
          assertThrows(
                  OpenTrailException.class,
                  () -> c.updateCheckpoint(A, LOGSTORE, "Group_1", 1, "c", cursor))
              .code());
      assertEquals(
          "ConsumerGroupNotExist",
          assertThrows(OpenTrailException.class, () -> c.deleteGroup(A, LOGSTORE, "nope")).code());
      for (int n : new int[] {0, 1001}) {
        OpenTrailException e =
            assertThrows(OpenTrailException.class, () -> c.pull(A, LOGSTORE, cursor, n, 1000));
        assertEquals("InvalidParameter", e.code());
      }
      for (int i = 2; i <= LogConsumer.MAX_GROUPS_PER_LOGSTORE; i++) {
        c.createGroup(A, LOGSTORE, "group-" + i, 60, false);
      }
      assertEquals(
          "ConsumerGroupQuotaExceed",
          assertThrows(
                  OpenTrailException.class, () -> c.createGroup(A, LOGSTORE, "one-more", 60, true))
              .code());
      c.deleteGroup(A, LOGSTORE, "group-2");
      assertEquals(29, c.groups(A, null).size());
      // one consumer holds shard 0 while it beats; another gets nothing
      assertEquals(List.of(0), c.heartbeat(A, LOGSTORE, "Group_1", "c1"));
      assertEquals(List.of(), c.heartbeat(A, LOGSTORE, "Group_1", "c2"));
      assertEquals(List.of(0), c.heartbeat(A, LOGSTORE, "Group_1", "c1"));
    }
  }

  @Test
  void aDamagedCheckpointFileIsReportedNeverReset() throws Exception {
    try (EmbeddedEventStore store = Fixture.store(dir.resolve("store"), Map.of())) {
      String stream = Fixture.logstore(store, A, 30);
      Fixture.append(store, stream, A, Instant.now(), 10, 10);
      Path state = dir.resolve("consume");
      LogConsumer c = new LogConsumerService(store, state);
      c.createGroup(A, LOGSTORE, "g1", 60, true);
      PullResult r = c.pull(A, LOGSTORE, c.cursor(A, LOGSTORE, CursorStart.begin()), 5, 100_000);
      c.updateCheckpoint(A, LOGSTORE, "g1", 0, "me", r.nextCursor());
      Path file = state.resolve("groups").resolve(A).resolve(LOGSTORE).resolve("g1.group");
      String good = Files.readString(file);
      assertTrue(good.contains("sequence=5\n"), good);
      String damaged = good.replace("sequence=5", "sequence=7");
      Files.writeString(file, damaged);

      LogConsumer restarted = new LogConsumerService(store, state);
      for (LogConsumer x : List.of(c, restarted)) {
        OpenTrailException e =
            assertThrows(OpenTrailException.class, () -> x.checkpoints(A, LOGSTORE, "g1"));
        assertEquals("CheckpointDamaged", e.code());
        assertEquals(500, e.httpStatus());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertThrows(
            OpenTrailException.class,
            () -> x.updateCheckpoint(A, LOGSTORE, "g1", 0, "me", r.nextCursor()));
        assertThrows(OpenTrailException.class, () -> x.createGroup(A, LOGSTORE, "g1", 60, true));
      }
      assertEquals(damaged, Files.readString(file), "the damaged file is left as it was");
      Files.writeString(file, good.substring(0, good.length() / 2));
      assertEquals(
          "CheckpointDamaged",
          assertThrows(OpenTrailException.class, () -> c.checkpoints(A, LOGSTORE, "g1")).code());

      // a cursor key that is not a key is refused, never replaced
      Files.write(state.resolve("cursor.key"), new byte[7]);
      assertThrows(DamagedFileException.class, () -> new LogConsumerService(store, state));
      assertEquals(7, Files.size(state.resolve("cursor.key")));
      assertFalse(Files.exists(state.resolve("cursor.key.tmp")));
    }
  }
}
