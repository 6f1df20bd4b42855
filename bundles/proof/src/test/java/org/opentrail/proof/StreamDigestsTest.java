package org.opentrail.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.proof.ProofFinding;
import org.opentrail.api.proof.ProofReport;
import org.opentrail.api.store.EventStore;
import org.opentrail.auth.AccountSigningKeys;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;
import org.opentrail.internal.digest.DigestDocument;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.opentrail.store.journal.Block;
import org.osgi.util.converter.Converters;

/**
 * Stream digests over a real store and the auth bundle's real signing keys: written every interval
 * (also empty ones) and at a stop, chained across restarts, and a check that passes an untouched
 * history and finds a forged record, a deleted digest and a truncated end.
 */
class StreamDigestsTest {
  static final String ACCOUNT = "123456789012";
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir Path dir;
  Instant now = T0;
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  EmbeddedEventStore store;
  IdentityRegistry ids;
  AccountSigningKeys keys;
  StreamDigests digests;

  @BeforeEach
  void open() throws Exception {
    store =
        new EmbeddedEventStore(
            dir.resolve("store"),
            Converters.standardConverter()
                .convert(Map.of("journal.compression.level", 0, "free.space.floor.megabytes", 0))
                .to(StoreConfig.class));
    ids = new IdentityRegistry(AuthPaths.under(dir.resolve("auth")), ACCOUNT);
    keys = new AccountSigningKeys(ids, AuthPaths.under(dir.resolve("auth")));
    digests = newDigests();
  }

  StreamDigests newDigests() {
    return new StreamDigests(store, keys, ids, dir.resolve("digests"), 3600, clock, false);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  void append(int n) {
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("eventId", UUID.randomUUID().toString());
      e.put("eventTime", now.toString());
      e.put("eventName", "DescribeInstances");
      e.put("recipientAccountId", ACCOUNT);
      e.put("userIdentity", Map.of("type", "ram-user", "userName", "u" + i));
      batch.add(Event.of(e));
    }
    store.append(EventStore.HISTORY, batch);
  }

  /** Three intervals, one of them empty, and events after the last digest. */
  void history() {
    append(100);
    now = T0.plusSeconds(3600);
    digests.digestNow();
    append(50);
    now = T0.plusSeconds(7200);
    digests.digestNow();
    now = T0.plusSeconds(10800);
    digests.digestNow(); // nothing appended in this interval
    append(10);
  }

  @Test
  void anUntouchedHistoryProvesItselfDigestByDigest() throws Exception {
    history();
    ProofReport r = digests.verify(EventStore.HISTORY, now, false, s -> {});
    assertTrue(r.clean(), r.findings().toString());
    assertEquals(3, r.digests());
    assertEquals(160, r.events());
    try (Stream<Path> files = Files.walk(dir.resolve("digests/streams/history"))) {
      List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
      assertEquals(3, all.size(), all.toString());
      DigestDocument.Parsed empty = DigestDocument.parse(Files.readAllBytes(all.get(2)));
      assertEquals(151, empty.number("startSequence", -1));
      assertEquals(150, empty.number("endSequence", -1), "an empty interval has its digest");
      assertEquals(T0.plusSeconds(7200), empty.time("digestStartTime"));
    }
  }

  @Test
  void theChainOfDigestsGoesOnAcrossAStop() throws Exception {
    history();
    now = T0.plusSeconds(11000);
    digests.stop(); // the final digest
    digests = newDigests();
    now = T0.plusSeconds(20000);
    append(5);
    List<String> written = digests.digestNow();
    assertEquals(1, written.size());
    DigestDocument.Parsed p =
        DigestDocument.parse(
            Files.readAllBytes(dir.resolve("digests/streams").resolve(written.get(0))));
    assertEquals(T0.plusSeconds(11000), p.time("digestStartTime"), "covers the time it was down");
    assertEquals(161, p.number("startSequence", -1));
    ProofReport r = digests.verify(EventStore.HISTORY, now, false, s -> {});
    assertTrue(r.clean(), r.findings().toString());
    assertEquals(5, r.digests());
  }

  @Test
  void aKeyRotatedBetweenDigestsLeavesEveryDigestVerifiable() throws Exception {
    append(10);
    now = T0.plusSeconds(3600);
    String first = digests.digestNow().get(0);
    keys.rotate(ACCOUNT);
    append(10);
    now = T0.plusSeconds(7200);
    String second = digests.digestNow().get(0);
    ProofReport r = digests.verify(EventStore.HISTORY, now, false, s -> {});
    assertTrue(r.clean(), r.findings().toString());
    assertEquals(2, r.digests());
    assertEquals(20, r.events());
    Path streams = dir.resolve("digests/streams");
    String k1 =
        DigestDocument.parse(Files.readAllBytes(streams.resolve(first)))
            .text("publicKeyFingerprint");
    String k2 =
        DigestDocument.parse(Files.readAllBytes(streams.resolve(second)))
            .text("publicKeyFingerprint");
    assertFalse(k1.equals(k2), "signed by two keys");
  }

  @Test
  void aLostStateDoesNotRestartTheChain() throws Exception {
    history();
    try (Stream<Path> s = Files.walk(dir.resolve("digests/state"))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    digests = newDigests();
    now = T0.plusSeconds(14400);
    digests.digestNow();
    ProofReport r = digests.verify(EventStore.HISTORY, now, false, s -> {});
    assertTrue(r.clean(), r.findings().toString());
    assertEquals(4, r.digests());
  }

  @Test
  void aForgedRecordIsFoundInTheIntervalThatSignedIt() throws Exception {
    history();
    store.close();
    forgeFirstRecordNamed("DescribeInstances");
    open();
    ProofReport r = digests.verify(EventStore.HISTORY, now, false, s -> {});
    assertFalse(r.clean());
    ProofFinding f = r.findings().get(0);
    assertEquals("EventsAltered", f.kind(), r.findings().toString());
    assertEquals("1-100", f.subject(), f.toString());
  }

  @Test
  void aDamagedRecordDoesNotHideAForgedOneBesideIt() throws Exception {
    append(1);
    append(1);
    append(1); // three blocks in one interval
    now = T0.plusSeconds(3600);
    digests.digestNow();
    store.close();
    Path log = firstSegment();
    byte[] a = Files.readAllBytes(log);
    int[] blocks = blockStarts(a);
    a[blocks[0] + Block.HEADER + 5] ^= 0x01; // damaged: its checksum fails
    int third = blocks[2];
    int end = third + Block.HEADER + ByteBuffer.wrap(a).getInt(third + 4);
    int at = indexOf(a, "DescribeInstances".getBytes(StandardCharsets.UTF_8), third, end);
    a[at] = 'd'; // forged: its checksum fixed
    CRC32C crc = new CRC32C();
    crc.update(a, third + 12, end - third - 12);
    ByteBuffer.wrap(a).putInt(third + 8, (int) crc.getValue());
    Files.write(log, a);
    open();
    ProofReport r = digests.verify(EventStore.HISTORY, now, false, s -> {});
    assertFalse(r.clean(), "not proven: " + r);
    assertTrue(
        r.findings().stream().anyMatch(f -> f.kind().equals("EventsUnproven")),
        r.findings().toString());
  }

  @Test
  void deletedDigestsAndATruncatedEndAreFindings() throws Exception {
    history();
    Path middle;
    try (Stream<Path> files = Files.walk(dir.resolve("digests/streams/history"))) {
      middle = files.filter(Files::isRegularFile).sorted().toList().get(1);
    }
    Files.delete(middle);
    ProofReport r = digests.verify(EventStore.HISTORY, now.plusSeconds(5 * 3600), false, s -> {});
    List<String> kinds = r.findings().stream().map(ProofFinding::kind).toList();
    assertTrue(kinds.contains("DigestMissing"), kinds.toString());
    assertTrue(kinds.contains("DigestsEndEarly"), kinds.toString());
  }

  private Path firstSegment() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("store/streams/history/journal"))) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
    }
  }

  /** Where each block of a segment starts. */
  private static int[] blockStarts(byte[] a) {
    List<Integer> starts = new ArrayList<>();
    for (int pos = 0; pos < a.length; pos += Block.HEADER + ByteBuffer.wrap(a).getInt(pos + 4)) {
      starts.add(pos);
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Changes one byte of the first event named {@code name} and fixes its block's CRC. */
  private void forgeFirstRecordNamed(String name) throws Exception {
    Path journal = dir.resolve("store/streams/history/journal");
    Path log;
    try (Stream<Path> s = Files.list(journal)) {
      log = s.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
    }
    byte[] a = Files.readAllBytes(log);
    ByteBuffer b = ByteBuffer.wrap(a);
    byte[] needle = name.getBytes(StandardCharsets.UTF_8);
    int block = 0;
    int end = Block.HEADER + b.getInt(4);
    int at = indexOf(a, needle, Block.HEADER, end);
    assertTrue(at > 0, "the first block is uncompressed and holds " + name);
    a[at] = (byte) Character.toLowerCase(a[at]);
    CRC32C crc = new CRC32C();
    crc.update(a, block + 12, end - block - 12);
    b.putInt(block + 8, (int) crc.getValue());
    Files.write(log, a);
  }

  private static int indexOf(byte[] a, byte[] n, int from, int to) {
    outer:
    for (int i = from; i <= to - n.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (a[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
