package org.opentrail.store.journal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.TestEvents;

/**
 * An event whose userName holds the bytes of a complete journal block: when the real block around
 * it fails its checksum, recovery's scan for the next block magic adopts the embedded block.
 */
class EmbeddedBlockForgeryTest {
  @TempDir Path dir;

  static final Map<String, Object> CONFIG =
      Map.of(
          "index.refresh.millis", 20,
          "journal.segment.megabytes", 1,
          "journal.block.kilobytes", 16,
          "journal.compression.level", 0,
          "free.space.floor.megabytes", 0);

  static byte[] fakeBlock(long first) {
    for (int attempt = 0; attempt < 100_000; attempt++) {
      String id = "forged-" + attempt;
      byte[] body =
          ("{\"eventId\":\""
                  + id
                  + "\",\"recipientAccountId\":\""
                  + TestEvents.ACCOUNT
                  + "\",\"eventName\":\"X\"}")
              .getBytes(StandardCharsets.UTF_8);
      long t = 0x0000020000000000L + attempt; // 2039, every byte below 0x80
      byte[] rec =
          new JournalRecord(
                  t, TestEvents.ACCOUNT, id, new byte[0], new String[0], body, 0, body.length)
              .encode();
      ByteBuffer out = ByteBuffer.allocate(Block.maxEncodedLength(rec.length));
      Block.encode(out, first, 1, rec, rec.length, t, t, null, null);
      byte[] b = java.util.Arrays.copyOf(out.array(), out.position());
      boolean ascii = true;
      for (byte x : b) {
        ascii &= x >= 0;
      }
      if (ascii) {
        return b;
      }
    }
    throw new AssertionError("no ascii block found");
  }

  @Test
  void recoveryAdoptsABlockHiddenInAnEventsField() throws Exception {
    Event attacker;
    long seq;
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(CONFIG))) {
      for (int i = 0; i < 10; i++) {
        store.append(
            EventStore.HISTORY,
            List.of(TestEvents.event(Instant.now().minusSeconds(60 - i), "u" + i)));
      }
      long next = store.lastSequence(EventStore.HISTORY) + 1;
      String payload = new String(fakeBlock(next), StandardCharsets.ISO_8859_1);
      attacker =
          TestEvents.event(
              java.util.UUID.randomUUID().toString(),
              Instant.now(),
              payload,
              "DescribeInstances",
              "Read",
              "i-1");
      List<AppendOutcome> o = store.append(EventStore.HISTORY, List.of(attacker));
      seq = o.get(0).sequence();
      System.out.println("attacker event at " + seq + ", fake block claims " + next);
    }
    // damage one byte of the real block's stored checksum
    Path seg = dir.resolve("streams/history/journal/00000000000000000001.log");
    long pos = 0;
    long blockAt = -1;
    try (FileChannel ch =
        FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer h = ByteBuffer.allocate(Block.HEADER);
      while (pos < ch.size()) {
        h.clear();
        ch.read(h, pos);
        if (h.getLong(12) == seq) {
          blockAt = pos;
        }
        pos += Block.HEADER + h.getInt(4);
      }
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, blockAt + 9);
      one.put(0, (byte) (one.get(0) ^ 0x10));
      ch.write(one.flip(), blockAt + 9);
    }
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(CONFIG))) {
      Thread.sleep(500);
      List<StoredEvent> all = store.read(EventStore.HISTORY, 0, 100);
      StoredEvent at = all.stream().filter(e -> e.sequence() == seq).findFirst().orElse(null);
      System.out.println("damaged(): " + store.damaged(EventStore.HISTORY));
      System.out.println(
          "event at "
              + seq
              + ": "
              + (at == null ? null : at.event().eventId() + " time " + at.event().eventTime()));
      if (at != null && !at.event().eventId().equals(attacker.eventId())) {
        fail(
            "sequence "
                + seq
                + " now holds forged event "
                + at.event().eventId()
                + " (the acknowledged "
                + attacker.eventId()
                + " is gone); damaged() = "
                + store.damaged(EventStore.HISTORY));
      }
    }
  }
}
