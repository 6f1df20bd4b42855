package org.opentrail.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks a sign-in name out after repeated failures (OWASP Authentication Cheat Sheet, "Account
 * Lockout"): after {@code failures} failed sign-ins within {@code window}, every sign-in of that
 * name is refused, even with the right password, until the oldest of them leaves the window.
 */
final class SigninGuard {
  /** How many names with recent failures are kept before those not locked out are forgotten. */
  static final int MAX_NAMES = 100_000;

  private final int failures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

  SigninGuard(int failures, Duration window, Clock clock) {
    this.failures = failures;
    this.window = window;
    this.clock = clock;
  }

  /** When the name may sign in again, or {@code null} if it is not locked out now. */
  Instant lockedUntil(String name) {
    Deque<Instant> d = recent.get(name);
    if (d == null) {
      return null;
    }
    synchronized (d) {
      prune(d);
      return d.size() >= failures ? d.peekFirst().plus(window) : null;
    }
  }

  /** Counts a failed sign-in of the name. */
  void failed(String name) {
    if (recent.size() > MAX_NAMES) {
      forgetUnlocked(); // bounded memory against a flood of made-up names
    }
    Deque<Instant> d = recent.computeIfAbsent(name, n -> new ArrayDeque<>());
    synchronized (d) {
      prune(d);
      d.addLast(clock.instant());
      while (d.size() > failures) {
        d.removeFirst();
      }
    }
  }

  /** Forgets the failures of a name that signed in. */
  void succeeded(String name) {
    recent.remove(name);
  }

  /**
   * Forgets every name that is not locked out now: a flood of made-up names (failed access key
   * sign-ins cost the sender nothing) must not lift the lockout of the names it was meant for.
   */
  private void forgetUnlocked() {
    recent
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                prune(e.getValue());
                return e.getValue().size() < failures;
              }
            });
  }

  private void prune(Deque<Instant> d) {
    Instant limit = clock.instant().minus(window);
    while (!d.isEmpty() && d.peekFirst().isBefore(limit)) {
      d.removeFirst();
    }
  }
}
