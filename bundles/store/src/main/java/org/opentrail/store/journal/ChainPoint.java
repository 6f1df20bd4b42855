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
 * The writer's hash chain value at its newest acknowledged record, kept beside the journal like the
 * {@link RecoveryPoint} (a positioned write per group commit, forced with it), so that a restart
 * continues the chain from what the writer computed as it acknowledged, not from records read back
 * from disk, which may have been altered meanwhile. Only records after this point are hashed again
 * at recovery.
 *
 * <p>File {@code chain-point}: two 48-byte slots, both rewritten at each update, each {@code int
 * magic "OTCP", long sequence, 32 bytes chain value, int CRC-32C of the slot's first 44 bytes}.
 */
final class ChainPoint extends TwoSlotFile {
  static final String FILE = "chain-point";
  private static final int MAGIC = 0x4F544350;
  private static final int SLOT = 48;
  private static final int COVERED = 44;

  private final ByteBuffer buffer = ByteBuffer.allocate(SLOT).order(ByteOrder.BIG_ENDIAN);

  private ChainPoint(FileChannel channel) {
    super(channel, SLOT);
  }

  /** The point in {@code dir}: a slot with a good checksum, or {@code null}. */
  static Journal.Chain read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    byte[] all = Files.readAllBytes(f);
    Journal.Chain best = null;
    for (int slot = 0; slot + SLOT <= all.length && slot < 2 * SLOT; slot += SLOT) {
      ByteBuffer b = ByteBuffer.wrap(all, slot, SLOT).slice().order(ByteOrder.BIG_ENDIAN);
      CRC32C c = new CRC32C();
      c.update(all, slot, COVERED);
      if (b.getInt(0) != MAGIC || b.getInt(COVERED) != (int) c.getValue()) {
        continue;
      }
      long s = b.getLong(4);
      if (best == null || s > best.sequence()) {
        byte[] v = new byte[32];
        b.get(12, v);
        best = new Journal.Chain(s, v);
      }
    }
    return best;
  }

  static ChainPoint open(Path dir) throws IOException {
    return new ChainPoint(
        org.opentrail.internal.durable.DurableFiles.openPrivate(
            dir.resolve(FILE),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE));
  }

  /** Records the chain value after {@code sequence} (no fsync: see {@link #force}). */
  synchronized void update(long sequence, byte[] value) throws IOException {
    buffer.clear();
    buffer.putInt(MAGIC).putLong(sequence).put(value);
    CRC32C c = new CRC32C();
    c.update(buffer.array(), 0, COVERED);
    buffer.putInt((int) c.getValue());
    writeBoth(buffer);
  }
}
