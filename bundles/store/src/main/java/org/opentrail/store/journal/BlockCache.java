package org.opentrail.store.journal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used decoded blocks, keyed by their first sequence number, so that a page of
 * lookup results whose events share blocks decompresses each block once.
 */
final class BlockCache {
  private final LinkedHashMap<Long, Block> blocks;

  BlockCache(int capacity) {
    this.blocks =
        new LinkedHashMap<>(capacity * 2, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Block> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The cached block starting at {@code firstSequence}, or {@code null}. */
  synchronized Block get(long firstSequence) {
    return blocks.get(firstSequence);
  }

  synchronized void put(Block b) {
    blocks.put(b.firstSequence(), b);
  }

  synchronized void clear() {
    blocks.clear();
  }
}
