package org.opentrail.store.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A small checkpoint file of two identical slots, both rewritten at each update with positioned
 * writes and no fsync ({@link #force} makes them durable): a write torn in one slot leaves the
 * other, and a slot damaged later leaves the other with the same, newest content. Readers take the
 * newest slot whose checksum is good. {@link RecoveryPoint} and {@link ChainPoint} are such files.
 */
abstract class TwoSlotFile implements Closeable {
  private final FileChannel channel;
  private final int slotSize;
  private boolean dirty;

  TwoSlotFile(FileChannel channel, int slotSize) {
    this.channel = channel;
    this.slotSize = slotSize;
  }

  /** Writes {@code slot} (its first {@code slotSize} bytes) into both slots. */
  final synchronized void writeBoth(ByteBuffer slot) throws IOException {
    for (long i = 0; i < 2; i++) {
      slot.position(0).limit(slotSize);
      long pos = i * slotSize;
      while (slot.hasRemaining()) {
        pos += channel.write(slot, pos);
      }
    }
    dirty = true;
  }

  /** Forces the last update to disk if there was one since the last force. */
  final synchronized void force() throws IOException {
    if (dirty) {
      dirty = false;
      channel.force(false);
    }
  }

  @Override
  public final synchronized void close() throws IOException {
    try {
      force();
    } finally {
      channel.close();
    }
  }
}
