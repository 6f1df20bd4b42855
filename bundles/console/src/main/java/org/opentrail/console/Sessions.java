package org.opentrail.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.auth.Principal;

/**
 * Console sessions, in memory: a session id of 256 random bits (the cookie's value, OWASP Session
 * Management Cheat Sheet), the principal signed in, a CSRF synchronizer token of 256 random bits,
 * and the time of the last request; a session idle longer than the timeout is gone. A restart signs
 * everyone out.
 */
final class Sessions {
  /** One signed-in browser. */
  record Session(String id, Principal principal, String csrf, Instant signedIn) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
  private final Duration idle;
  private final Clock clock;

  Sessions(Duration idle, Clock clock) {
    this.idle = idle;
    this.clock = clock;
  }

  /** Starts a session for {@code principal}. */
  Session create(Principal principal) {
    expire();
    Session s = new Session(random(), principal, random(), clock.instant());
    sessions.put(s.id(), s);
    lastSeen.put(s.id(), clock.instant());
    return s;
  }

  /** The live session with this id, its idle time reset; empty if unknown or idle too long. */
  Optional<Session> touch(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    Instant seen = lastSeen.get(id);
    Instant now = clock.instant();
    if (s == null || seen == null) {
      return Optional.empty();
    }
    if (seen.plus(idle).isBefore(now)) {
      end(id);
      return Optional.empty();
    }
    lastSeen.put(id, now);
    return Optional.of(s);
  }

  void end(String id) {
    sessions.remove(id);
    lastSeen.remove(id);
  }

  /** Whether {@code token} is the session's CSRF token (compared in constant time). */
  static boolean csrfMatches(Session s, String token) {
    return token != null
        && MessageDigest.isEqual(
            s.csrf().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  int size() {
    return sessions.size();
  }

  private void expire() {
    Instant limit = clock.instant().minus(idle);
    for (Map.Entry<String, Instant> e : lastSeen.entrySet()) {
      if (e.getValue().isBefore(limit)) {
        end(e.getKey());
      }
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
