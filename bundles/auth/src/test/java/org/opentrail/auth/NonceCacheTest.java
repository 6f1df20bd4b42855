package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NonceCacheTest {
  static final long MIN = 60_000L;

  @Test
  void remembersPerKeyAndForgetsAfterTheWindow() {
    NonceCache c = new NonceCache(15, 1000);
    long t = 1_000 * MIN + 5_000;
    assertTrue(c.consume("k1", "n", t, t));
    assertFalse(c.consume("k1", "n", t, t + MIN));
    assertFalse(c.consume("k1", "n", t + 10 * MIN, t + 10 * MIN), "another timestamp, same nonce");
    assertTrue(c.consume("k2", "n", t, t));
    assertTrue(c.consume("k1", "n2", t, t));
    assertEquals(3, c.size());
    assertFalse(
        c.consume("k1", "n", t, t + 16 * MIN), "kept while a replay could still be in time");
    assertTrue(c.consume("k1", "other", t + 17 * MIN, t + 17 * MIN + 1));
    assertEquals(1, c.size(), "the first minute's nonces are dropped");
    assertTrue(c.consume("k1", "n", t + 17 * MIN, t + 17 * MIN + 1));
  }

  @Test
  void refusesWhenFullRatherThanForget() {
    NonceCache c = new NonceCache(15, 3);
    long t = 50 * MIN;
    assertTrue(c.consume("k", "1", t, t));
    assertTrue(c.consume("k", "2", t, t));
    assertTrue(c.consume("k", "3", t, t));
    AuthFixture.fails("ServiceUnavailable", 503, () -> c.consume("k", "4", t, t));
    assertFalse(c.consume("k", "1", t, t), "a replay is still a replay when full");
    assertTrue(c.consume("k", "4", t + 20 * MIN, t + 20 * MIN), "room again once old ones expire");
  }

  @Test
  void theSetHoldsManyValues() {
    NonceCache.LongSet s = new NonceCache.LongSet();
    Random r = new Random(7);
    long[] values = new long[100_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i == 0 ? 0 : r.nextLong();
      s.add(values[i]);
    }
    for (long v : values) {
      assertTrue(s.contains(v));
    }
    assertFalse(s.contains(12345L));
    assertEquals(values.length, s.size());
  }
}
