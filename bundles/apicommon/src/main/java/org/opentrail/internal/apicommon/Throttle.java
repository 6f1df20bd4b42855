package org.opentrail.internal.apicommon;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A token bucket per access key: {@code rate} requests per second, up to one second's worth saved
 * up (shared by the HTTP APIs, copied into each bundle with -conditionalpackage). Buckets of keys
 * idle for a minute are dropped, so the map stays as small as the set of keys in use.
 */
public final class Throttle {
  private static final long NANOS = 1_000_000_000L;
  private static final long IDLE_NANOS = 60 * NANOS;
  private static final int SWEEP_EVERY = 4096;

  private final int rate;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param rate requests per second per key; 0 lets everything through
   */
  public Throttle(int rate) {
    this.rate = Math.max(0, rate);
  }

  /** Whether {@code key} may make a request now (taking a token if so). */
  public boolean tryAcquire(String key, long nowNanos) {
    if (rate == 0) {
      return true;
    }
    if (ThreadLocalRandom.current().nextInt(SWEEP_EVERY) == 0) {
      buckets.values().removeIf(b -> b.idleSince(nowNanos) > IDLE_NANOS);
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(rate, nowNanos)).take(rate, nowNanos);
  }

  public int trackedKeys() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(int rate, long now) {
      this.tokens = rate;
      this.last = now;
    }

    synchronized boolean take(int rate, long now) {
      long elapsed = Math.max(0, now - last);
      last = now;
      tokens = Math.min(rate, tokens + elapsed * (double) rate / NANOS);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    synchronized long idleSince(long now) {
      return now - last;
    }
  }
}
