package org.opentrail.api.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keepsEveryFieldInOrderAndNumbersExactly() {
    String json =
        "{\"eventName\":\"X\",\"zeta\":1,\"alpha\":{\"b\":[1,2.50,true,null,\"s\"]},\"big\":123456789012345678901234567890,"
            + "\"long\":12345678901,\"exp\":1.5E+300}";
    Event e = EventJson.parseEvent(utf8(json));
    assertEquals(
        List.of("eventName", "zeta", "alpha", "big", "long", "exp"),
        List.copyOf(e.fields().keySet()));
    assertEquals(new BigInteger("123456789012345678901234567890"), e.get("big"));
    assertEquals(12345678901L, e.get("long"));
    assertEquals(new BigDecimal("2.50"), ((List<?>) ((Map<?, ?>) e.get("alpha")).get("b")).get(1));
    assertEquals(e, EventJson.parseEvent(e.toJson()), "round trip");
    assertEquals(json.replace("1.5E+300", "1.5E+300"), e.toString().replace("1.5E300", "1.5E+300"));
  }

  @Test
  void rejectsAmbiguousOrMalformedInputWithWhereItWentWrong() {
    String[] bad = {
      "",
      "   ",
      "{",
      "{\"a\":1,}",
      "{\"a\":1}{\"b\":2}",
      "{\"a\":1} trailing",
      "{\"a\":1,\"a\":2}",
      "[1,2",
      "{'a':1}",
      "{\"a\":NaN}",
      "{\"a\":\"\\u12\"}",
      "nul",
      "[" + "[".repeat(70) + "]".repeat(70) + "]"
    };
    for (String b : bad) {
      MalformedJsonException e =
          assertThrows(MalformedJsonException.class, () -> EventJson.read(utf8(b)), b);
      assertEquals("MalformedJson", e.code());
      assertEquals(400, e.httpStatus());
    }
    MalformedJsonException dup =
        assertThrows(
            MalformedJsonException.class, () -> EventJson.read(utf8("{\"a\":1,\n\"a\":2}")));
    assertTrue(
        dup.getMessage().contains("Duplicate field 'a'") && dup.getMessage().contains("line 2"),
        dup.getMessage());
    byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThrows(MalformedJsonException.class, () -> EventJson.read(invalidUtf8));
  }

  @Test
  void readsBatchesAsArraysOrUnderEvents() {
    assertEquals(2, EventJson.parseEvents(utf8("[{\"a\":1},{\"b\":2}]")).size());
    assertEquals(1, EventJson.parseEvents(utf8("{\"Events\":[{\"a\":1}]}")).size());
    assertEquals(0, EventJson.parseEvents(utf8("[]")).size());
    assertTrue(
        assertThrows(
                MalformedJsonException.class, () -> EventJson.parseEvents(utf8("[{\"a\":1}, 5]")))
            .getMessage()
            .contains("Element 1"));
    assertThrows(MalformedJsonException.class, () -> EventJson.parseEvents(utf8("{\"a\":1}")));
    assertThrows(MalformedJsonException.class, () -> EventJson.parseEvent(utf8("[1]")));
  }
}
