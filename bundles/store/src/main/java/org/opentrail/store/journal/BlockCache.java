package org.opentrail.store.journal;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The most recently used blocks read whole for lookups, keyed by their first sequence number and
 * bounded by the heap they hold (32 MB: some 500 blocks compressed whole, held decoded), so that
 * hits in a block read before skip reading and checking it again. Blocks of records compressed one
 * by one are mostly read a record at a time and come here only when that fails.
 */
final class BlockCache {
  private final long capacityBytes;
  private final LinkedHashMap<Long, Block> blocks = new LinkedHashMap<>(1024, 0.75f, true);
  private long bytes;

  BlockCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** The cached block starting at {@code firstSequence}, or {@code null}. */
  synchronized Block get(long firstSequence) {
    return blocks.get(firstSequence);
  }

  synchronized void put(Block b) {
    Block old = blocks.put(b.firstSequence(), b);
    bytes += b.heapBytes() - (old == null ? 0 : old.heapBytes());
    for (Iterator<Block> it = blocks.values().iterator(); bytes > capacityBytes && it.hasNext(); ) {
      Block eldest = it.next();
      it.remove();
      bytes -= eldest.heapBytes();
    }
  }

  synchronized void clear() {
    blocks.clear();
    bytes = 0;
  }

  @Override
  public synchronized String toString() {
    return blocks.size() + " blocks, " + bytes + " bytes";
  }
}
