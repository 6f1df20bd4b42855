package org.opentrail.trail;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: each failure doubles the ceiling, a success resets it. */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private long ceiling;

  Backoff(long initialMillis, long maxMillis) {
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.ceiling = initialMillis;
  }

  /** The delay before the next attempt after a failure. */
  long next() {
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    ceiling = Math.min(maxMillis, ceiling * 2);
    return delay;
  }

  void reset() {
    ceiling = initialMillis;
  }
}
