package org.opentrail.internal.source;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies being read, translated and recorded at once by all the senders of one
 * source bundle (each source bundle has its own copy of this class). A body's events take tens of
 * times its size in memory while they are translated (measured: 112 MiB of minimal MinIO entries
 * held 6 GB), so the budget, not only the per-sender request limit, is what keeps a sender from
 * exhausting the heap; past it a post is answered 429 and sent again by its sender.
 */
final class MemoryBudget {
  /** Bytes of bodies in flight per source bundle. */
  static final long BYTES = 16L << 20;

  private static final AtomicLong inFlight = new AtomicLong();

  private MemoryBudget() {}

  /**
   * Takes {@code bytes} (at least 1) of the budget if they fit, or if nothing else is in flight (so
   * that one body up to the sender's limit always passes).
   */
  static boolean tryTake(long bytes) {
    long want = Math.max(1, bytes);
    while (true) {
      long now = inFlight.get();
      if (now > 0 && now + want > BYTES) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + want)) {
        return true;
      }
    }
  }

  static void give(long bytes) {
    inFlight.addAndGet(-Math.max(1, bytes));
  }
}
