package org.opentrail.store.index;

import java.util.ArrayList;
import java.util.List;

/**
 * A Bloom filter over the hashes ({@link org.opentrail.store.journal.PreparedEvent#hash}) of the
 * de-duplication keys (account and eventId) of one day partition, so that the journal writer can
 * tell "certainly not stored" without asking the index: a chain of fixed-size filters (1% false
 * positives each), a new one begun when the newest is full. A "maybe" is confirmed in the index.
 * Not thread-safe: only the journal writer uses it.
 */
final class IdFilter {
  private static final int CAPACITY = 1 << 20; // keys per link
  private static final int BITS = CAPACITY * 10; // ~1% false positives with 7 probes
  private static final int PROBES = 7;

  private final List<long[]> links = new ArrayList<>();
  private int inNewest;

  IdFilter() {
    links.add(new long[BITS >>> 6]);
  }

  void add(long h) {
    if (inNewest == CAPACITY) {
      links.add(new long[BITS >>> 6]);
      inNewest = 0;
    }
    long[] bits = links.get(links.size() - 1);
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    for (int i = 0; i < PROBES; i++) {
      int bit = ((h1 + i * h2) & Integer.MAX_VALUE) % BITS;
      bits[bit >>> 6] |= 1L << bit;
    }
    inNewest++;
  }

  /** False if the key with hash {@code h} was certainly never added. */
  boolean mightContain(long h) {
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    for (long[] bits : links) {
      boolean all = true;
      for (int i = 0; i < PROBES && all; i++) {
        int bit = ((h1 + i * h2) & Integer.MAX_VALUE) % BITS;
        all = (bits[bit >>> 6] & (1L << bit)) != 0;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** Heap bytes held. */
  long bytes() {
    return (long) links.size() * (BITS >>> 3);
  }
}
