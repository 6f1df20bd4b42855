package org.opentrail.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Where the journal's acknowledged bytes end, kept beside it so that recovery can tell a write torn
 * by a crash (after this point: never acknowledged, may be cut) from damage to acknowledged bytes
 * (at or before it: never cut). Kafka keeps a recovery-point checkpoint for the same reason.
 *
 * <p>File {@code recovery-point}: two 64-byte slots, both rewritten at each update, each {@code int
 * magic "OTRP", long generation, long segment (first sequence of the active segment), long end
 * (bytes of it acknowledged), long lastSequence (highest sequence ever acknowledged), long
 * purgedThrough (highest sequence retention removed), int CRC-32C of the slot's first 44 bytes}.
 * The newest slot with a good checksum wins, so a torn or damaged slot leaves the other one.
 *
 * <p>The writer updates it after every group commit with one positioned write and no fsync: a
 * process that is killed leaves it current (the page cache survives), and after an operating system
 * crash it is at most one {@link #force} interval old, which only widens what counts as torn.
 */
final class RecoveryPoint extends TwoSlotFile {
  static final String FILE = "recovery-point";
  private static final int MAGIC = 0x4F545250;
  private static final int SLOT = 64;
  private static final int COVERED = 44;

  /** One slot's content. */
  record Point(long generation, long segment, long end, long lastSequence, long purgedThrough) {}

  private final ByteBuffer buffer = ByteBuffer.allocate(SLOT).order(ByteOrder.BIG_ENDIAN);
  private long generation;
  private long purgedThrough;

  private RecoveryPoint(FileChannel channel, long generation, long purgedThrough) {
    super(channel, SLOT);
    this.generation = generation;
    this.purgedThrough = purgedThrough;
  }

  /**
   * The newest valid point in {@code dir}, or {@code null} if the file is missing or unreadable.
   */
  static Point read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    byte[] all = Files.readAllBytes(f);
    Point best = null;
    long bestGeneration = -1;
    for (int slot = 0; slot + SLOT <= all.length && slot < 2 * SLOT; slot += SLOT) {
      ByteBuffer b = ByteBuffer.wrap(all, slot, SLOT).slice().order(ByteOrder.BIG_ENDIAN);
      CRC32C c = new CRC32C();
      c.update(all, slot, COVERED);
      if (b.getInt(0) != MAGIC || b.getInt(COVERED) != (int) c.getValue()) {
        continue;
      }
      long g = b.getLong(4);
      if (g > bestGeneration) {
        bestGeneration = g;
        best = new Point(g, b.getLong(12), b.getLong(20), b.getLong(28), b.getLong(36));
      }
    }
    return best;
  }

  /** Opens the file for updates, continuing after {@code start} (which may be null). */
  static RecoveryPoint open(Path dir, Point start) throws IOException {
    FileChannel ch =
        org.opentrail.internal.durable.DurableFiles.openPrivate(
            dir.resolve(FILE),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    return new RecoveryPoint(
        ch, start == null ? 0 : start.generation(), start == null ? 0 : start.purgedThrough());
  }

  /**
   * Records that {@code end} bytes of segment {@code segment} and sequences to {@code last} are
   * acknowledged.
   */
  synchronized void update(long segment, long end, long last) throws IOException {
    generation++;
    buffer.clear();
    buffer.putInt(MAGIC).putLong(generation).putLong(segment).putLong(end).putLong(last);
    buffer.putLong(purgedThrough);
    CRC32C c = new CRC32C();
    c.update(buffer.array(), 0, COVERED);
    buffer.putInt((int) c.getValue());
    writeBoth(buffer);
  }

  /** Notes that retention removed every sequence up to {@code sequence} (made durable at once). */
  synchronized void purged(long sequence, long segment, long end, long last) throws IOException {
    purgedThrough = Math.max(purgedThrough, sequence);
    update(segment, end, last);
    force();
  }

  /** The highest sequence retention removed (0 if none). */
  synchronized long purgedThrough() {
    return purgedThrough;
  }
}
