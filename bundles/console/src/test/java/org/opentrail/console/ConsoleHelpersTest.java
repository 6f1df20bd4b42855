package org.opentrail.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.event.Event;

class ConsoleHelpersTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  /** A clock tests move by hand. */
  private static final class Hand extends Clock {
    Instant now = NOW;

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void textIsEscapedForElementsAndAttributes() {
    assertEquals(
        "&lt;script&gt;alert(1)&lt;/script&gt; &quot;a&quot; &#39;b&#39; &amp;amp;",
        Text.esc("<script>alert(1)</script> \"a\" 'b' &amp;"));
    assertEquals("\uFFFD", Text.esc("\u0000"));
    assertEquals("", Text.esc(null));
  }

  @Test
  void filtersParseCheckAndBecomeASearch() {
    Map<String, String> p = new HashMap<>();
    p.put("User", "alice");
    p.put("EventName", "DeleteBucket");
    p.put("ErrorCode", "NoSuchBucket");
    Filters f = Filters.parse(p::get, NOW);
    assertEquals(NOW.minus(Duration.ofDays(7)), f.start);
    assertEquals(
        "eventName: \"DeleteBucket\" and userIdentity.userName: \"alice\" and errorCode:"
            + " \"NoSuchBucket\"",
        f.search());
    assertEquals(
        "range=custom&start=2026-11-23T12%3A00%3A00Z&end=2026-11-30T12%3A00%3A01Z"
            + "&EventName=DeleteBucket&User=alice&ErrorCode=NoSuchBucket",
        f.pinned());
    p.put("User", "a\" or \"b");
    InvalidParameterException e =
        assertThrows(InvalidParameterException.class, () -> Filters.parse(p::get, NOW).search());
    assertEquals("User", e.parameter());
    assertEquals(
        "range",
        assertThrows(
                InvalidParameterException.class,
                () -> Filters.parse(Map.of("range", "<b>")::get, NOW))
            .parameter());
    assertEquals(
        "start",
        assertThrows(
                InvalidParameterException.class,
                () ->
                    Filters.parse(
                        Map.of("range", "custom", "start", "yesterday", "end", "2026-11-30T10:00")
                            ::get,
                        NOW))
            .parameter());
    assertEquals(
        "end",
        assertThrows(
                InvalidParameterException.class,
                () ->
                    Filters.parse(
                        Map.of(
                                "range",
                                "custom",
                                "start",
                                "2026-11-30T10:00",
                                "end",
                                "2026-11-30T09:00")
                            ::get,
                        NOW))
            .parameter());
    Filters custom =
        Filters.parse(
            Map.of("range", "custom", "start", "2026-11-30T08:00", "end", "2026-11-30T09:00:00Z")
                ::get,
            NOW);
    assertEquals(Instant.parse("2026-11-30T08:00:00Z"), custom.start);
    assertEquals(
        "EventRW",
        assertThrows(
                InvalidParameterException.class,
                () -> Filters.parse(Map.of("EventRW", "Both")::get, NOW))
            .parameter());
  }

  @Test
  void plainLanguage() {
    Event e =
        Event.of(
            Map.of(
                "eventName", "DeleteBucket",
                "resourceName", "b",
                "sourceIpAddress", "192.0.2.7",
                "userIdentity", Map.of("type", "ram-user", "userName", "alice")));
    assertEquals("alice deleted bucket b from 192.0.2.7", Plain.describe(e));
    Event failed =
        Event.of(
            Map.of(
                "eventName", "ConsoleSignin",
                "errorCode", "InvalidSignin",
                "userIdentity", Map.of("type", "ram-user", "userName", "bob")));
    assertEquals("bob signed in to the console (failed: InvalidSignin)", Plain.describe(failed));
    assertEquals(
        "root-account called Frobnicate",
        Plain.describe(
            Event.of(
                Map.of(
                    "eventName", "Frobnicate", "userIdentity", Map.of("type", "root-account")))));
  }

  @Test
  void lockoutAfterRepeatedFailuresEndsWithTheWindow() {
    Hand clock = new Hand();
    SigninGuard g = new SigninGuard(3, Duration.ofMinutes(15), clock);
    g.failed("bob@1");
    g.failed("bob@1");
    assertNull(g.lockedUntil("bob@1"));
    clock.now = NOW.plusSeconds(60);
    g.failed("bob@1");
    assertEquals(NOW.plus(Duration.ofMinutes(15)), g.lockedUntil("bob@1"));
    assertNull(g.lockedUntil("alice@1"), "only that name");
    clock.now = NOW.plus(Duration.ofMinutes(15)).plusSeconds(1);
    assertNull(g.lockedUntil("bob@1"), "the oldest failure left the window");
    g.failed("bob@1");
    assertNull(g.lockedUntil("bob@1"), "two failures in the window now");
    g.failed("bob@1");
    assertEquals(NOW.plusSeconds(60).plus(Duration.ofMinutes(15)), g.lockedUntil("bob@1"));
    g.succeeded("bob@1");
    assertNull(g.lockedUntil("bob@1"));
  }

  @Test
  void aFloodOfMadeUpNamesDoesNotLiftALockout() {
    Hand clock = new Hand();
    SigninGuard g = new SigninGuard(3, Duration.ofMinutes(15), clock);
    for (int i = 0; i < 3; i++) {
      g.failed("bob@123456789012");
    }
    for (int i = 0; i <= SigninGuard.MAX_NAMES + 1; i++) {
      g.failed("key:LTAI" + i);
    }
    assertEquals(NOW.plus(Duration.ofMinutes(15)), g.lockedUntil("bob@123456789012"));
    g.failed("alice@123456789012");
    assertNull(g.lockedUntil("alice@123456789012"));
  }

  @Test
  void sessionsEndWhenIdleAndCheckTheirCsrfToken() {
    Hand clock = new Hand();
    Sessions s = new Sessions(Duration.ofMinutes(30), clock);
    Sessions.Session a =
        s.create(new Principal("123456789012", Principal.Type.USER, "alice", null));
    assertEquals(43, a.id().length(), "256 bits, base64url");
    assertFalse(a.id().equals(a.csrf()));
    assertTrue(Sessions.csrfMatches(a, a.csrf()));
    assertFalse(Sessions.csrfMatches(a, a.id()));
    assertFalse(Sessions.csrfMatches(a, null));
    clock.now = NOW.plus(Duration.ofMinutes(29));
    assertTrue(s.touch(a.id()).isPresent());
    clock.now = NOW.plus(Duration.ofMinutes(58));
    assertTrue(s.touch(a.id()).isPresent(), "each request resets the idle time");
    clock.now = NOW.plus(Duration.ofMinutes(89));
    assertTrue(s.touch(a.id()).isEmpty());
    assertTrue(s.touch("made-up").isEmpty());
    assertEquals(0, s.size());
  }

  @Test
  void exportFilesDoNotOutliveTheConsole(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String id = "0123456789abcdef0123456789abcdef";
    java.nio.file.Path left = java.nio.file.Files.writeString(dir.resolve(id + ".csv"), "a,row");
    java.nio.file.Path other = java.nio.file.Files.writeString(dir.resolve("notes.csv"), "mine");
    Exports e = new Exports(() -> null, null, null, dir);
    assertFalse(java.nio.file.Files.exists(left), "left by a console that stopped");
    java.nio.file.Path written =
        java.nio.file.Files.writeString(dir.resolve(id + ".jsonl.gz"), "row");
    e.close();
    assertFalse(java.nio.file.Files.exists(written), "not downloaded when the console stopped");
    assertTrue(java.nio.file.Files.exists(other), "not an export: the directory may be shared");
  }

  @Test
  void destinationConfigurationLines() {
    assertEquals(
        Map.of("bucket", "b", "prefix", "p=q"),
        TrailForm.parseConfig("bucket=b\r\n\nprefix = p=q\n", 0));
    InvalidParameterException e =
        assertThrows(
            InvalidParameterException.class, () -> TrailForm.parseConfig("password hunter2", 1));
    assertEquals("Destinations", e.parameter());
    assertTrue(e.getMessage().startsWith("Destination 2: configuration line 1"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }
}
