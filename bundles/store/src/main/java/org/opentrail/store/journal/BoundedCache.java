package org.opentrail.store.journal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * A cache of immutable values keyed by sequence number, bounded by the heap its values hold (as
 * {@code weigher} counts it), lock-free for readers: many lookup threads read it at once. Beyond
 * its bound it drops arbitrary entries (what it holds is cheap to read again), which keeps it
 * simple where a strict LRU would need a lock on every read.
 */
final class BoundedCache<V> {
  private final long capacityBytes;
  private final ToIntFunction<V> weigher;
  private final ConcurrentHashMap<Long, V> entries = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  BoundedCache(long capacityBytes, ToIntFunction<V> weigher) {
    this.capacityBytes = capacityBytes;
    this.weigher = weigher;
  }

  V get(long key) {
    return entries.get(key);
  }

  void put(long key, V value) {
    if (entries.putIfAbsent(key, value) == null
        && bytes.addAndGet(weigher.applyAsInt(value)) > capacityBytes) {
      for (Iterator<Long> it = entries.keySet().iterator();
          it.hasNext() && bytes.get() > capacityBytes * 9 / 10; ) {
        remove(it.next());
      }
    }
  }

  /** Forgets the entries with keys before {@code key} (purged by retention). */
  void dropBefore(long key) {
    for (Long k : entries.keySet()) {
      if (k < key) {
        remove(k);
      }
    }
  }

  /** Removes one entry, counting its weight off only if this call removed it (threads race). */
  private void remove(Long key) {
    V v = entries.remove(key);
    if (v != null) {
      bytes.addAndGet(-weigher.applyAsInt(v));
    }
  }

  void clear() {
    entries.clear();
    bytes.set(0);
  }
}
