package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreAnswer;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;

/**
 * Journal codec 2 (records compressed one by one with a zstd dictionary) at the store level, under
 * damage of the dictionary file and of blocks' frame tables and headers, and across restarts with
 * other journal settings. An event must never be returned altered, damage must be reported, and the
 * store must keep answering and recording.
 */
class DictionaryDamageTest {
  @TempDir static Path base;
  @TempDir Path dir;

  static final Map<String, Object> CONFIG =
      Map.of(
          "index.refresh.millis", 20,
          "journal.segment.megabytes", 1,
          "journal.block.kilobytes", 16,
          "journal.dictionary.samples", 100,
          "free.space.floor.megabytes", 0);

  static final List<Event> events = new ArrayList<>();
  static final Map<String, Event> byId = new HashMap<>();
  static final Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);

  /** A block on disk: segment file, offset, codec, first sequence, count. */
  record BlockAt(Path file, long offset, long length, byte codec, long first, int count) {}

  @BeforeAll
  static void build() throws Exception {
    try (EmbeddedEventStore store = open(base, CONFIG)) {
      for (int b = 0; b < 40; b++) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          int k = b * 100 + i;
          Event e =
              noisy(
                  TestEvents.event(
                      java.util.UUID.randomUUID().toString(),
                      start.plusSeconds(k * 10L),
                      "u" + (k % 11),
                      k % 3 == 0 ? "DeleteInstance" : "DescribeInstances",
                      k % 3 == 0 ? "Write" : "Read",
                      "i-" + k + ";shared-" + (k % 5)),
                  k);
          batch.add(e);
          events.add(e);
          byId.put(e.eventId(), e);
        }
        store.append(EventStore.HISTORY, batch);
        if (b == 2) {
          Thread.sleep(500); // let the dictionary be trained
        }
      }
      DamageFixture.await(store);
    }
    blocks(base)
        .forEach(
            b ->
                System.out.println(
                    "BREAK layout "
                        + b.file().getFileName()
                        + " "
                        + b.offset()
                        + " codec "
                        + b.codec()
                        + " "
                        + b.first()
                        + " x"
                        + b.count()));
    long dict = blocks(base).stream().filter(b -> b.codec() == 2).count();
    assertTrue(dict > 20, "blocks of records compressed one by one: " + dict);
  }

  /** The event with a field that compresses poorly, so the journal spans several segments. */
  static Event noisy(Event e, int k) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String f :
        List.of(
            "eventId",
            "eventVersion",
            "eventTime",
            "eventName",
            "eventRW",
            "eventType",
            "serviceName",
            "acsRegion",
            "resourceType",
            "resourceName",
            "recipientAccountId",
            "userIdentity",
            "requestParameters",
            "vendorField")) {
      m.put(f, e.get(f));
    }
    java.util.SplittableRandom r = new java.util.SplittableRandom(k);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      b.append(Long.toHexString(r.nextLong()));
    }
    m.put("noise", b.toString());
    return Event.of(m);
  }

  static EmbeddedEventStore open(Path root, Map<String, Object> config) throws IOException {
    return new EmbeddedEventStore(root, TestEvents.config(config));
  }

  static Path journal(Path root) {
    return root.resolve("streams/history/journal");
  }

  static List<BlockAt> blocks(Path root) throws IOException {
    List<BlockAt> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(journal(root))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
          for (long pos = 0; pos + 48 <= ch.size(); ) {
            ByteBuffer h = ByteBuffer.allocate(48);
            ch.read(h, pos);
            long len = 48 + h.getInt(4);
            out.add(new BlockAt(f, pos, len, h.get(28), h.getLong(12), h.getInt(20)));
            pos += len;
          }
        }
      }
    }
    return out;
  }

  static List<Path> dictionaries(Path root) throws IOException {
    try (Stream<Path> s = Files.list(journal(root).resolve("dictionaries"))) {
      return s.filter(p -> p.toString().endsWith(".zdict")).sorted().toList();
    }
  }

  static void xor(Path f, long at, int mask) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ mask)).rewind();
      ch.write(one, at);
    }
  }

  /** The same event, as far as a reader can tell. */
  static String same(Event want, Event got) {
    for (String f :
        List.of(
            "eventId",
            "eventTime",
            "eventName",
            "eventRW",
            "resourceName",
            "recipientAccountId",
            "requestParameters",
            "userIdentity",
            "vendorField",
            "noise")) {
      if (!String.valueOf(want.get(f)).equals(String.valueOf(got.get(f)))) {
        return f + ": " + want.get(f) + " became " + got.get(f);
      }
    }
    return null;
  }

  /** What the store answers now, checked event by event: how many read back intact. */
  /** A missing dictionary is said as such, never recorded as damage (its blocks are intact). */
  static boolean dictionaryUnavailable(RuntimeException ex) {
    return String.valueOf(ex.getMessage()).contains("zstd dictionary");
  }

  static int readEverything(EmbeddedEventStore store, List<String> problems) {
    int intact = 0;
    for (Event e : events) {
      Optional<StoredEvent> found;
      try {
        found = store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId());
      } catch (RuntimeException ex) {
        if (!dictionaryUnavailable(ex)) {
          problems.add("find " + e.eventId() + " threw " + ex);
        }
        continue;
      }
      if (found.isPresent()) {
        String d = same(e, found.get().event());
        if (d != null) {
          problems.add("find returned an altered event: " + d);
        } else {
          intact++;
        }
      }
    }
    // lookups by user, paged through, both directions: every event returned is intact
    for (Direction d : Direction.values()) {
      for (int u = 0; u < 11; u++) {
        org.opentrail.api.store.Position after = null;
        for (int page = 0; page < 100; page++) {
          StoreAnswer a;
          try {
            a =
                store.search(
                    new StoreQuery(
                        EventStore.HISTORY,
                        TestEvents.ACCOUNT,
                        start.toEpochMilli(),
                        start.plus(2, ChronoUnit.DAYS).toEpochMilli(),
                        List.of(new LookupAttribute(LookupKey.USER, "u" + u)),
                        d,
                        after,
                        50));
          } catch (RuntimeException ex) {
            problems.add("lookup threw " + ex);
            break;
          }
          for (StoredEvent s : a.events()) {
            Event want = byId.get(s.event().eventId());
            String diff =
                want == null ? "unknown eventId " + s.event().eventId() : same(want, s.event());
            if (diff != null) {
              problems.add("lookup returned an altered event: " + diff);
            }
          }
          if (a.last() == null || a.events().size() + a.unreadable() < 50) {
            break;
          }
          after = a.last();
        }
      }
    }
    // sequential reads (delivery) go on after damage
    try {
      int n = 0;
      for (long after = 0; ; ) {
        List<StoredEvent> page = store.read(EventStore.HISTORY, after, 500);
        if (page.isEmpty()) {
          break;
        }
        for (StoredEvent s : page) {
          if (String.valueOf(s.event().userName()).startsWith("after-damage")) {
            continue; // recorded by stillRecords
          }
          Event want = byId.get(s.event().eventId());
          String diff = want == null ? "unknown" : same(want, s.event());
          if (diff != null) {
            problems.add("read returned an altered event: " + diff);
          }
        }
        n +=
            (int)
                page.stream()
                    .filter(x -> !String.valueOf(x.event().userName()).startsWith("after-damage"))
                    .count();
        after = page.get(page.size() - 1).sequence();
      }
      if (n != intact) {
        problems.add("read returned " + n + " events but find " + intact);
      }
    } catch (RuntimeException ex) {
      if (!dictionaryUnavailable(ex)) { // deliveries wait for it (they retry), skipping nothing
        problems.add("read threw " + ex);
      }
    }
    return intact;
  }

  /** The store still records and finds new events. */
  static void stillRecords(EmbeddedEventStore store, List<String> problems) {
    String user = "after-damage-" + java.util.UUID.randomUUID();
    Event e = TestEvents.event(Instant.now(), user);
    try {
      store.append(EventStore.HISTORY, List.of(e));
      List<StoredEvent> got =
          store.query(
              new StoreQuery(
                  EventStore.HISTORY,
                  TestEvents.ACCOUNT,
                  0,
                  Long.MAX_VALUE,
                  List.of(new LookupAttribute(LookupKey.USER, user)),
                  Direction.BACKWARD,
                  null,
                  5));
      if (got.size() != 1) {
        problems.add("the event recorded after the damage is not found: " + got.size());
      }
    } catch (RuntimeException ex) {
      problems.add("recording after the damage failed: " + ex);
    }
  }

  static void copyBase(Path to) throws IOException {
    DamageFixture.copy(base, to);
  }

  @Test
  void aDictionaryAbsentForOneStartDoesNotCondemnItsBlocksForever() throws Exception {
    copyBase(dir);
    Path dicts = journal(dir).resolve("dictionaries");
    Path aside = dir.resolve("dictionaries-aside");
    Files.move(dicts, aside); // e.g. a restore that brings the directory back after the start
    List<String> problems = new ArrayList<>();
    int readableWithout;
    try (EmbeddedEventStore store = open(dir, CONFIG)) {
      DamageFixture.await(store);
      readableWithout = readEverything(store, problems);
      // its events are unreadable (lookups count them) but its intact blocks are not damage
      assertEquals(List.of(), store.damaged(EventStore.HISTORY), "nothing recorded as lost");
    }
    assertTrue(readableWithout < events.size(), "blocks need it: " + readableWithout);
    // the directory is back; the journal's bytes never changed
    DamageFixture.delete(journal(dir).resolve("dictionaries"));
    Files.move(aside, journal(dir).resolve("dictionaries"));
    try (EmbeddedEventStore store = open(dir, CONFIG)) {
      DamageFixture.await(store);
      int readable = readEverything(store, problems);
      assertEquals(List.of(), problems);
      List<String> missing = new ArrayList<>();
      for (Event e : events) {
        if (store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId()).isEmpty()) {
          missing.add(e.eventId());
        }
      }
      assertEquals(
          events.size(),
          readable,
          "with its dictionary back, every event is readable again; damaged: "
              + store.damaged(EventStore.HISTORY)
              + "; not found: "
              + missing.size()
              + " "
              + missing.subList(0, Math.min(3, missing.size())));
    }
  }

  @Test
  void aDictionaryDamagedInBothCopiesIsReportedNeverMisread() throws Exception {
    copyBase(dir);
    Path d = dictionaries(dir).get(0);
    long size = Files.size(d);
    xor(d, 20, 0x04);
    xor(d, size / 2 + 20, 0x04);
    List<String> problems = new ArrayList<>();
    try (EmbeddedEventStore store = open(dir, CONFIG)) {
      DamageFixture.await(store);
      int readable = readEverything(store, problems);
      assertTrue(readable < events.size(), "blocks need it");
      assertEquals(List.of(), store.damaged(EventStore.HISTORY), "intact blocks are not damage");
      stillRecords(store, problems);
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void aTruncatedOrEmptyDictionary() throws Exception {
    for (int keep : new int[] {-1, 0, 7}) {
      Path root = dir.resolve("t" + keep);
      copyBase(root);
      Path d = dictionaries(root).get(0);
      long size = Files.size(d);
      try (FileChannel ch = FileChannel.open(d, StandardOpenOption.WRITE)) {
        ch.truncate(keep < 0 ? size / 2 + 5 : keep); // first copy intact / nothing / a stub
      }
      List<String> problems = new ArrayList<>();
      try (EmbeddedEventStore store = open(root, CONFIG)) {
        DamageFixture.await(store);
        int readable = readEverything(store, problems);
        stillRecords(store, problems);
        if (keep < 0) {
          assertEquals(events.size(), readable, "the first copy is intact");
          assertEquals(List.of(), store.damaged(EventStore.HISTORY));
        } else {
          assertTrue(readable < events.size(), "blocks need it");
          assertEquals(List.of(), store.damaged(EventStore.HISTORY), "intact blocks: no damage");
        }
      }
      assertEquals(List.of(), problems, "truncated to " + keep);
    }
  }

  @Test
  void oldDataStaysReadableWithOtherJournalSettings() throws Exception {
    List<Map<String, Object>> configs = new ArrayList<>();
    Map<String, Object> level0 = new LinkedHashMap<>(CONFIG);
    level0.put("journal.compression.level", 0);
    configs.add(level0);
    Map<String, Object> noSamples = new LinkedHashMap<>(CONFIG);
    noSamples.put("journal.dictionary.samples", 0);
    configs.add(noSamples);
    Map<String, Object> moreSamples = new LinkedHashMap<>(CONFIG);
    moreSamples.put("journal.dictionary.samples", 5000);
    moreSamples.put("journal.compression.level", 19);
    configs.add(moreSamples);
    copyBase(dir);
    for (Map<String, Object> c : configs) {
      List<String> problems = new ArrayList<>();
      try (EmbeddedEventStore store = open(dir, c)) {
        DamageFixture.await(store);
        assertEquals(events.size(), readEverything(store, problems), "with " + c);
        stillRecords(store, problems);
        assertEquals(List.of(), store.damaged(EventStore.HISTORY));
      }
      assertEquals(List.of(), problems, "with " + c);
    }
  }

  /**
   * Bytes of the frame table and header of codec-2 blocks, in a sealed segment (opened through its
   * sidecar, unread) and in the active one.
   */
  @Test
  void flippedFrameTableAndHeaderBytesAreNeverReadAsEvents() throws Exception {
    List<BlockAt> all = blocks(base);
    Path active = all.get(all.size() - 1).file();
    List<BlockAt> sealed =
        all.stream()
            .filter(b -> b.codec() == 2 && !b.file().equals(active) && b.count() > 6)
            .toList();
    List<BlockAt> inActive =
        all.stream()
            .filter(b -> b.codec() == 2 && b.file().equals(active) && b.count() > 6)
            .toList();
    assertFalse(sealed.isEmpty());
    assertFalse(inActive.isEmpty(), "codec-2 blocks in the active segment");
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    List<String> failures = new ArrayList<>();
    int c = 0;
    for (BlockAt b : List.of(sealed.get(sealed.size() / 2), inActive.get(inActive.size() - 1))) {
      // header fields, the dictionary id, frame table entries 0, 3, last
      long[] at = {
        4,
        7,
        11,
        19,
        23,
        27,
        28,
        51,
        55,
        52 + 4 * 3 + 3,
        52 + 4 * 3 + 2,
        52 + 4L * (b.count() - 1) + 3
      };
      for (long off : at) {
        Path root = dir.resolve("c" + c++);
        copyBase(root);
        Path f = journal(root).resolve(b.file().getFileName());
        xor(f, b.offset() + off, 1 << r.nextInt(8));
        List<String> problems = new ArrayList<>();
        String where = b.file().getFileName() + " block@" + b.offset() + " +" + off;
        try (EmbeddedEventStore store = open(root, CONFIG)) {
          DamageFixture.await(store);
          int readable = readEverything(store, problems);
          stillRecords(store, problems);
          if (readable < events.size() && store.damaged(EventStore.HISTORY).isEmpty()) {
            problems.add(events.size() - readable + " events unreadable but no damage reported");
          }
        } catch (RuntimeException | IOException e) {
          problems.add("the store failed: " + e);
        }
        if (!problems.isEmpty()) {
          failures.add(where + ": " + problems.subList(0, Math.min(3, problems.size())));
        }
        DamageFixture.delete(root);
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + c + " cases:\n  " + String.join("\n  ", failures));
    }
  }

  /**
   * Only a block's CRC field is damaged: every record's frame still verifies. Lookups return its
   * events (the one-record path does not read the CRC), but the first whole-block read (delivery,
   * verify, the indexer after a restart) records the block as lost, after which lookups stop
   * returning them too: what a reader gets depends on which path read first.
   */
  @Test
  void whatLookupsReturnDeliveryDelivers() throws Exception {
    List<BlockAt> all = blocks(base);
    Path active = all.get(all.size() - 1).file();
    BlockAt b =
        all.stream()
            .filter(x -> x.codec() == 2 && !x.file().equals(active) && x.count() > 6)
            .findFirst()
            .orElseThrow();
    copyBase(dir);
    xor(journal(dir).resolve(b.file().getFileName()), b.offset() + 11, 0x01); // the CRC's last byte
    try (EmbeddedEventStore store = open(dir, CONFIG)) {
      DamageFixture.await(store);
      Event e = events.get((int) b.first() + 2); // sequence first + 3
      boolean foundBefore =
          store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId()).isPresent();
      boolean delivered =
          store.read(EventStore.HISTORY, b.first() - 1, b.count()).stream()
              .anyMatch(x -> x.event().eventId().equals(e.eventId()));
      boolean foundAfter =
          store.find(EventStore.HISTORY, TestEvents.ACCOUNT, e.eventId()).isPresent();
      assertEquals(
          List.of(foundBefore, foundBefore),
          List.of(delivered, foundAfter),
          "found by a lookup: "
              + foundBefore
              + ", then delivered: "
              + delivered
              + ", then found again: "
              + foundAfter
              + "; damaged: "
              + store.damaged(EventStore.HISTORY));
    }
  }
}
