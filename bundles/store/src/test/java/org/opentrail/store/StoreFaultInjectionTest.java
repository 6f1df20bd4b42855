package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.query.Direction;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreAnswer;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.store.DamageFixture.BlockAt;

/**
 * Seeded fault injection over a real store: each case copies a store of a few thousand events
 * (several sealed segments and an active one, three days of index partitions), damages it the way a
 * disk or an operator might, opens it and checks that every acknowledged event outside the damaged
 * bytes is found by eventId and read exactly once in sequence order, that the damaged sequences are
 * reported exactly (no more, no less), and that new events get new sequence numbers and are found.
 *
 * <p>The seed is printed; replay a run with {@code -Dopentrail.fault.seed=N}, and change the number
 * of cases with {@code -Dopentrail.fault.cases=N} (default 200).
 */
class StoreFaultInjectionTest {
  private static final int EVENTS = DamageFixture.EVENTS;
  private static final Map<String, Object> CONFIG = DamageFixture.CONFIG;

  @TempDir static Path base;
  @TempDir Path work;

  private static List<String> ids;
  private static List<Event> events;
  private static List<BlockAt> blocks;
  private static Instant start;
  private static DamageFixture fixture;

  @BeforeAll
  static void buildBase() throws Exception {
    fixture = new DamageFixture(base);
    ids = fixture.ids;
    events = fixture.events;
    blocks = fixture.blocks;
    start = fixture.start;
    assertTrue(segments().size() >= 3, "the base store needs several segments: " + segments());
  }

  private static List<String> segments() {
    return fixture.segments();
  }

  private static void await(EmbeddedEventStore store) throws InterruptedException {
    DamageFixture.await(store);
  }

  @Test
  void everyAcknowledgedEventOutsideTheDamagedBytesSurvives() throws Exception {
    long seed = Long.getLong("opentrail.fault.seed", System.nanoTime());
    int cases = Integer.getInteger("opentrail.fault.cases", 200);
    System.out.println(
        "StoreFaultInjectionTest: seed "
            + seed
            + " (replay with -Dopentrail.fault.seed="
            + seed
            + ")");
    Random random = new Random(seed);
    for (int c = 0; c < cases; c++) {
      Path dir = work.resolve("case-" + c);
      copy(base, dir);
      String fault;
      TreeSet<Long> lost = new TreeSet<>();
      try {
        fault = inject(random, dir, lost);
      } catch (IOException e) {
        throw new AssertionError("case " + c + " (seed " + seed + "): injecting failed", e);
      }
      try {
        check(dir, lost);
      } catch (AssertionError | Exception e) {
        throw new AssertionError(
            "case " + c + " (seed " + seed + "), fault: " + fault + ": " + e.getMessage(), e);
      }
      delete(dir);
    }
  }

  @Test
  void repairFromACopyRestoresEveryDamagedEventAtItsSequence() throws Exception {
    Path dir = work.resolve("repair");
    copy(base, dir);
    // damage two blocks: one in a sealed segment, one in the active segment
    BlockAt sealed = blocks.get(2);
    BlockAt active = blocks.get(blocks.size() - 2);
    TreeSet<Long> lost = new TreeSet<>();
    for (BlockAt b : List.of(sealed, active)) {
      Path f = dir.resolve("streams/history/journal").resolve(b.file());
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {0x7F, 0x01}), b.offset() + b.length() / 2);
      }
      lose(b, lost);
    }
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(CONFIG))) {
      await(store);
      store.verify(EventStore.HISTORY, line -> {});
      assertEquals(
          lost.size(),
          store.damaged(EventStore.HISTORY).stream().mapToLong(DamagedRange::events).sum());
      // a copy as a destination holds it: every event, plus one the store never had
      List<Event> copy = new ArrayList<>(events);
      copy.add(TestEvents.event(Instant.now(), "stranger"));
      var report = store.repair(EventStore.HISTORY, copy);
      assertEquals(lost.size(), report.restored());
      assertEquals(EVENTS - lost.size(), report.alreadyReadable());
      assertEquals(1, report.notDamaged());
      assertEquals(
          0, store.repair(EventStore.HISTORY, copy).restored(), "a second repair restores nothing");
    }
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(CONFIG))) {
      await(store);
      for (int i = 0; i < EVENTS; i++) {
        var e = store.find(EventStore.HISTORY, TestEvents.ACCOUNT, ids.get(i)).orElseThrow();
        assertEquals(i + 1, e.sequence());
        assertEquals(events.get(i), e.event(), "restored byte for byte");
      }
      List<Long> read = new ArrayList<>();
      for (long after = 0; ; ) {
        List<StoredEvent> page = store.read(EventStore.HISTORY, after, 500);
        if (page.isEmpty()) {
          break;
        }
        page.forEach(e -> read.add(e.sequence()));
        after = page.get(page.size() - 1).sequence();
      }
      assertEquals(EVENTS, read.size());
      for (DamagedRange r : store.damaged(EventStore.HISTORY)) {
        assertEquals(r.events(), r.repairedEvents(), "every event of " + r.span() + " repaired");
      }
    }
  }

  /** Damages the copy in {@code dir}; adds the sequences that become unreadable to {@code lost}. */
  private static String inject(Random random, Path dir, TreeSet<Long> lost) throws IOException {
    Path journal = dir.resolve("streams/history/journal");
    List<String> segs = segments();
    String newest = segs.get(segs.size() - 1);
    int kind = random.nextInt(10);
    switch (kind) {
      case 0, 1 -> { // flip bits at a random offset of a sealed or the active segment
        BlockAt b = blocks.get(random.nextInt(blocks.size()));
        long at = b.offset() + random.nextLong(b.length());
        if (at >= b.offset() + 8 && at < b.offset() + 12) {
          at =
              b.offset()
                  + 12; // not the stored CRC itself (a flip there is damage too, tested below)
        }
        Path f = journal.resolve(b.file());
        byte[] one = new byte[1];
        try (FileChannel ch =
            FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          ch.read(ByteBuffer.wrap(one), at);
          one[0] ^= (byte) (1 << random.nextInt(8));
          ch.write(ByteBuffer.wrap(one), at);
        }
        lose(b, lost);
        return "bit flip in " + b.file() + " at byte " + at;
      }
      case 2 -> { // zero a 4 KiB page
        String file = segs.get(random.nextInt(segs.size()));
        long size = Files.size(journal.resolve(file));
        long page = random.nextLong(Math.max(1, size / 4096)) * 4096;
        long end = Math.min(size, page + 4096);
        try (FileChannel ch = FileChannel.open(journal.resolve(file), StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(new byte[(int) (end - page)]), page);
        }
        for (BlockAt b : blocks) {
          if (b.file().equals(file) && b.offset() < end && b.offset() + b.length() > page) {
            lose(b, lost);
          }
        }
        return "zeroed page at " + page + " of " + file;
      }
      case 3 -> { // truncate a segment at a random offset
        String file = segs.get(random.nextInt(segs.size()));
        long size = Files.size(journal.resolve(file));
        long at = random.nextLong(size);
        try (FileChannel ch = FileChannel.open(journal.resolve(file), StandardOpenOption.WRITE)) {
          ch.truncate(at);
        }
        for (BlockAt b : blocks) {
          if (b.file().equals(file) && b.offset() + b.length() > at) {
            lose(b, lost);
          }
        }
        return "truncated " + file + " at " + at + " of " + size;
      }
      case 4 -> { // append garbage to the active segment: a torn write, never acknowledged
        byte[] junk = new byte[1 + random.nextInt(70_000)];
        random.nextBytes(junk);
        Files.write(journal.resolve(newest), junk, StandardOpenOption.APPEND);
        return "appended " + junk.length + " bytes of garbage to " + newest;
      }
      case 5 -> { // delete a segment (sealed, or the newest)
        String file = segs.get(random.nextInt(segs.size()));
        Files.delete(journal.resolve(file));
        Files.deleteIfExists(journal.resolve(file.replace(".log", ".idx")));
        blocks.stream().filter(b -> b.file().equals(file)).forEach(b -> lose(b, lost));
        return "deleted segment " + file;
      }
      case 6 -> { // delete an index partition, or the whole index
        Path index = dir.resolve("streams/history/index");
        List<Path> parts;
        try (Stream<Path> s = Files.list(index)) {
          parts = s.filter(Files::isDirectory).sorted().toList();
        }
        if (random.nextBoolean()) {
          Path p = parts.get(random.nextInt(parts.size()));
          delete(p);
          return "deleted index partition " + p.getFileName();
        }
        delete(index);
        return "deleted the whole index";
      }
      case 7 -> { // corrupt an index file or the checkpoint
        Path index = dir.resolve("streams/history/index");
        List<Path> files;
        try (Stream<Path> s = Files.walk(index)) {
          files =
              s.filter(Files::isRegularFile)
                  .filter(p -> !p.toString().endsWith(".lock"))
                  .sorted()
                  .toList();
        }
        Path f = files.get(random.nextInt(files.size()));
        long size = Files.size(f);
        if (size == 0) {
          return "nothing to corrupt in " + f.getFileName();
        }
        long at = random.nextLong(size);
        byte[] one = new byte[1];
        try (FileChannel ch =
            FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          ch.read(ByteBuffer.wrap(one), at);
          one[0] ^= (byte) (1 + random.nextInt(255));
          ch.write(ByteBuffer.wrap(one), at);
        }
        return "corrupted index file " + index.relativize(f) + " at byte " + at;
      }
      case 8 -> { // the journal's own state files: recovery point and sidecar indexes
        if (random.nextBoolean()) {
          Files.delete(journal.resolve("recovery-point"));
          return "deleted the recovery point";
        }
        String file = segs.get(random.nextInt(segs.size() - 1));
        Path idx = journal.resolve(file.replace(".log", ".idx"));
        byte[] all = Files.readAllBytes(idx);
        all[random.nextInt(all.length)] ^= 0x5A;
        Files.write(idx, all);
        return "corrupted sidecar " + idx.getFileName();
      }
      default -> { // a flip in the stored CRC of a block
        BlockAt b = blocks.get(random.nextInt(blocks.size()));
        try (FileChannel ch =
            FileChannel.open(
                journal.resolve(b.file()), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          byte[] one = new byte[1];
          ch.read(ByteBuffer.wrap(one), b.offset() + 9);
          one[0] ^= 0x10;
          ch.write(ByteBuffer.wrap(one), b.offset() + 9);
        }
        lose(b, lost);
        return "flipped the checksum of the block at " + b.offset() + " of " + b.file();
      }
    }
  }

  private static void lose(BlockAt b, TreeSet<Long> lost) {
    for (long s = b.first(); s <= b.last(); s++) {
      lost.add(s);
    }
  }

  private static void check(Path dir, TreeSet<Long> lost) throws Exception {
    List<Long> appended = new ArrayList<>();
    List<String> newIds = new ArrayList<>();
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(CONFIG))) {
      await(store);
      // found by eventId: every event not lost, and no lost one
      for (int i = 0; i < EVENTS; i++) {
        long seq = i + 1;
        boolean found = store.find(EventStore.HISTORY, TestEvents.ACCOUNT, ids.get(i)).isPresent();
        assertEquals(!lost.contains(seq), found, "event " + seq + " found by eventId");
      }
      // read in sequence order exactly once, as a delivery cursor does
      List<Long> read = new ArrayList<>();
      for (long after = 0; ; ) {
        List<StoredEvent> page = store.read(EventStore.HISTORY, after, 333);
        if (page.isEmpty()) {
          break;
        }
        for (StoredEvent e : page) {
          read.add(e.sequence());
          assertEquals(ids.get((int) e.sequence() - 1), e.event().eventId());
        }
        after = page.get(page.size() - 1).sequence();
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= EVENTS; s++) {
        if (!lost.contains(s)) {
          expected.add(s);
        }
      }
      assertEquals(expected, read, "sequential read delivers every readable event once, in order");
      // the damaged ranges are exactly the lost sequences
      TreeSet<Long> reported = new TreeSet<>();
      for (DamagedRange r : store.damaged(EventStore.HISTORY)) {
        for (long s = r.firstSequence(); s <= r.lastSequence(); s++) {
          reported.add(s);
        }
      }
      assertEquals(lost, reported, "damaged ranges");
      var verified = store.verify(EventStore.HISTORY, line -> {});
      assertEquals(lost.isEmpty(), verified.clean(), "verify: " + verified);
      assertEquals(List.of(), verified.indexProblems(), "the index agrees with the journal");
      // a lookup answers the rest and counts what it cannot read
      StoreAnswer all =
          store.search(
              new StoreQuery(
                  EventStore.HISTORY,
                  TestEvents.ACCOUNT,
                  start.toEpochMilli(),
                  Instant.now().toEpochMilli(),
                  List.of(),
                  Direction.BACKWARD,
                  null,
                  EVENTS));
      assertEquals(EVENTS - lost.size(), all.events().size(), "lookup events");
      // new events: new sequence numbers, found, read
      List<Event> more = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Event e = TestEvents.event(Instant.now().minusSeconds(10 - i), "new");
        more.add(e);
        newIds.add(e.eventId());
      }
      for (AppendOutcome o : store.append(EventStore.HISTORY, more)) {
        assertTrue(o.sequence() > EVENTS, "a new event gets a new sequence, not " + o.sequence());
        appended.add(o.sequence());
      }
      await(store);
      for (String id : newIds) {
        assertTrue(store.find(EventStore.HISTORY, TestEvents.ACCOUNT, id).isPresent(), "new " + id);
      }
    }
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(CONFIG))) {
      await(store);
      List<StoredEvent> tail = store.read(EventStore.HISTORY, EVENTS, 100);
      assertEquals(appended, tail.stream().map(StoredEvent::sequence).toList(), "after restart");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    DamageFixture.copy(from, to);
  }

  private static void delete(Path p) throws IOException {
    DamageFixture.delete(p);
  }
}
