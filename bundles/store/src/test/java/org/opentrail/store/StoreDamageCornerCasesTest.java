package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

/** Hostile scenarios against the damage/repair promises. Each test collects every violation. */
class StoreDamageCornerCasesTest {
  static final int EVENTS = DamageFixture.EVENTS;
  static final Map<String, Object> CONFIG = DamageFixture.CONFIG;

  @TempDir static Path base;
  @TempDir Path work;

  static List<String> ids;
  static List<Event> events;
  static List<BlockAt> blocks;
  static Instant start;
  static DamageFixture fixture;
  final List<String> problems = new ArrayList<>();

  @BeforeAll
  static void buildBase() throws Exception {
    fixture = new DamageFixture(base);
    ids = fixture.ids;
    events = fixture.events;
    blocks = fixture.blocks;
    start = fixture.start;
  }

  static void scanBlocks(Path root, List<BlockAt> into) throws IOException {
    DamageFixture.scanBlocks(root, into);
  }

  static List<String> segments() {
    return fixture.segments();
  }

  static List<BlockAt> blocksOf(String file) {
    return blocks.stream().filter(b -> b.file().equals(file)).toList();
  }

  static void await(EmbeddedEventStore store) throws InterruptedException {
    DamageFixture.await(store);
  }

  static EmbeddedEventStore open(Path dir) throws IOException {
    return DamageFixture.open(dir);
  }

  static Path journal(Path dir) {
    return dir.resolve("streams/history/journal");
  }

  static void flip(Path f, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      byte[] one = new byte[1];
      ch.read(ByteBuffer.wrap(one), at);
      one[0] ^= 0x41;
      ch.write(ByteBuffer.wrap(one), at);
    }
  }

  static void flipBlock(Path dir, BlockAt b) throws IOException {
    flip(journal(dir).resolve(b.file()), b.offset() + b.length() / 2);
  }

  static TreeSet<Long> seqs(BlockAt... bs) {
    TreeSet<Long> s = new TreeSet<>();
    for (BlockAt b : bs) {
      for (long i = b.first(); i <= b.last(); i++) {
        s.add(i);
      }
    }
    return s;
  }

  static TreeSet<Long> reported(EventStore store) {
    TreeSet<Long> s = new TreeSet<>();
    for (DamagedRange r : store.damaged(EventStore.HISTORY)) {
      for (long i = r.firstSequence(); i <= r.lastSequence(); i++) {
        s.add(i);
      }
    }
    return s;
  }

  static List<Long> readAll(EventStore store) {
    List<Long> read = new ArrayList<>();
    for (long after = 0; ; ) {
      List<StoredEvent> page = store.read(EventStore.HISTORY, after, 333);
      if (page.isEmpty()) {
        break;
      }
      page.forEach(e -> read.add(e.sequence()));
      after = page.get(page.size() - 1).sequence();
    }
    return read;
  }

  void check(boolean ok, String what) {
    if (!ok) {
      problems.add(what);
      System.out.println("VIOLATION: " + what);
    } else {
      System.out.println("BREAKER ok: " + what);
    }
  }

  void done() {
    if (!problems.isEmpty()) {
      fail(problems.size() + " violations:\n  " + String.join("\n  ", problems));
    }
  }

  /** The standard checks: found by id, sequential read, damaged exact, verify, appends. */
  void standardChecks(EmbeddedEventStore store, TreeSet<Long> lost, String tag) throws Exception {
    int wrongFind = 0;
    List<Long> wrongList = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      long seq = i + 1;
      boolean found;
      try {
        found = store.find(EventStore.HISTORY, TestEvents.ACCOUNT, ids.get(i)).isPresent();
      } catch (RuntimeException e) {
        check(false, tag + ": find(" + seq + ") threw " + e);
        found = false;
      }
      if (found == lost.contains(seq)) {
        wrongFind++;
        if (wrongList.size() < 5) {
          wrongList.add(seq);
        }
      }
    }
    check(
        wrongFind == 0,
        tag + ": find by eventId wrong for " + wrongFind + " events, e.g. " + wrongList);
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= EVENTS; s++) {
      if (!lost.contains(s)) {
        expected.add(s);
      }
    }
    try {
      List<Long> read = readAll(store);
      List<Long> readOld = read.stream().filter(s -> s <= EVENTS).toList();
      check(
          readOld.equals(expected),
          tag
              + ": sequential read got "
              + readOld.size()
              + " of "
              + expected.size()
              + " expected events"
              + (readOld.isEmpty() ? "" : ", last " + readOld.get(readOld.size() - 1)));
    } catch (RuntimeException e) {
      check(false, tag + ": sequential read threw " + e);
    }
    TreeSet<Long> rep = reported(store);
    TreeSet<Long> repOld = new TreeSet<>(rep.headSet((long) EVENTS, true));
    check(repOld.equals(lost), tag + ": damaged() " + spans(repOld) + " expected " + spans(lost));
    check(
        rep.tailSet((long) EVENTS, false).isEmpty(),
        tag
            + ": damaged() reports sequences above "
            + EVENTS
            + ": "
            + spans(rep.tailSet((long) EVENTS, false)));
    try {
      var v = store.verify(EventStore.HISTORY, l -> {});
      TreeSet<Long> vs = new TreeSet<>();
      for (DamagedRange r : v.damaged()) {
        for (long i = r.firstSequence(); i <= r.lastSequence(); i++) {
          vs.add(i);
        }
      }
      check(vs.equals(lost), tag + ": verify damaged " + spans(vs) + " expected " + spans(lost));
    } catch (RuntimeException e) {
      check(false, tag + ": verify threw " + e);
    }
    try {
      StoreAnswer all = search(store, null, EVENTS + 100);
      long foundOld = all.events().stream().filter(e -> e.sequence() <= EVENTS).count();
      check(
          foundOld == EVENTS - lost.size(),
          tag
              + ": lookup found "
              + foundOld
              + " expected "
              + (EVENTS - lost.size())
              + " (unreadable "
              + all.unreadable()
              + ")");
    } catch (RuntimeException e) {
      check(false, tag + ": lookup threw " + e);
    }
    long last = store.lastSequence(EventStore.HISTORY);
    List<Event> more = List.of(TestEvents.event(Instant.now().minusSeconds(5), "new"));
    try {
      List<AppendOutcome> o = store.append(EventStore.HISTORY, more);
      check(
          o.get(0).sequence() > Math.max(EVENTS, last),
          tag + ": new append got sequence " + o.get(0).sequence() + " (last was " + last + ")");
      await(store);
      check(
          store.find(EventStore.HISTORY, TestEvents.ACCOUNT, more.get(0).eventId()).isPresent(),
          tag + ": new event found");
    } catch (RuntimeException e) {
      check(false, tag + ": append threw " + e);
    }
  }

  static StoreAnswer search(EventStore store, org.opentrail.api.store.Position after, int limit) {
    return store.search(
        new StoreQuery(
            EventStore.HISTORY,
            TestEvents.ACCOUNT,
            start.toEpochMilli(),
            Instant.now().toEpochMilli(),
            List.of(),
            Direction.BACKWARD,
            after,
            limit));
  }

  static String spans(java.util.SortedSet<Long> s) {
    StringBuilder b = new StringBuilder("[");
    Long from = null;
    Long prev = null;
    for (long x : s) {
      if (prev != null && x == prev + 1) {
        prev = x;
        continue;
      }
      if (from != null) {
        b.append(from).append("-").append(prev).append(" ");
      }
      from = x;
      prev = x;
    }
    if (from != null) {
      b.append(from).append("-").append(prev);
    }
    return b.append("]").toString();
  }

  static void copy(Path from, Path to) throws IOException {
    DamageFixture.copy(from, to);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A block in the middle of a sealed segment is damaged and the segment's sidecar is lost, so
   * recovery scans it and writes a new sidecar without the damaged block; later damage.tsv is
   * deleted.
   */
  @Test
  void scanFoundGapThenDamageLogDeleted() throws Exception {
    Path dir = work.resolve("a");
    copy(base, dir);
    String seg = segments().get(0);
    BlockAt b = blocksOf(seg).get(3);
    flipBlock(dir, b);
    Files.delete(journal(dir).resolve(seg.replace(".log", ".idx")));
    TreeSet<Long> lost = seqs(b);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      check(reported(store).equals(lost), "first open: damaged() " + spans(reported(store)));
    }
    Files.delete(journal(dir).resolve("damage.tsv"));
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      standardChecks(store, lost, "after damage.tsv deleted");
    }
    done();
  }

  /** The same, with only a damaged-in-place block found by verify (sidecar intact). */
  @Test
  void verifyFoundDamageThenDamageLogDeleted() throws Exception {
    Path dir = work.resolve("a2");
    copy(base, dir);
    String seg = segments().get(1);
    BlockAt b = blocksOf(seg).get(2);
    flipBlock(dir, b);
    TreeSet<Long> lost = seqs(b);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      store.verify(EventStore.HISTORY, l -> {});
    }
    Files.delete(journal(dir).resolve("damage.tsv"));
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      // a sealed segment opened through its sidecar: its damage is found again by a read or verify
      store.verify(EventStore.HISTORY, l -> {});
      check(
          reported(store).equals(lost),
          "after reopen without damage.tsv and a verify: damaged() " + spans(reported(store)));
      standardChecks(store, lost, "after damage.tsv deleted (verify-found)");
    }
    done();
  }

  /** Repair, then damage.tsv deleted: are the restored events still there, counted repaired? */
  @Test
  void repairThenDamageLogDeleted() throws Exception {
    Path dir = work.resolve("b");
    copy(base, dir);
    BlockAt b = blocksOf(segments().get(0)).get(4);
    flipBlock(dir, b);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      store.verify(EventStore.HISTORY, l -> {});
      var r = store.repair(EventStore.HISTORY, events);
      check(r.restored() == b.last() - b.first() + 1, "restored " + r);
    }
    Files.delete(journal(dir).resolve("damage.tsv"));
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      // first touch of the repaired events
      List<Long> read = readAll(store);
      check(
          read.size() == EVENTS,
          "sequential read after damage.tsv loss: "
              + read.size()
              + " of "
              + EVENTS
              + " (missing "
              + spans(missing(read))
              + ")");
      int found = 0;
      for (long s = b.first(); s <= b.last(); s++) {
        found +=
            store.find(EventStore.HISTORY, TestEvents.ACCOUNT, ids.get((int) s - 1)).isPresent()
                ? 1
                : 0;
      }
      check(found == b.last() - b.first() + 1, "repaired events found by id: " + found);
      for (DamagedRange r : store.damaged(EventStore.HISTORY)) {
        check(
            r.repairedEvents() == r.events(),
            "range " + r.span() + " repairedEvents " + r.repairedEvents());
      }
      long count = store.stream(EventStore.HISTORY).orElseThrow().eventCount();
      check(count == EVENTS, "StreamInfo.events " + count + " expected " + EVENTS);
    }
    done();
  }

  static TreeSet<Long> missing(List<Long> read) {
    TreeSet<Long> m = new TreeSet<>();
    for (long s = 1; s <= EVENTS; s++) {
      m.add(s);
    }
    m.removeAll(read);
    return m;
  }

  /** repaired.blocks deleted after a repair, then repair again. */
  @Test
  void repairedBlocksDeleted() throws Exception {
    Path dir = work.resolve("g2");
    copy(base, dir);
    BlockAt b = blocksOf(segments().get(0)).get(4);
    flipBlock(dir, b);
    long n = b.last() - b.first() + 1;
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      store.verify(EventStore.HISTORY, l -> {});
      store.repair(EventStore.HISTORY, events);
    }
    Files.delete(journal(dir).resolve("repaired.blocks"));
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      long readable = readAll(store).size();
      DamagedRange r = store.damaged(EventStore.HISTORY).get(0);
      check(
          r.repairedEvents() == 0 || readable == EVENTS,
          "repaired.blocks gone: range says "
              + r.repairedEvents()
              + " of "
              + r.events()
              + " repaired but only "
              + readable
              + " of "
              + EVENTS
              + " readable");
      long count = store.stream(EventStore.HISTORY).orElseThrow().eventCount();
      check(count == readable, "StreamInfo.events " + count + " but readable " + readable);
      var rep = store.repair(EventStore.HISTORY, events);
      check(rep.restored() == n, "second repair restored " + rep.restored());
      r = store.damaged(EventStore.HISTORY).get(0);
      check(
          r.repairedEvents() <= r.events(),
          "after second repair repairedEvents " + r.repairedEvents() + " of " + r.events());
    }
    done();
  }

  /** A byte of repaired.blocks flipped while the store runs; then at restart. */
  @Test
  void repairedBlocksCorrupted() throws Exception {
    Path dir = work.resolve("g1");
    copy(base, dir);
    BlockAt b1 = blocksOf(segments().get(0)).get(4);
    BlockAt b2 = blocksOf(segments().get(1)).get(4);
    flipBlock(dir, b1);
    flipBlock(dir, b2);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      store.verify(EventStore.HISTORY, l -> {});
      // two repairs: two regions of repaired.blocks
      store.repair(EventStore.HISTORY, events.subList((int) b1.first() - 1, (int) b1.last()));
      store.repair(EventStore.HISTORY, events.subList((int) b2.first() - 1, (int) b2.last()));
      // flip a byte of the first repaired block while running
      flip(journal(dir).resolve("repaired.blocks"), 100);
      try {
        var e = store.find(EventStore.HISTORY, TestEvents.ACCOUNT, ids.get((int) b1.first() - 1));
        check(true, "find of a restored event whose copy is damaged: " + e.isPresent());
      } catch (RuntimeException e) {
        check(false, "find of a restored event whose repaired.blocks copy is damaged threw " + e);
      }
      try {
        List<Long> read = readAll(store);
        check(true, "sequential read with damaged repaired.blocks: " + read.size());
      } catch (RuntimeException e) {
        check(false, "sequential read with damaged repaired.blocks threw " + e);
      }
      try {
        StoreAnswer a = search(store, null, EVENTS);
        check(true, "lookup: " + a.events().size() + " unreadable " + a.unreadable());
      } catch (RuntimeException e) {
        check(false, "lookup with damaged repaired.blocks threw " + e);
      }
      try {
        var v = store.verify(EventStore.HISTORY, l -> {});
        check(
            !v.clean(),
            "verify notices the damaged repaired.blocks? clean=" + v.clean() + " " + v.damaged());
      } catch (RuntimeException e) {
        check(false, "verify threw " + e);
      }
    }
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      List<Long> read = readAll(store);
      TreeSet<Long> miss = missing(read);
      check(true, "after restart missing " + spans(miss));
      check(
          !miss.containsAll(seqs(b2)),
          "the intact second repair ("
              + b2.first()
              + "-"
              + b2.last()
              + ") survives a damaged first one");
      for (DamagedRange r : store.damaged(EventStore.HISTORY)) {
        long unreadable = 0;
        for (long s = r.firstSequence(); s <= r.lastSequence(); s++) {
          unreadable += miss.contains(s) ? 1 : 0;
        }
        check(
            r.repairedEvents() == r.events() - unreadable,
            "range "
                + r.span()
                + " says repairedEvents "
                + r.repairedEvents()
                + " but "
                + unreadable
                + " of it unreadable");
      }
    }
    done();
  }

  /** Stray files named *.log in the journal directory. */
  @Test
  void strayLogFileWithNonNumericName() throws Exception {
    Path dir = work.resolve("c1");
    copy(base, dir);
    Files.write(journal(dir).resolve("notes.log"), "operator notes\n".getBytes());
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      standardChecks(store, new TreeSet<>(), "with notes.log");
    } catch (RuntimeException | IOException e) {
      check(false, "store does not open with a stray notes.log in the journal: " + e);
    }
    done();
  }

  @Test
  void strayNumberedGarbageSegment() throws Exception {
    Path dir = work.resolve("c2");
    copy(base, dir);
    byte[] junk = new byte[5000];
    new java.util.Random(1).nextBytes(junk);
    Files.write(journal(dir).resolve(String.format("%020d.log", 99_999)), junk);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      standardChecks(store, new TreeSet<>(), "with garbage 99999.log");
      check(
          store.lastSequence(EventStore.HISTORY) < 99_000,
          "lastSequence jumped to " + store.lastSequence(EventStore.HISTORY));
    } catch (RuntimeException | IOException e) {
      check(false, "store does not open with garbage 99999.log: " + e);
    }
    done();
  }

  @Test
  void strayLowNumberedGarbageSegment() throws Exception {
    Path dir = work.resolve("c3");
    copy(base, dir);
    byte[] junk = new byte[5000];
    new java.util.Random(2).nextBytes(junk);
    Files.write(journal(dir).resolve(String.format("%020d.log", 0)), junk);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      standardChecks(store, new TreeSet<>(), "with garbage 0.log");
    } catch (RuntimeException | IOException e) {
      check(false, "store does not open with garbage 0.log: " + e);
    }
    done();
  }

  /** A sealed segment renamed (e.g. by an operator restoring it under the wrong name). */
  @Test
  void sealedSegmentTruncatedAtBlockBoundary() throws Exception {
    Path dir = work.resolve("t");
    copy(base, dir);
    String seg = segments().get(0);
    List<BlockAt> bs = blocksOf(seg);
    BlockAt cut = bs.get(bs.size() - 3);
    try (FileChannel ch = FileChannel.open(journal(dir).resolve(seg), StandardOpenOption.WRITE)) {
      ch.truncate(cut.offset());
    }
    TreeSet<Long> lost = seqs(bs.subList(bs.size() - 3, bs.size()).toArray(new BlockAt[0]));
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      standardChecks(store, lost, "sealed truncated at block boundary");
      for (DamagedRange r : store.damaged(EventStore.HISTORY)) {
        check(
            r.file().equals(seg),
            "range " + r.span() + " names file " + r.file() + " reason " + r.reason());
      }
    }
    done();
  }

  /**
   * A crash right after acknowledged appends (the directory copied while the store runs, as a
   * killed process leaves it), then the recovery point damaged and the last block damaged.
   */
  @Test
  void crashWithRecoveryPointAndTailDamaged() throws Exception {
    Path dir = work.resolve("d");
    copy(base, dir);
    Path snap = work.resolve("d-snap");
    List<Event> acked = new ArrayList<>();
    long lastAcked;
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      for (int i = 0; i < 40; i++) {
        acked.add(TestEvents.event(Instant.now().minusSeconds(100 - i), "late"));
      }
      List<AppendOutcome> o = store.append(EventStore.HISTORY, acked);
      lastAcked = o.get(o.size() - 1).sequence();
      copy(dir, snap); // "kill -9" now: the index checkpoint is still at 3000
    }
    // damage both slots of the recovery point, and the last block of the newest segment
    byte[] rp = Files.readAllBytes(journal(snap).resolve("recovery-point"));
    rp[20] ^= 1;
    rp[84] ^= 1;
    Files.write(journal(snap).resolve("recovery-point"), rp);
    List<BlockAt> snapBlocks = new ArrayList<>();
    scanBlocks(snap, snapBlocks);
    BlockAt lastBlock = snapBlocks.get(snapBlocks.size() - 1);
    flipBlock(snap, lastBlock);
    System.out.println("last block " + lastBlock + ", last acked " + lastAcked);
    try (EmbeddedEventStore store = open(snap)) {
      await(store);
      TreeSet<Long> rep = reported(store);
      int lostAcked = 0;
      for (Event e : acked) {
        lostAcked +=
            store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId()).isPresent() ? 0 : 1;
      }
      check(
          store.lastSequence(EventStore.HISTORY) >= lastAcked,
          "lastSequence after recovery "
              + store.lastSequence(EventStore.HISTORY)
              + " < acknowledged "
              + lastAcked);
      check(
          lostAcked == 0 || rep.size() >= lostAcked,
          lostAcked + " acknowledged events gone, damaged() reports " + spans(rep));
      List<AppendOutcome> o =
          store.append(EventStore.HISTORY, List.of(TestEvents.event(Instant.now(), "after")));
      check(
          o.get(0).sequence() > lastAcked,
          "new event got sequence " + o.get(0).sequence() + ", acknowledged up to " + lastAcked);
    }
    done();
  }

  /** Same crash, but only the newest recovery-point slot damaged (the other one is older). */
  @Test
  void crashWithNewestRecoveryPointSlotAndTailDamaged() throws Exception {
    Path dir = work.resolve("d2");
    copy(base, dir);
    Path snap = work.resolve("d2-snap");
    List<Event> acked = new ArrayList<>();
    long lastAcked;
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      for (int g = 0; g < 2; g++) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          batch.add(TestEvents.event(Instant.now().minusSeconds(100 - i), "late" + g));
        }
        acked.addAll(batch);
        store.append(EventStore.HISTORY, batch);
      }
      lastAcked = store.lastSequence(EventStore.HISTORY);
      copy(dir, snap);
    }
    Path rpf = journal(snap).resolve("recovery-point");
    byte[] rp = Files.readAllBytes(rpf);
    ByteBuffer bb = ByteBuffer.wrap(rp);
    int newest = bb.getLong(4) > bb.getLong(64 + 4) ? 0 : 64;
    rp[newest + 20] ^= 1;
    Files.write(rpf, rp);
    List<BlockAt> snapBlocks = new ArrayList<>();
    scanBlocks(snap, snapBlocks);
    flipBlock(snap, snapBlocks.get(snapBlocks.size() - 1));
    try (EmbeddedEventStore store = open(snap)) {
      await(store);
      int lostAcked = 0;
      for (Event e : acked) {
        lostAcked +=
            store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId()).isPresent() ? 0 : 1;
      }
      check(
          lostAcked == 0 || reported(store).size() >= lostAcked,
          lostAcked + " acknowledged events gone, damaged() reports " + spans(reported(store)));
      List<AppendOutcome> o =
          store.append(EventStore.HISTORY, List.of(TestEvents.event(Instant.now(), "after")));
      check(
          o.get(0).sequence() > lastAcked,
          "new event got sequence " + o.get(0).sequence() + ", acknowledged up to " + lastAcked);
    }
    done();
  }

  /** repair() accepts any content for a damaged eventId. */
  @Test
  void repairWithForgedContent() throws Exception {
    Path dir = work.resolve("e");
    copy(base, dir);
    BlockAt b = blocksOf(segments().get(0)).get(4);
    flipBlock(dir, b);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      store.verify(EventStore.HISTORY, l -> {});
      List<Event> forged = new ArrayList<>();
      for (long s = b.first(); s <= b.last(); s++) {
        Event orig = events.get((int) s - 1);
        forged.add(
            TestEvents.event(
                orig.eventId(),
                Instant.parse(orig.eventTime()).plus(40, ChronoUnit.DAYS),
                "mallory",
                "DeleteInstance",
                "Write",
                "i-forged"));
      }
      var r = store.repair(EventStore.HISTORY, forged);
      check(r.restored() == 0, "repair restored " + r.restored() + " events with forged content");
      Event got =
          store
              .find(EventStore.HISTORY, TestEvents.ACCOUNT, ids.get((int) b.first() - 1))
              .map(StoredEvent::event)
              .orElse(null);
      check(
          got == null || got.equals(events.get((int) b.first() - 1)),
          "find returns " + (got == null ? null : got.eventName() + " by " + got.eventTime()));
    }
    done();
  }

  /** Two damaged blocks in one sealed segment, found by reads while running; paging across them. */
  @Test
  void twoDamagesInOneSegmentWhileRunningAndPaging() throws Exception {
    Path dir = work.resolve("h");
    copy(base, dir);
    String seg = segments().get(1);
    BlockAt b1 = blocksOf(seg).get(1);
    BlockAt b2 = blocksOf(seg).get(2); // adjacent
    BlockAt b3 = blocksOf(seg).get(6);
    TreeSet<Long> lost = seqs(b1, b2, b3);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      flipBlock(dir, b1);
      flipBlock(dir, b2);
      flipBlock(dir, b3);
      // read starting inside the damaged range
      List<StoredEvent> page = store.read(EventStore.HISTORY, b1.first() + 2, 10);
      check(
          !page.isEmpty() && page.get(0).sequence() == b2.last() + 1,
          "read after a sequence inside damage starts at "
              + (page.isEmpty() ? "-" : page.get(0).sequence())
              + " expected "
              + (b2.last() + 1));
      // page through lookups 50 at a time
      List<Long> seen = new ArrayList<>();
      int unreadable = 0;
      org.opentrail.api.store.Position after = null;
      for (int i = 0; i < 1000; i++) {
        StoreAnswer a = search(store, after, 50);
        a.events().forEach(e -> seen.add(e.sequence()));
        unreadable += a.unreadable();
        if (a.last() == null) {
          break;
        }
        after = a.last();
      }
      check(
          seen.size() == EVENTS - lost.size() && unreadable == lost.size(),
          "paged lookup: "
              + seen.size()
              + " events, "
              + unreadable
              + " unreadable; expected "
              + (EVENTS - lost.size())
              + "/"
              + lost.size());
      standardChecks(store, lost, "three damaged blocks while running");
    }
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      standardChecks(store, lost, "after restart");
    }
    done();
  }

  /** Damage, restart, appends, more damage in the same (active) segment, restart. */
  @Test
  void damageRestartAppendDamageAgain() throws Exception {
    Path dir = work.resolve("l");
    copy(base, dir);
    String active = segments().get(segments().size() - 1);
    BlockAt b1 = blocksOf(active).get(0);
    flipBlock(dir, b1);
    List<Event> more = new ArrayList<>();
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      for (int i = 0; i < 60; i++) {
        more.add(TestEvents.event(Instant.now().minusSeconds(100 - i), "m"));
      }
      store.append(EventStore.HISTORY, more.subList(0, 30));
      store.append(EventStore.HISTORY, more.subList(30, 60));
      await(store);
    }
    List<BlockAt> now = new ArrayList<>();
    scanBlocks(dir, now);
    String newestFile = now.get(now.size() - 1).file();
    System.out.println("segments now: " + now.stream().map(BlockAt::file).distinct().toList());
    BlockAt b2 = now.get(now.size() - 2);
    flipBlock(dir, b2);
    TreeSet<Long> lost = seqs(b1);
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      TreeSet<Long> rep = reported(store);
      TreeSet<Long> exp = new TreeSet<>(lost);
      exp.addAll(seqs(b2));
      check(
          rep.equals(exp),
          "damaged " + spans(rep) + " expected " + spans(exp) + " (second in " + newestFile + ")");
      int found = 0;
      for (Event e : more) {
        found +=
            store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId()).isPresent() ? 1 : 0;
      }
      long exFound = more.size() - seqs(b2).stream().filter(s -> s > EVENTS).count();
      check(found == exFound, "new events found " + found + " expected " + exFound);
    }
    done();
  }

  /** Gap follow-ups: a corrupt (not deleted) damage.tsv; verify's rebuild; the indexer. */
  @Test
  void scanFoundGapFollowUps() throws Exception {
    String seg = segments().get(0);
    BlockAt b = blocksOf(seg).get(3);
    TreeSet<Long> lost = seqs(b);
    Path dir = work.resolve("f");
    copy(base, dir);
    flipBlock(dir, b);
    Files.delete(journal(dir).resolve(seg.replace(".log", ".idx")));
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
    }
    Path dir2 = work.resolve("f2");
    copy(dir, dir2);
    Path dir3 = work.resolve("f3");
    copy(dir, dir3);
    // (1) damage.tsv corrupted instead of deleted
    Files.write(journal(dir).resolve("damage.tsv"), "garbage\n".getBytes());
    try (EmbeddedEventStore store = open(dir)) {
      await(store);
      standardChecks(store, lost, "damage.tsv corrupted");
    }
    // (2) damage.tsv deleted, verify, then wait for the rebuild verify starts, then look up
    Files.delete(journal(dir2).resolve("damage.tsv"));
    try (EmbeddedEventStore store = open(dir2)) {
      await(store);
      var v = store.verify(EventStore.HISTORY, l -> {});
      System.out.println("verify: " + v);
      await(store);
      StoreAnswer a = search(store, null, EVENTS + 100);
      check(
          a.events().size() == EVENTS - lost.size(),
          "after verify's rebuild, lookup finds "
              + a.events().size()
              + " of "
              + (EVENTS - lost.size())
              + " rebuilding "
              + a.rebuilding());
    }
    // (3) damage.tsv and the whole index deleted: the indexer must pass the gap
    Files.delete(journal(dir3).resolve("damage.tsv"));
    Path index = dir3.resolve("streams/history/index");
    try (Stream<Path> s = Files.walk(index)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
    try (EmbeddedEventStore store = open(dir3)) {
      Event e = TestEvents.event(Instant.now().minusSeconds(3), "late");
      store.append(EventStore.HISTORY, List.of(e));
      Thread.sleep(5000);
      var info = store.stream(EventStore.HISTORY).orElseThrow();
      check(
          info.indexedSequence() >= info.lastSequence(),
          "indexer at " + info.indexedSequence() + " of " + info.lastSequence() + " after 5 s");
      StoreAnswer a = search(store, null, EVENTS + 100);
      check(
          a.events().size() == EVENTS - lost.size() + 1,
          "lookup finds " + a.events().size() + " of " + (EVENTS - lost.size() + 1));
      check(
          store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId()).isPresent(),
          "new event found by id (pending map)");
    }
    done();
  }
}
