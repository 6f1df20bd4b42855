package org.opentrail.internal.apicommon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThrottleTest {
  static final long SECOND = 1_000_000_000L;

  @Test
  void allowsOneSecondsWorthThenRefillsAtTheRate() {
    Throttle t = new Throttle(10);
    long now = 5 * SECOND;
    for (int i = 0; i < 10; i++) {
      assertTrue(t.tryAcquire("LTAIa", now), "request " + i);
    }
    assertFalse(t.tryAcquire("LTAIa", now), "the 11th in the same instant");
    assertTrue(t.tryAcquire("LTAIb", now), "another key has its own bucket");
    assertFalse(t.tryAcquire("LTAIa", now + SECOND / 20), "half a token later");
    assertTrue(t.tryAcquire("LTAIa", now + SECOND / 10), "one token later");
    now += 100 * SECOND;
    int allowed = 0;
    for (int i = 0; i < 50; i++) {
      allowed += t.tryAcquire("LTAIa", now) ? 1 : 0;
    }
    assertEquals(10, allowed, "a long pause saves up one second's worth, no more");
  }

  @Test
  void zeroTurnsItOff() {
    Throttle t = new Throttle(0);
    for (int i = 0; i < 100_000; i++) {
      assertTrue(t.tryAcquire("LTAIa", 0));
    }
    assertEquals(0, t.trackedKeys());
  }
}
