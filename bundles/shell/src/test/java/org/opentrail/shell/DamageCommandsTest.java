package org.opentrail.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupResult;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailStatus;

/** event:lookup says what it could not read; trail:status shows gaps; trail:gapack clears them. */
class DamageCommandsTest {
  static final String A = AuthCommandsTest.A;
  final List<String> calls = new ArrayList<>();

  @SuppressWarnings("unchecked")
  <T> T stub(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, m, args) -> {
              calls.add(m.getName() + (args == null ? List.of() : java.util.Arrays.asList(args)));
              Object a = answers.get(m.getName());
              if (a == null) {
                throw new UnsupportedOperationException(m.getName());
              }
              return a;
            });
  }

  org.opentrail.api.auth.IdentityService identities() {
    return stub(
        org.opentrail.api.auth.IdentityService.class,
        Map.of("defaultAccountId", AuthCommandsTest.A));
  }

  String lookup(LookupResult answer, boolean json) {
    EventCommands c =
        new EventCommands(
            stub(EventQuery.class, Map.of("lookup", answer)),
            stub(org.opentrail.api.event.EventRecorder.class, Map.of()),
            identities());
    return c.lookup("", "", "", "", "", "", "", "", "", "", "", "", "BACKWARD", "", "", "", json);
  }

  @Test
  void lookupSaysHowManyMatchingEventsCouldNotBeRead() {
    Instant t = Instant.parse("2026-11-30T00:00:00Z");
    LookupResult damaged =
        new LookupResult(
            List.of(), null, t, t, 3, List.of("2026-11-29T00:00:00Z/2026-11-30T00:00:00Z"));
    String text = lookup(damaged, false);
    assertTrue(
        text.contains("3 matching events could not be read (damaged in store; see store:status)"),
        text);
    assertTrue(text.contains("2026-11-29T00:00:00Z/2026-11-30T00:00:00Z is being rebuilt"), text);
    String json = lookup(damaged, true);
    assertTrue(json.contains("\"UnreadableEvents\":3"), json);
    assertTrue(json.contains("\"RebuildingRanges\":[\"2026-11-29T00:00:00Z/"), json);
    LookupResult complete = new LookupResult(List.of(), null, t, t);
    assertFalse(lookup(complete, false).contains("could not be read"));
    assertFalse(lookup(complete, true).contains("Unreadable"));
  }

  TrailCommands trails(int acknowledged) {
    DestinationStatus d =
        new DestinationStatus(
            "mem",
            "file",
            DestinationStatus.State.DELIVERING,
            "up to date except 1 gap",
            10,
            0,
            0,
            null,
            null,
            null,
            List.of("GAP 11-20: damaged in store"));
    TrailService s =
        stub(
            TrailService.class,
            Map.of(
                "status",
                new TrailStatus(true, null, null, null, null, List.of(d), null, null),
                "acknowledgeGaps",
                acknowledged));
    return new TrailCommands(s, identities());
  }

  @Test
  void statusShowsGapsAndGapackAcknowledgesThem() {
    TrailCommands c = trails(1);
    String text = c.status(false, "", "gap-trail");
    assertTrue(text.contains("mem: GAP 11-20: damaged in store"), text);
    assertTrue(text.contains("up to date except 1 gap"), text);
    String json = c.status(true, "", "gap-trail");
    assertTrue(json.contains("\"Gaps\":[\"GAP 11-20: damaged in store\"]"), json);
    assertEquals(
        "1 gap of trail gap-trail destination mem acknowledged", c.gapack("mem", "", "gap-trail"));
    assertEquals("acknowledgeGaps[" + A + ", gap-trail, mem]", calls.get(calls.size() - 1));
    c.gapack("", "", "gap-trail");
    assertEquals("acknowledgeGaps[" + A + ", gap-trail, null]", calls.get(calls.size() - 1));
  }
}
