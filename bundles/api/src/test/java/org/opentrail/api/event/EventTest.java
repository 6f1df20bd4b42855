package org.opentrail.api.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {
  @Test
  void isADeepCopyThatCannotBeChanged() {
    List<Object> tags = new ArrayList<>(List.of("a"));
    Map<String, Object> identity = new HashMap<>(Map.of("userName", "alice", "accessKeyId", "AK"));
    Map<String, Object> source =
        new HashMap<>(
            Map.of("eventName", "X", "userIdentity", identity, "tags", tags, "ratio", 0.5));
    Event e = Event.of(source);
    tags.add("b");
    identity.put("userName", "mallory");
    source.put("eventName", "Y");
    assertEquals("X", e.eventName());
    assertEquals("alice", e.userName());
    assertEquals(List.of("a"), e.get("tags"));
    assertEquals(new BigDecimal("0.5"), e.get("ratio"));
    assertThrows(UnsupportedOperationException.class, () -> e.fields().put("x", 1));
    assertThrows(
        UnsupportedOperationException.class, () -> ((List<Object>) e.get("tags")).add("c"));
    assertThrows(
        UnsupportedOperationException.class, () -> e.userIdentity().put("userName", "eve"));
  }

  @Test
  void withMakesACopyAndKeepsFieldOrder() {
    Event e = Event.of(Map.of("eventName", "X"));
    Event f = e.with("eventId", "1").with("eventName", "Y");
    assertEquals("X", e.eventName());
    assertNull(e.eventId());
    assertEquals("Y", f.eventName());
    assertEquals(List.of("eventName", "eventId"), List.copyOf(f.fields().keySet()));
    assertNull(f.with("eventId", null).eventId());
  }

  @Test
  void typedAccessorsAnswerNullForWrongTypesAndNonJsonValuesAreRefused() {
    Event e = Event.of(Map.of("eventName", 42, "userIdentity", "alice"));
    assertNull(e.eventName());
    assertNull(e.userName());
    assertEquals(Map.of(), e.userIdentity());
    assertThrows(
        IllegalArgumentException.class, () -> Event.of(Map.of("when", new java.util.Date())));
    assertThrows(IllegalArgumentException.class, () -> Event.of(Map.of("nan", Double.NaN)));
  }

  @Test
  void aValueThatIsNotJsonIsNamedByItsPath() {
    Object bad = new Object();
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                Event.of(
                    java.util.Map.of(
                        "a",
                        java.util.Map.of(
                            "b", java.util.List.of("ok", java.util.Map.of("c", bad))))));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().startsWith("event.a.b[1].c is not a JSON value"), e.getMessage());
    IllegalArgumentException nan =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Event.of(java.util.Map.of("x", Double.NaN)));
    org.junit.jupiter.api.Assertions.assertEquals(
        "event.x is not a finite number", nan.getMessage());
  }
}
