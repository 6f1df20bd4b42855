package org.opentrail.trail;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Exponential backoff with equal jitter: each failure waits between half the current ceiling and
 * the ceiling ({@code ceiling/2 + random(0..ceiling/2)}), then doubles the ceiling up to the
 * maximum; a success resets it. Unlike full jitter ({@code random(0..ceiling)}), equal jitter keeps
 * a floor of half the ceiling between retries, so a failing sink is never retried in a tight loop,
 * while retries of many destinations still spread out. The bounds are read at each step, so a
 * configuration change applies from the next failure.
 */
final class Backoff {
  private final LongSupplier initialMillis;
  private final LongSupplier maxMillis;
  private long ceiling;

  Backoff(long initialMillis, long maxMillis) {
    this(() -> initialMillis, () -> maxMillis);
  }

  Backoff(LongSupplier initialMillis, LongSupplier maxMillis) {
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.ceiling = initialMillis.getAsLong();
  }

  /** The delay before the next attempt after a failure: from ceiling/2 to ceiling. */
  long next() {
    long c = Math.max(1, Math.min(ceiling, maxMillis.getAsLong()));
    long delay = c / 2 + ThreadLocalRandom.current().nextLong(c - c / 2 + 1);
    ceiling = Math.min(maxMillis.getAsLong(), c * 2);
    return delay;
  }

  void reset() {
    ceiling = initialMillis.getAsLong();
  }
}
