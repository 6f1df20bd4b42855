package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.store.ChainBreak;
import org.opentrail.api.store.ChainCheck;
import org.opentrail.api.store.ChainHead;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.store.journal.Block;

/**
 * The hash chain of docs/PROOF.md: kept by the writer, anchored per segment, recovered at open, and
 * a forged record (its block checksum recomputed, so the journal's own checks pass) is found.
 */
class HashChainTest {
  @TempDir Path base;

  @Test
  void anEmptyStreamStartsAtItsGenesis() throws Exception {
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      store.createStream(new StreamSpec("ls-one", 7, false));
      ChainHead h = store.chainHead("ls-one");
      assertEquals(0, h.sequence());
      byte[] genesis =
          MessageDigest.getInstance("SHA-256")
              .digest("OpenTrail chain v1\nls-one".getBytes(StandardCharsets.UTF_8));
      assertEquals(HexFormat.of().formatHex(genesis), h.hash());
      assertEquals(h, store.checkChain("ls-one", null, 0, s -> {}).end());
    }
  }

  @Test
  void theChainIsTheSameAfterARestartAndChecksIntact() throws Exception {
    DamageFixture f = new DamageFixture(base);
    assertTrue(f.segments().size() >= 3, "several segments: " + f.segments());
    ChainHead before;
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      before = store.chainHead(EventStore.HISTORY);
      assertEquals(DamageFixture.EVENTS, before.sequence());
      ChainCheck c = store.checkChain(EventStore.HISTORY, null, Long.MAX_VALUE, s -> {});
      assertTrue(c.intact(), c.breaks().toString());
      assertEquals(before, c.end());
      assertEquals(DamageFixture.EVENTS, c.events());
      // from a point in the middle (a digest's startHead) to another
      ChainCheck part = store.checkChain(EventStore.HISTORY, null, 1234, s -> {});
      ChainCheck rest = store.checkChain(EventStore.HISTORY, part.end(), Long.MAX_VALUE, s -> {});
      assertTrue(rest.intact());
      assertEquals(before, rest.end());
      assertEquals(DamageFixture.EVENTS - 1234, rest.events());
      store.append(EventStore.HISTORY, List.of(TestEvents.event(f.start, "late")));
      assertNotEquals(before.hash(), store.chainHead(EventStore.HISTORY).hash());
    }
    // the anchors are rebuilt if lost (a journal written before chains existed)
    try (var anchors = Files.list(base.resolve("streams/history/journal"))) {
      for (Path a : anchors.filter(p -> p.toString().endsWith(".chain")).toList()) {
        Files.delete(a);
      }
    }
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      ChainCheck c = store.checkChain(EventStore.HISTORY, null, DamageFixture.EVENTS, s -> {});
      assertTrue(c.intact(), c.breaks().toString());
      assertEquals(before, c.end());
    }
  }

  @Test
  void aDeletedOldestSegmentIsMissingNotRetention() throws Exception {
    DamageFixture f = new DamageFixture(base);
    ChainHead start;
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      start = store.checkChain(EventStore.HISTORY, null, 0, s -> {}).end(); // a digest's startHead
    }
    String first = f.segments().get(0).replace(".log", "");
    try (var files = Files.list(base.resolve("streams/history/journal"))) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith(first)).toList()) {
        Files.delete(p);
      }
    }
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      ChainCheck c = store.checkChain(EventStore.HISTORY, start, Long.MAX_VALUE, s -> {});
      ChainBreak k = c.breaks().get(0);
      assertEquals(ChainBreak.Kind.MISSING, k.kind(), c.breaks().toString());
      assertEquals(1, k.firstSequence());
    }
  }

  @Test
  void aForgedRecordInASealedSegmentBreaksTheChainThere() throws Exception {
    DamageFixture f = new DamageFixture(base);
    DamageFixture.BlockAt b = f.blocks.get(3); // in the first, sealed segment
    assertEquals(f.segments().get(0), b.file());
    forge(b);
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      assertTrue(store.verify(EventStore.HISTORY, s -> {}).clean(), "the checksums pass");
      ChainCheck c = store.checkChain(EventStore.HISTORY, null, Long.MAX_VALUE, s -> {});
      assertFalse(c.intact());
      ChainBreak k = c.breaks().get(0);
      assertEquals(ChainBreak.Kind.ALTERED, k.kind(), k.toString());
      assertTrue(
          k.firstSequence() <= b.first() && b.last() <= k.lastSequence(), k + " covers " + b);
      assertEquals(1, c.breaks().size(), c.breaks().toString());
    }
  }

  @Test
  void aForgedRecordInTheNewestSegmentMissesTheSignedHead() throws Exception {
    DamageFixture f = new DamageFixture(base);
    ChainHead signed;
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      signed = store.chainHead(EventStore.HISTORY); // what a digest signed
    }
    DamageFixture.BlockAt b = f.blocks.get(f.blocks.size() - 2);
    assertEquals(f.segments().get(f.segments().size() - 1), b.file());
    forge(b);
    try (EmbeddedEventStore store = DamageFixture.open(base)) {
      ChainCheck c = store.checkChain(EventStore.HISTORY, null, signed.sequence(), s -> {});
      assertNotEquals(signed, c.end(), "recomputed over the forged record");
      // the writer's own value survived the restart (chain-point): the forgery is found without
      // a digest too
      assertTrue(
          c.breaks().stream().anyMatch(k -> k.kind() == ChainBreak.Kind.ALTERED),
          c.breaks().toString());
    }
  }

  @Test
  void damageIsReportedAsDamageNotAsTamperingAndTheChainGoesOn() throws Exception {
    DamageFixture f = new DamageFixture(base);
    DamageFixture.BlockAt b = f.blocks.get(f.blocks.size() - 2); // newest segment
    Path file = base.resolve("streams/history/journal").resolve(b.file());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x7f}), b.offset() + Block.HEADER + 100);
    }
    for (int restart = 0; restart < 2; restart++) {
      try (EmbeddedEventStore store = DamageFixture.open(base)) {
        store.append(EventStore.HISTORY, List.of(TestEvents.event(f.start, "after" + restart)));
        ChainCheck c = store.checkChain(EventStore.HISTORY, null, Long.MAX_VALUE, s -> {});
        assertFalse(c.breaks().isEmpty());
        for (ChainBreak k : c.breaks()) {
          assertEquals(ChainBreak.Kind.DAMAGED, k.kind(), c.breaks().toString());
        }
        assertEquals(b.first(), c.breaks().get(0).firstSequence());
      }
    }
  }

  /** Changes one byte of an event's JSON in an uncompressed block and fixes the block's CRC. */
  private void forge(DamageFixture.BlockAt b) throws Exception {
    Path file = base.resolve("streams/history/journal").resolve(b.file());
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate((int) b.length());
      ch.read(block, b.offset());
      byte[] a = block.array();
      byte[] name = "DescribeInstances".getBytes(StandardCharsets.UTF_8);
      int at = indexOf(a, name, Block.HEADER);
      assertTrue(at > 0, "the block is uncompressed");
      a[at] = 'd';
      CRC32C crc = new CRC32C();
      crc.update(a, 12, a.length - 12);
      ByteBuffer.wrap(a).putInt(8, (int) crc.getValue());
      ch.write(ByteBuffer.wrap(a), b.offset());
    }
  }

  private static int indexOf(byte[] a, byte[] b, int from) {
    outer:
    for (int i = from; i <= a.length - b.length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
