package org.opentrail.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;

/** What both signature schemes share: encoding, digests, the timestamp format, parameters. */
final class Signing {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
  private static final Pattern TIMESTAMP =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
          .withResolverStyle(ResolverStyle.STRICT);

  /** Most characters of a string-to-sign quoted back in an error, as Alibaba Cloud does. */
  static final int QUOTE_MAX = 1024;

  private Signing() {}

  /**
   * RFC 3986 percent-encoding of UTF-8, as Alibaba Cloud's signers do: letters, digits, {@code - _
   * . ~} stay, everything else is {@code %XX} (so a space is {@code %20}, {@code *} is {@code
   * %2A}).
   */
  static String percentEncode(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!unreserved(c)) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
        byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
        for (byte x : rest) {
          char d = (char) (x & 0xff);
          if (unreserved(d)) {
            b.append(d);
          } else {
            b.append('%').append(UPPER_HEX[(x >> 4) & 0xf]).append(UPPER_HEX[x & 0xf]);
          }
        }
        break;
      }
    }
    return b == null ? s : b.toString();
  }

  private static boolean unreserved(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~';
  }

  static String hex(byte[] b) {
    char[] out = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = HEX[(b[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[b[i] & 0xf];
    }
    return new String(out);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  static byte[] hmac(String algorithm, byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  /** Compares in time independent of where the two differ. */
  static boolean same(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A timestamp in {@code yyyy-MM-dd'T'HH:mm:ss'Z'} (UTC).
   *
   * @throws OpenTrailException {@code InvalidTimeStamp.Format} (400)
   */
  static Instant timestamp(String value, String name) {
    if (TIMESTAMP.matcher(value).matches()) {
      try {
        return LocalDateTime.parse(value, FORMAT).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // falls through
      }
    }
    throw new OpenTrailException(
        "InvalidTimeStamp.Format",
        "Specified time stamp or date value is not well formatted: the "
            + name
            + " '"
            + RamErrors.clip(value)
            + "' is not yyyy-MM-ddTHH:mm:ssZ in UTC.",
        400);
  }

  /**
   * The one value of a required parameter.
   *
   * @throws InvalidParameterException {@code MissingParameter} if absent or empty, {@code
   *     InvalidParameter} if given more than once
   */
  static String required(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
      throw InvalidParameterException.missing(name);
    }
    if (values.size() > 1) {
      throw new InvalidParameterException(
          name, "The parameter " + name + " is given " + values.size() + " times; give it once.");
    }
    return values.get(0);
  }

  /** The beginning of a server's string to sign, to quote in an error. */
  static String quote(String s) {
    return s.length() <= QUOTE_MAX ? s : s.substring(0, QUOTE_MAX) + "...";
  }

  static OpenTrailException mismatch(String stringToSign) {
    return new OpenTrailException(
        "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. server string to sign is:"
            + quote(stringToSign),
        400);
  }
}
