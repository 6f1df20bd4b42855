package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.EventStore;
import org.opentrail.store.journal.Block;

/**
 * The store the damage tests start from: 3,000 events a minute apart over the last three days,
 * uncompressed 16 KiB blocks in 1 MiB segments (several sealed ones and an active one), with the
 * layout of every block, so a test knows exactly which sequences a damaged byte takes.
 */
final class DamageFixture {
  static final int EVENTS = 3000;
  static final Map<String, Object> CONFIG =
      Map.of(
          "index.refresh.millis", 20,
          "journal.segment.megabytes", 1,
          "journal.block.kilobytes", 16,
          "journal.compression.level", 0,
          "free.space.floor.megabytes", 0);

  /** A block of a store: its file, byte range and sequences. */
  record BlockAt(String file, long offset, long length, long first, long last) {}

  final List<String> ids = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final List<BlockAt> blocks = new ArrayList<>();
  final Instant start = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

  /** Records the events into a store in {@code base}, closes it and reads its block layout. */
  DamageFixture(Path base) throws Exception {
    try (EmbeddedEventStore store = open(base)) {
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        Event e = TestEvents.event(start.plusSeconds(i * 60L), "u" + (i % 17));
        ids.add(e.eventId());
        events.add(e);
        batch.add(e);
        if (batch.size() == 100) {
          store.append(EventStore.HISTORY, batch);
          batch.clear();
        }
      }
      await(store);
    }
    scanBlocks(base, blocks);
  }

  /** The segment files, oldest first. */
  List<String> segments() {
    return blocks.stream().map(BlockAt::file).distinct().toList();
  }

  static EmbeddedEventStore open(Path dir) throws IOException {
    return new EmbeddedEventStore(dir, TestEvents.config(CONFIG));
  }

  /** Every block of the history's segments in {@code root}, walking their headers. */
  static void scanBlocks(Path root, List<BlockAt> into) throws IOException {
    into.clear();
    Path journal = root.resolve("streams/history/journal");
    try (Stream<Path> files = Files.list(journal)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
          long pos = 0;
          ByteBuffer h = ByteBuffer.allocate(Block.HEADER);
          while (pos < ch.size()) {
            h.clear();
            ch.read(h, pos);
            long len = Block.HEADER + h.getInt(4);
            long first = h.getLong(12);
            into.add(
                new BlockAt(f.getFileName().toString(), pos, len, first, first + h.getInt(20) - 1));
            pos += len;
          }
        }
      }
    }
  }

  /** Waits until the history is settled: indexed, scrubbed, no partition being rebuilt. */
  static void await(EmbeddedEventStore store) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!store.settled(EventStore.HISTORY)) {
      if (System.nanoTime() > deadline) {
        fail("the store did not settle: " + store.stream(EventStore.HISTORY));
      }
      Thread.sleep(5);
    }
  }

  /** Copies a store directory (of a closed store, or of a live one as a crash would leave it). */
  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().equals("write.lock")) {
          try {
            Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
          } catch (java.nio.file.NoSuchFileException gone) {
            // a file removed while copying a live store
          }
        }
      }
    }
  }

  static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
