package org.opentrail.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding, for query strings and form bodies:
 * {@code %XX} escapes must be complete hexadecimal pairs, {@code +} is a space, the decoded bytes
 * must be valid UTF-8, no control characters but tab, CR and LF, and a parameter may appear only
 * once. Anything else is refused with a message that says what and where, never guessed at.
 */
final class FormCodec {
  private FormCodec() {}

  /**
   * Decodes {@code a=1&b=2} into an ordered map.
   *
   * @param where {@code query string} or {@code form body}, for the messages
   * @param maxParameters most parameters accepted
   */
  static Map<String, String> decode(byte[] raw, int from, int to, String where, int maxParameters) {
    Map<String, String> out = new LinkedHashMap<>();
    int start = from;
    while (start < to) {
      int end = start;
      while (end < to && raw[end] != '&') {
        end++;
      }
      if (end > start) {
        int eq = start;
        while (eq < end && raw[eq] != '=') {
          eq++;
        }
        String name = decodeComponent(raw, start, eq, where);
        String value = eq < end ? decodeComponent(raw, eq + 1, end, where) : "";
        if (name.isEmpty()) {
          throw new InvalidParameterException(
              "MalformedRequest", "", "The " + where + " has a parameter without a name.");
        }
        if (out.size() >= maxParameters) {
          throw new InvalidParameterException(
              "MalformedRequest",
              "",
              "The " + where + " has more than " + maxParameters + " parameters.");
        }
        if (out.putIfAbsent(name, value) != null) {
          throw new InvalidParameterException(
              "InvalidParameter",
              printable(name),
              "The parameter " + printable(name) + " is given more than once.");
        }
      }
      start = end + 1;
    }
    return out;
  }

  static Map<String, String> decode(String raw, String where, int maxParameters) {
    if (raw == null || raw.isEmpty()) {
      return new LinkedHashMap<>();
    }
    byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) > 0xff) {
        throw new InvalidParameterException(
            "MalformedRequest", "", "The " + where + " has characters that are not URL-encoded.");
      }
    }
    return decode(bytes, 0, bytes.length, where, maxParameters);
  }

  private static String decodeComponent(byte[] raw, int from, int to, String where) {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte b = raw[i];
      if (b == '+') {
        b = ' ';
      } else if (b == '%') {
        int hi = i + 2 < to ? hex(raw[i + 1]) : -1;
        int lo = hi >= 0 ? hex(raw[i + 2]) : -1;
        if (lo < 0) {
          throw new InvalidParameterException(
              "MalformedRequest",
              "",
              "The " + where + " has an incomplete or non-hexadecimal %-escape at byte " + i + ".");
        }
        b = (byte) (hi << 4 | lo);
        i += 2;
      }
      // bytes below 0x80 are ASCII characters in UTF-8 too: controls are refused here
      if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
        throw new InvalidParameterException(
            "MalformedRequest",
            "",
            "The "
                + where
                + " has a control character (U+"
                + String.format("%04X", (int) b)
                + ").");
      }
      out[n++] = b;
    }
    return utf8(out, 0, n, where);
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  private static String utf8(byte[] b, int off, int len, String where) {
    boolean ascii = true;
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, off, len, StandardCharsets.US_ASCII);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(b, off, len));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new InvalidParameterException(
          "MalformedRequest", "", "The " + where + " is not valid UTF-8 once decoded.");
    }
  }

  /** A parameter name as it may appear in a message: at most 64 visible characters. */
  static String printable(String s) {
    return printable(s, 64);
  }

  /**
   * {@code s} with every character but printable ASCII replaced by {@code ?}, cut at {@code max}.
   */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > max) {
      b.append("...");
    }
    return b.toString();
  }
}
