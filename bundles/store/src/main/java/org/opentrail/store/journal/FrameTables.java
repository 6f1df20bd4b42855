package org.opentrail.store.journal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frame tables of blocks of records compressed one by one, keyed by the block's first sequence,
 * so that a lookup hit in a block read before costs one read of the record's frame alone. Bounded
 * by the heap the tables hold (about 4 bytes per event: the default 32 MB covers some 8 million
 * events); beyond it, arbitrary entries are dropped (a table is cheap to read again). Lock-free for
 * readers: many lookup threads read it at once.
 */
final class FrameTables {
  private final long capacityBytes;
  private final ConcurrentHashMap<Long, Block.FrameTable> tables = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  FrameTables(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  Block.FrameTable get(long firstSequence) {
    return tables.get(firstSequence);
  }

  void put(long firstSequence, Block.FrameTable t) {
    if (tables.putIfAbsent(firstSequence, t) == null
        && bytes.addAndGet(t.heapBytes()) > capacityBytes) {
      for (Iterator<Block.FrameTable> it = tables.values().iterator();
          it.hasNext() && bytes.get() > capacityBytes * 9 / 10; ) {
        Block.FrameTable dropped = it.next();
        it.remove();
        bytes.addAndGet(-dropped.heapBytes());
      }
    }
  }

  /** Forgets the tables of blocks before {@code sequence} (purged by retention). */
  void dropBefore(long sequence) {
    tables.keySet().removeIf(first -> first < sequence);
    long n = 0;
    for (Block.FrameTable t : tables.values()) {
      n += t.heapBytes();
    }
    bytes.set(n);
  }
}
