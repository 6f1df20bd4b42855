package org.opentrail.store.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.store.TestEvents;

/**
 * Blocks whose records are compressed one by one with a zstd dictionary trained on the journal's
 * own events: written once the dictionary is durable, read back byte-exact after a reopen, checked
 * by verify, and a lost or damaged dictionary is damage of exactly the blocks that need it.
 */
class JournalDictionaryTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;
  private long segmentBytes = 1 << 30;

  private Journal open(int samples) throws IOException {
    Journal j =
        new Journal(
            dir,
            new Journal.Config(segmentBytes, 16 << 10, 3, 0, samples),
            new JournalTest.MemoryCheck());
    j.start();
    return j;
  }

  /** Appends batches of 100 until a dictionary is in use, then {@code after} more events. */
  private List<PreparedEvent> fill(Journal j, int after) throws Exception {
    List<PreparedEvent> all = new ArrayList<>();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (codecs().getOrDefault(Block.ZSTD_DICT, 0) == 0) {
      assertTrue(System.nanoTime() < deadline, "no dictionary was trained");
      all.addAll(append(j, 100, all.size()));
      Thread.sleep(all.size() % 1000 == 0 ? 50 : 0);
    }
    for (int n = 0; n < after; n += 100) {
      all.addAll(append(j, Math.min(100, after - n), all.size()));
    }
    return all;
  }

  private static List<PreparedEvent> append(Journal j, int n, int from) throws Exception {
    List<PreparedEvent> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = from + i;
      batch.add(
          TestEvents.prepared(
              TestEvents.event(
                  java.util.UUID.randomUUID().toString(),
                  T0.plusSeconds(k),
                  "user" + (k % 37),
                  k % 3 == 0 ? "DeleteInstance" : "DescribeInstances",
                  k % 3 == 0 ? "Write" : "Read",
                  "i-" + Integer.toHexString(k * 7919))));
    }
    j.append(batch);
    return batch;
  }

  /** How many blocks of each codec the segments hold, walking their headers. */
  private java.util.Map<Byte, Integer> codecs() throws IOException {
    java.util.Map<Byte, Integer> n = new java.util.HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(JournalSegment.SUFFIX)).toList()) {
        try (FileChannel ch = FileChannel.open(p)) {
          long size = ch.size();
          for (long pos = 0; pos + Block.HEADER <= size; ) {
            ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
            BlockFiles.readFully(ch, p, hb, pos);
            Block.Header h = Block.readHeader(hb);
            n.merge(h.codec(), 1, Integer::sum);
            pos += h.totalLength();
          }
        }
      }
    }
    return n;
  }

  private static void assertSameRecords(Journal j, List<PreparedEvent> events) throws IOException {
    for (int i = 0; i < events.size(); i++) {
      long seq = i + 1;
      JournalRecord r = j.block(seq).record(seq);
      assertEquals(events.get(i).eventId(), r.eventId(), "eventId of " + seq);
      assertTrue(
          java.util.Arrays.equals(
              JournalRecord.decode(events.get(i).encoded(), 0).body(), r.body()),
          "body of " + seq + " changed");
    }
  }

  private Path dictionaryFile() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve(Dictionaries.DIRECTORY))) {
      List<Path> files = s.filter(f -> f.toString().endsWith(".zdict")).toList();
      assertEquals(1, files.size(), "one dictionary: " + files);
      return files.get(0);
    }
  }

  @Test
  void recordsCompressedOneByOneReadBackExactlyAfterReopen() throws Exception {
    List<PreparedEvent> events;
    try (Journal j = open(500)) {
      events = fill(j, 2_000);
      assertSameRecords(j, events);
    }
    java.util.Map<Byte, Integer> codecs = codecs();
    assertTrue(codecs.get(Block.ZSTD) > 0, "blocks before the dictionary: " + codecs);
    assertTrue(codecs.get(Block.ZSTD_DICT) > 0, "blocks with it: " + codecs);
    try (Journal j = open(500)) {
      assertSameRecords(j, events);
      List<DamagedRange> damaged = new ArrayList<>();
      int[] blocks = new int[1];
      j.verify(
          new Journal.BlockVisitor() {
            @Override
            public void block(Block block, long bytes) {
              blocks[0]++;
            }

            @Override
            public void damaged(DamagedRange range, long bytes) {
              damaged.add(range);
            }
          });
      assertEquals(List.of(), damaged);
      assertEquals(codecs.values().stream().mapToInt(Integer::intValue).sum(), blocks[0]);
    }
  }

  @Test
  void aDictionaryWithOneDamagedCopyIsStillRead() throws Exception {
    List<PreparedEvent> events;
    try (Journal j = open(500)) {
      events = fill(j, 500);
    }
    Path dict = dictionaryFile();
    byte[] bytes = Files.readAllBytes(dict);
    bytes[100] ^= 0x40; // inside the first copy
    Files.write(dict, bytes);
    try (Journal j = open(500)) {
      assertSameRecords(j, events);
      assertEquals(List.of(), j.damaged());
    }
  }

  @Test
  void aMissingDictionaryMakesItsBlocksUnreadableUntilItIsBackNeverDamaged() throws Exception {
    List<PreparedEvent> events;
    try (Journal j = open(500)) {
      events = fill(j, 500);
    }
    Path dict = dictionaryFile();
    Path aside = dir.resolveSibling("dictionary-aside");
    Files.move(dict, aside);
    try (Journal j = open(0)) {
      int readable = 0;
      int unavailable = 0;
      for (int i = 0; i < events.size(); i++) {
        long seq = i + 1;
        try {
          assertEquals(events.get(i).eventId(), j.record(seq).eventId());
          readable++;
        } catch (DictionaryUnavailableException e) {
          unavailable++;
        }
      }
      assertTrue(readable >= 100, "events before the dictionary stay readable: " + readable);
      assertTrue(unavailable >= 500, "events compressed with it cannot be read: " + unavailable);
      assertEquals(events.size(), readable + unavailable);
      assertEquals(List.of(), j.damaged(), "intact blocks are never recorded as damaged");
    }
    Files.move(aside, dict);
    try (Journal j = open(0)) {
      assertSameRecords(j, events);
      assertEquals(List.of(), j.damaged());
    }
  }

  @Test
  void oneRecordIsReadOnItsOwnAndADamagedOneIsNeverReturned() throws Exception {
    segmentBytes = 256 << 10; // the damage goes into a sealed segment, which opens unread
    List<PreparedEvent> events;
    try (Journal j = open(500)) {
      events = fill(j, 6_000);
      for (int i = 0; i < events.size(); i++) {
        long seq = i + 1;
        JournalRecord alone = j.record(seq);
        assertEquals(events.get(i).eventId(), alone.eventId());
        assertTrue(java.util.Arrays.equals(j.block(seq).record(seq).body(), alone.body()));
      }
    }
    // flip one byte inside the frame of the 4th record of a block of records in a sealed segment
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segments =
          files.filter(f -> f.toString().endsWith(JournalSegment.SUFFIX)).sorted().toList();
      assertTrue(segments.size() >= 3, "segments: " + segments);
      segment = segments.get(segments.size() - 2);
    }
    long blockAt = -1;
    long first = -1;
    long[] frame = null;
    try (FileChannel ch = FileChannel.open(segment)) {
      for (long pos = 0; pos + Block.HEADER <= ch.size(); ) {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(ch.size() - pos, 64 << 10));
        BlockFiles.readFully(ch, segment, head, pos);
        Block.Header h = Block.readHeader(head);
        if (h.codec() == Block.ZSTD_DICT && h.count() > 4) {
          blockAt = pos;
          first = h.firstSequence();
          int[] starts = Block.frameTable(head, first, h.totalLength()).starts();
          frame = new long[] {starts[3], starts[4] - starts[3]};
        }
        pos += h.totalLength();
      }
    }
    assertTrue(frame != null, "a block of records compressed one by one");
    try (FileChannel ch =
        FileChannel.open(
            segment,
            java.nio.file.StandardOpenOption.READ,
            java.nio.file.StandardOpenOption.WRITE)) {
      long at = blockAt + frame[0] + frame[1] / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      BlockFiles.readFully(ch, segment, b, at);
      b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
      ch.write(b, at);
    }
    try (Journal j = open(500)) {
      assertEquals(List.of(), j.damaged(), "a sealed segment opens through its sidecar, unread");
      // the first read of a block checks its CRC whole, so the one-record path and the block
      // path (deliveries) agree: the block is damaged for both, neighbours included
      long neighbour = first + 4;
      assertThrows(DamagedEventsException.class, () -> j.record(neighbour));
      long damagedSeq = first + 3;
      assertThrows(DamagedEventsException.class, () -> j.record(damagedSeq));
      assertFalse(j.damaged().isEmpty(), "the damaged block is reported");
      assertThrows(DamagedEventsException.class, () -> j.block(neighbour));
    }
  }

  @Test
  void aFlippedByteAnywhereIsNeverReadAsAnEvent() throws Exception {
    segmentBytes = 256 << 10;
    List<PreparedEvent> events;
    try (Journal j = open(500)) {
      events = fill(j, 3_000);
    }
    Path pristine = dir.resolveSibling(dir.getFileName() + "-pristine");
    copyTree(dir, pristine);
    java.util.SplittableRandom r =
        new java.util.SplittableRandom(Long.getLong("opentrail.fault.seed", 13));
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir)) {
      segments = files.filter(f -> f.toString().endsWith(JournalSegment.SUFFIX)).sorted().toList();
    }
    for (int c = 0; c < 40; c++) {
      copyTree(pristine, dir);
      Path seg = segments.get(r.nextInt(segments.size()));
      long at = r.nextLong(Files.size(seg));
      try (FileChannel ch =
          FileChannel.open(
              seg, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.allocate(1);
        BlockFiles.readFully(ch, seg, b, at);
        b.put(0, (byte) (b.get(0) ^ (1 << r.nextInt(8)))).rewind();
        ch.write(b, at);
      }
      String where = "case " + c + ": bit flipped in " + seg.getFileName() + " at " + at;
      try (Journal j = open(500)) {
        int unreadable = 0;
        for (int i = 0; i < events.size(); i++) {
          long seq = i + 1;
          try {
            JournalRecord rec = j.record(seq); // the one-record path first, then whole blocks
            assertEquals(events.get(i).eventId(), rec.eventId(), where);
            assertTrue(
                java.util.Arrays.equals(
                    JournalRecord.decode(events.get(i).encoded(), 0).body(), rec.body()),
                where + ": event " + seq + " read back altered");
          } catch (DamagedEventsException e) {
            unreadable++;
          }
        }
        List<DamagedRange> found = new ArrayList<>();
        j.verify(
            new Journal.BlockVisitor() {
              @Override
              public void block(Block block, long bytes) {}

              @Override
              public void damaged(DamagedRange range, long bytes) {
                found.add(range);
              }
            });
        assertFalse(found.isEmpty(), where + ": verify finds the damage");
        assertTrue(unreadable <= 60, where + ": one block at most, not " + unreadable);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      try (Stream<Path> old = Files.walk(to)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  @Test
  void aRestartGoesOnWithTheDictionaryItHas() throws Exception {
    try (Journal j = open(500)) {
      fill(j, 100);
    }
    Path dict = dictionaryFile();
    java.util.Map<Byte, Integer> before = codecs();
    List<PreparedEvent> more;
    try (Journal j = open(500)) {
      more = append(j, 50, 10_000); // fewer than the samples a new dictionary would need
      long seq = j.lastSequence();
      assertEquals(more.get(49).eventId(), j.record(seq).eventId());
    }
    assertEquals(dict, dictionaryFile(), "no second dictionary");
    java.util.Map<Byte, Integer> after = codecs();
    assertEquals(before.get(Block.ZSTD), after.get(Block.ZSTD), "no block compressed whole");
    assertTrue(
        after.get(Block.ZSTD_DICT) > before.get(Block.ZSTD_DICT), "new blocks use the old one");
  }

  @Test
  void withoutSamplesNoDictionaryIsMadeAndBlocksAreCompressedWhole() throws Exception {
    List<PreparedEvent> events = new ArrayList<>();
    try (Journal j = open(0)) {
      for (int i = 0; i < 30; i++) {
        events.addAll(append(j, 100, events.size()));
      }
      assertSameRecords(j, events);
    }
    assertFalse(Files.exists(dir.resolve(Dictionaries.DIRECTORY)));
    assertEquals(java.util.Set.of(Block.ZSTD), codecs().keySet());
  }
}
