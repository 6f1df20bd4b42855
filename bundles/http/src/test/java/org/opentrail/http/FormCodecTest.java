package org.opentrail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;

class FormCodecTest {
  static Map<String, String> decode(String s) {
    return FormCodec.decode(s, "query string", 10);
  }

  static String refused(String s) {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> decode(s), s);
    return e.code() + ": " + e.getMessage();
  }

  @Test
  void decodesWhatSdksSend() {
    assertEquals(
        Map.of("Action", "LookupEvents", "Value", "a b+c/é*~", "Empty", ""),
        decode("Action=LookupEvents&Value=a%20b%2Bc%2F%C3%A9%2A~&Empty="));
    assertEquals(Map.of("A", "x y"), decode("A=x+y&&"));
    assertEquals(Map.of(), decode(""));
    assertEquals(Map.of("Tab", "a\tb"), decode("Tab=a%09b"));
  }

  @Test
  void refusesWhatCannotBeDecodedExactly() {
    assertTrue(refused("A=%4").startsWith("MalformedRequest: "));
    assertTrue(refused("A=%zz").contains("%-escape"));
    assertTrue(refused("A=%C3%28").contains("UTF-8"));
    assertTrue(refused("A=%ED%A0%80").contains("UTF-8"), "a lone surrogate");
    assertTrue(refused("A=%00").contains("U+0000"));
    assertTrue(refused("A=%7F").contains("U+007F"));
    assertTrue(refused("=x").contains("without a name"));
    assertTrue(refused("A=1&A=2").contains("more than once"));
    assertTrue(refused("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11").contains("more than 10"));
    assertTrue(refused("A=\u20ac").contains("not URL-encoded"));
  }

  @Test
  void namesInMessagesArePrintable() {
    assertEquals("a?b", FormCodec.printable("a\nb"));
    assertEquals("x".repeat(64) + "...", FormCodec.printable("x".repeat(100)));
  }
}
