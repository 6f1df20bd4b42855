package org.opentrail.store.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.store.TestEvents;

class JournalTest {
  @TempDir Path dir;

  /** A duplicate check that only remembers what this journal instance appended. */
  static final class MemoryCheck implements DuplicateCheck {
    final Map<String, Long> seen = new HashMap<>();

    @Override
    public void groupStarted() {}

    @Override
    public long existing(PreparedEvent e) {
      return seen.getOrDefault(e.key(), -1L);
    }

    @Override
    public void accepted(PreparedEvent e, long sequence) {
      seen.put(e.key(), sequence);
    }

    @Override
    public void groupFailed() {}

    @Override
    public void groupEnded() {}
  }

  private Journal open(long segmentBytes) throws IOException {
    Journal j = new Journal(dir, new Journal.Config(segmentBytes, 16 << 10, 1), new MemoryCheck());
    j.start();
    return j;
  }

  private static List<PreparedEvent> batch(int n, String user) {
    List<PreparedEvent> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          TestEvents.prepared(
              TestEvents.event(Instant.parse("2026-11-20T10:00:00Z").plusSeconds(i), user + i)));
    }
    return list;
  }

  @Test
  void journalsInOneProcessKeepTheirOwnBlockTables() throws Exception {
    // two streams, each a few small blocks (one per append): their tables must not share storage
    try (Journal a =
            new Journal(
                dir.resolve("a"), new Journal.Config(1 << 20, 16 << 10, 1), new MemoryCheck());
        Journal b =
            new Journal(
                dir.resolve("b"), new Journal.Config(1 << 20, 16 << 10, 1), new MemoryCheck())) {
      a.start();
      b.start();
      for (int i = 0; i < 20; i++) {
        a.append(batch(1, "a" + i + "-"));
        b.append(batch(1 + i % 3, "b" + i + "-"));
      }
      for (Journal j : List.of(a, b)) {
        for (long s = 1; s <= j.lastSequence(); s++) {
          Block block = j.block(s);
          assertTrue(
              block.firstSequence() <= s && s <= block.lastSequence(),
              "event "
                  + s
                  + " read from block "
                  + block.firstSequence()
                  + ".."
                  + block.lastSequence());
        }
      }
    }
  }

  @Test
  void concurrentAppendsGetContiguousSequencesAndSurviveReopen() throws Exception {
    int threads = 8;
    int perThread = 50;
    Set<Long> sequences = new HashSet<>();
    try (Journal j = open(1 << 20)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<AppendOutcome[]>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String user = "t" + t + "-";
        futures.add(
            pool.submit(
                () -> {
                  AppendOutcome[] all = new AppendOutcome[perThread * 10];
                  for (int b = 0; b < perThread; b++) {
                    System.arraycopy(j.append(batch(10, user + b + "-")), 0, all, b * 10, 10);
                  }
                  return all;
                }));
      }
      for (Future<AppendOutcome[]> f : futures) {
        for (AppendOutcome o : f.get()) {
          assertFalse(o.duplicate());
          assertTrue(sequences.add(o.sequence()), "sequence handed out twice: " + o.sequence());
        }
      }
      pool.shutdown();
      assertEquals(threads * perThread * 10L, j.lastSequence());
    }
    for (long s = 1; s <= threads * perThread * 10L; s++) {
      assertTrue(sequences.contains(s), "missing sequence " + s);
    }
    try (Journal j = open(1 << 20)) {
      assertEquals(4000, j.lastSequence());
      Block b = j.block(1234);
      assertNotNull(b);
      JournalRecord r = b.record(1234);
      assertEquals(TestEvents.ACCOUNT, r.account());
      assertTrue(new String(r.body()).contains("\"vendorField\":[1,2,3]"));
      AppendOutcome[] more = j.append(batch(3, "after-restart"));
      assertEquals(4001, more[0].sequence());
    }
  }

  @Test
  void tornTailIsCutOffAndEverythingAcknowledgedSurvives() throws Exception {
    try (Journal j = open(1 << 30)) {
      j.append(batch(100, "a"));
      j.append(batch(100, "b"));
    }
    Path segment;
    try (Stream<Path> s = Files.list(dir)) {
      segment = s.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    long goodSize = Files.size(segment);
    // a crash in the middle of writing the next block: its header and half its payload
    try (FileChannel ch =
        FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer torn = ByteBuffer.allocate(300);
      torn.putInt(0x4F544231).putInt(5000).putInt(12345).putLong(201).putInt(10);
      torn.position(300).flip();
      ch.write(torn);
    }
    try (Journal j = open(1 << 30)) {
      assertEquals(200, j.lastSequence());
      assertEquals(goodSize, Files.size(segment));
      assertNotNull(j.block(200));
      assertEquals(201, j.append(batch(1, "c"))[0].sequence());
    }
  }

  @Test
  void aDamagedAcknowledgedBlockIsReportedNeverCut() throws Exception {
    long lastBlockFirst;
    try (Journal j = open(1 << 30)) {
      for (int i = 0; i < 5; i++) {
        j.append(batch(20, "b" + i));
      }
      lastBlockFirst = j.block(100).firstSequence();
    }
    Path segment = onlySegment();
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55}), size - 10); // flip a byte of the last block
    }
    try (Journal j = open(1 << 30)) {
      assertEquals(size, Files.size(segment), "acknowledged bytes are never cut");
      assertEquals(100, j.lastSequence(), "the highest acknowledged sequence stays");
      assertEquals(1, j.damaged().size());
      DamagedRange r = j.damaged().get(0);
      assertEquals(lastBlockFirst, r.firstSequence());
      assertEquals(100, r.lastSequence());
      assertNotNull(r.quarantine());
      assertTrue(Files.exists(dir.resolve(r.quarantine())), "damaged bytes are copied aside");
      assertThrows(DamagedEventsException.class, () -> j.block(100));
      assertNotNull(j.block(lastBlockFirst - 1));
      assertEquals(101, j.append(batch(1, "after"))[0].sequence(), "sequences are not reused");
    }
    try (Journal j = open(1 << 30)) {
      assertEquals(101, j.lastSequence());
      assertEquals(1, j.damaged().size(), "damage is remembered across restarts");
      assertNotNull(j.block(101));
    }
  }

  @Test
  void damageFollowedByGoodBlocksKeepsThemAll() throws Exception {
    List<Long> firsts = new ArrayList<>();
    try (Journal j = open(1 << 30)) {
      for (int i = 0; i < 6; i++) {
        firsts.add(j.append(batch(20, "m" + i))[0].sequence());
      }
    }
    Path segment = onlySegment();
    long offsetOfThird = offsetOfBlock(segment, firsts.get(2));
    long nextBlockFirst;
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      ByteBuffer h = ByteBuffer.allocate(Block.HEADER);
      ch.read(h, offsetOfThird);
      ByteBuffer n = ByteBuffer.allocate(Block.HEADER);
      ch.read(n, offsetOfThird + Block.HEADER + h.getInt(4));
      nextBlockFirst = n.getLong(12);
    }
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[64]), offsetOfThird + 60); // zero part of block 3
    }
    try (Journal j = open(1 << 30)) {
      assertEquals(120, j.lastSequence());
      assertEquals(1, j.damaged().size());
      assertEquals(firsts.get(2), j.damaged().get(0).firstSequence());
      assertEquals(nextBlockFirst - 1, j.damaged().get(0).lastSequence());
      for (long s = 1; s <= 120; s++) {
        if (s >= firsts.get(2) && s < nextBlockFirst) {
          long seq = s;
          assertThrows(DamagedEventsException.class, () -> j.block(seq));
        } else {
          assertNotNull(j.block(s), "event " + s + " is readable");
        }
      }
    }
  }

  @Test
  void aTornWriteAfterTheRecoveryPointIsCut() throws Exception {
    try (Journal j = open(1 << 30)) {
      j.append(batch(30, "t"));
    }
    Path segment = onlySegment();
    long good = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[777]), good); // half a block that was never acknowledged
    }
    try (Journal j = open(1 << 30)) {
      assertEquals(good, Files.size(segment));
      assertTrue(j.damaged().isEmpty(), "a torn write is not damage");
      assertEquals(31, j.append(batch(1, "u"))[0].sequence());
    }
  }

  @Test
  void aLostSealedSegmentIsAGapAndSequencesGoOn() throws Exception {
    try (Journal j = open(8 << 10)) {
      for (int i = 0; i < 20; i++) {
        j.append(batch(50, "g" + i));
      }
    }
    List<Path> logs;
    try (Stream<Path> s = Files.list(dir)) {
      logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    Path victim = logs.get(1);
    long lost = Long.parseLong(victim.getFileName().toString().replace(".log", ""));
    long next = Long.parseLong(logs.get(2).getFileName().toString().replace(".log", ""));
    Files.delete(victim);
    try (Journal j = open(8 << 10)) {
      assertEquals(1000, j.lastSequence());
      assertEquals(1, j.damaged().size());
      assertEquals(lost, j.damaged().get(0).firstSequence());
      assertEquals(next - 1, j.damaged().get(0).lastSequence());
      assertEquals(1001, j.append(batch(1, "h"))[0].sequence());
    }
  }

  @Test
  void damageAtTheStartOfASealedSegmentIsFoundAgainWhenItsRecordIsLost() throws Exception {
    try (Journal j = open(8 << 10)) {
      for (int i = 0; i < 20; i++) {
        j.append(batch(50, "s" + i));
      }
    }
    List<Path> logs;
    try (Stream<Path> s = Files.list(dir)) {
      logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    Path second = logs.get(1);
    long first = Long.parseLong(second.getFileName().toString().replace(".log", ""));
    try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x11, 0x22}), Block.HEADER + 10); // its first block
    }
    Files.delete(second.resolveSibling(second.getFileName().toString().replace(".log", ".idx")));
    long lastLost;
    try (Journal j = open(8 << 10)) { // scanned: recorded, and resealed without that block
      assertEquals(1, j.damaged().size());
      assertEquals(first, j.damaged().get(0).firstSequence());
      lastLost = j.damaged().get(0).lastSequence();
    }
    Files.delete(dir.resolve(DamageLog.FILE));
    try (Journal j = open(8 << 10)) {
      for (long s = 1; s <= 1000; s++) {
        long seq = s;
        if (s >= first && s <= lastLost) {
          assertThrows(DamagedEventsException.class, () -> j.block(seq));
        } else {
          assertNotNull(j.block(s), "event " + s);
        }
      }
      assertEquals(first, j.damaged().get(0).firstSequence(), "found again by reading");
      assertEquals(lastLost, j.damaged().get(0).lastSequence());
    }
  }

  private Path onlySegment() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
  }

  /** The byte offset of the block whose first sequence is {@code first}, by walking headers. */
  private static long offsetOfBlock(Path segment, long first) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long pos = 0;
      ByteBuffer h = ByteBuffer.allocate(Block.HEADER);
      while (pos < ch.size()) {
        h.clear();
        ch.read(h, pos);
        if (h.getLong(12) == first) {
          return pos;
        }
        pos += Block.HEADER + h.getInt(4);
      }
    }
    throw new AssertionError("no block starts at " + first);
  }

  @Test
  void duplicatesInOneGroupAreStoredOnce() throws Exception {
    try (Journal j = open(1 << 30)) {
      List<PreparedEvent> b = batch(5, "d");
      List<PreparedEvent> twice = new ArrayList<>(b);
      twice.addAll(b);
      AppendOutcome[] out = j.append(twice);
      for (int i = 0; i < 5; i++) {
        assertFalse(out[i].duplicate());
        assertTrue(out[i + 5].duplicate());
        assertEquals(out[i].sequence(), out[i + 5].sequence());
      }
      assertEquals(5, j.lastSequence());
    }
  }

  @Test
  void segmentsRollAndSealedOnesOpenFromTheirIndex() throws Exception {
    try (Journal j = open(8 << 10)) {
      for (int i = 0; i < 20; i++) {
        j.append(batch(50, "r" + i));
      }
      assertTrue(j.segments().size() > 2, "expected several segments, got " + j.segments());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertTrue(s.anyMatch(p -> p.toString().endsWith(".idx")));
    }
    try (Journal j = open(8 << 10)) {
      assertEquals(1000, j.lastSequence());
      for (long s = 1; s <= 1000; s += 37) {
        Block b = j.block(s);
        assertNotNull(b, "block for " + s);
        assertEquals(b.record(s).account(), TestEvents.ACCOUNT);
      }
      int before = j.segments().size();
      int purged = j.purgeOldest(seg -> seg.lastSequence() < 500);
      assertTrue(purged > 0);
      assertEquals(before - purged, j.segments().size());
      assertTrue(j.firstSequence() <= 500);
      assertEquals(null, j.block(1));
    }
  }

  @Test
  void appendsWaitWhileTheConsumerIsTooFarBehind() throws Exception {
    java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();
    try (Journal j = open(1 << 30)) {
      j.backpressure(consumed::get, 100);
      j.append(batch(150, "a")); // 0 behind when it started: accepted, now 150 behind
      var late = java.util.concurrent.CompletableFuture.supplyAsync(() -> j.append(batch(10, "b")));
      Thread.sleep(300);
      assertFalse(
          late.isDone(), "an append waits while the consumer is more than 100 events behind");
      consumed.set(140); // 10 behind now
      assertEquals(151, late.get(10, java.util.concurrent.TimeUnit.SECONDS)[0].sequence());
    }
  }
}
