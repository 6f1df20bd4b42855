package org.opentrail.logservice;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.EventJson;

/**
 * Reads the JSON bodies Log Service's SDK sends (GetLogs' parameters, a consumer group, a
 * checkpoint, a heartbeat's shards) with OpenTrail's JSON reader; anything malformed or of the
 * wrong type is {@code ParameterInvalid} (400) naming what is wrong.
 */
final class JsonBody {
  private JsonBody() {}

  static Object parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw LogErrors.invalid("The request needs a JSON body.");
    }
    checkUtf8(body);
    try {
      return EventJson.read(body);
    } catch (RuntimeException e) {
      throw LogErrors.invalid("The request body is not valid JSON.");
    }
  }

  /**
   * Refuses a body that is not UTF-8, rather than reading its bytes as replacement characters
   * (which would run a search nobody wrote).
   */
  private static void checkUtf8(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    CoderResult r =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(in, CharBuffer.allocate(body.length), true);
    if (r.isError()) {
      int at = in.position();
      throw LogErrors.invalid(
          String.format(
              "The request body is not UTF-8: byte %d (0x%02X) is not valid there.",
              at, body[at] & 0xff));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(byte[] body) {
    Object o = parse(body);
    if (!(o instanceof Map<?, ?>)) {
      throw LogErrors.invalid("The request body must be a JSON object.");
    }
    return (Map<String, Object>) o;
  }

  static List<?> array(byte[] body) {
    Object o = parse(body);
    if (!(o instanceof List<?> l)) {
      throw LogErrors.invalid("The request body must be a JSON array.");
    }
    return l;
  }

  /**
   * An integer within {@code [min, max]}, given as a JSON number or a decimal string.
   *
   * @param dflt the value when absent, or {@code null} if it is required
   */
  static int integer(Map<String, Object> m, String key, Integer dflt, long min, long max) {
    Object v = m.get(key);
    if (v == null) {
      if (dflt == null) {
        throw LogErrors.invalid("The parameter " + key + " is required.");
      }
      return dflt;
    }
    long n;
    try {
      n =
          v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
              ? num.longValue()
              : Long.parseLong(String.valueOf(v).strip());
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw LogErrors.invalid(
          "The parameter "
              + key
              + " must be an integer from "
              + min
              + " to "
              + max
              + ", not "
              + LogRequest.printable(String.valueOf(v), 64)
              + ".");
    }
    return (int) n;
  }

  static String string(Map<String, Object> m, String key, String dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw LogErrors.invalid("The parameter " + key + " must be a string.");
    }
    return s;
  }

  static boolean bool(Map<String, Object> m, String key, boolean dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw LogErrors.invalid("The parameter " + key + " must be true or false.");
  }
}
