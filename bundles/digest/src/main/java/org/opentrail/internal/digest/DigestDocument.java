package org.opentrail.internal.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.MalformedJsonException;
import org.opentrail.api.proof.DigestSignature;

/**
 * A digest file as docs/PROOF.md section 2 specifies it: one JSON object on one line, its members
 * in order, ending with {@code "signature"}, whose value is an Ed25519 signature over the file's
 * bytes before {@code ,"signature":"} followed by {@code }}.
 */
public final class DigestDocument {
  /** The member every digest ends with. */
  public static final String SIGNATURE = "signature";

  private static final byte[] MARKER =
      (",\"" + SIGNATURE + "\":\"").getBytes(StandardCharsets.US_ASCII);

  private DigestDocument() {}

  /**
   * A digest read from a file.
   *
   * @param members every member but the signature, in file order
   * @param signedBytes what the signature covers: the file before the signature member, plus {@code
   *     }}
   * @param signature the signature's bytes
   * @param sha256 SHA-256 hex of the whole file, as its successor's {@code previousDigestHash}
   *     names it
   */
  public record Parsed(
      Map<String, Object> members, byte[] signedBytes, byte[] signature, String sha256) {
    /** A string member, or {@code null} if absent or not a string. */
    public String text(String name) {
      return members.get(name) instanceof String s ? s : null;
    }

    /** A number member, or {@code fallback} if absent or not a whole number. */
    public long number(String name, long fallback) {
      return members.get(name) instanceof Number n ? n.longValue() : fallback;
    }

    /** A time member, or {@code null} if absent or not ISO-8601. */
    public Instant time(String name) {
      String t = text(name);
      try {
        return t == null ? null : Instant.parse(t);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /** The bytes a digest's signature covers: its members (no signature) as one JSON object. */
  public static byte[] signingInput(LinkedHashMap<String, Object> members) {
    if (members.containsKey(SIGNATURE)) {
      throw new IllegalArgumentException("the signature is not signed");
    }
    return EventJson.write(members);
  }

  /** The file: the signed members, then the signature, then a newline. */
  public static byte[] write(LinkedHashMap<String, Object> members, DigestSignature signature) {
    byte[] signed = signingInput(members);
    byte[] tail =
        (Base64.getEncoder().encodeToString(signature.value()) + "\"}\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[signed.length - 1 + MARKER.length + tail.length];
    System.arraycopy(signed, 0, out, 0, signed.length - 1);
    System.arraycopy(MARKER, 0, out, signed.length - 1, MARKER.length);
    System.arraycopy(tail, 0, out, signed.length - 1 + MARKER.length, tail.length);
    return out;
  }

  /**
   * Reads a digest file.
   *
   * @throws DigestFormatException if it is not one JSON object ending with a base64 signature
   *     member, in words
   */
  public static Parsed parse(byte[] file) {
    int at = lastIndexOf(file, MARKER);
    if (at < 0) {
      throw new DigestFormatException("it has no \"signature\" member at its end");
    }
    int end = file.length;
    if (end > 0 && file[end - 1] == '\n') {
      end--;
    }
    int valueStart = at + MARKER.length;
    if (end - valueStart < 2 || file[end - 1] != '}' || file[end - 2] != '"') {
      throw new DigestFormatException("it does not end with the signature's value and \"}\"");
    }
    byte[] signature;
    try {
      signature =
          Base64.getDecoder()
              .decode(
                  new String(file, valueStart, end - 2 - valueStart, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new DigestFormatException("its signature is not base64");
    }
    byte[] signed = Arrays.copyOf(file, at + 1);
    signed[at] = '}';
    Object doc;
    try {
      doc = EventJson.read(signed);
    } catch (MalformedJsonException e) {
      throw new DigestFormatException("it is not JSON: " + e.getMessage());
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new DigestFormatException("it is not a JSON object");
    }
    LinkedHashMap<String, Object> members = new LinkedHashMap<>();
    map.forEach((k, v) -> members.put((String) k, v));
    return new Parsed(members, signed, signature, sha256Hex(file));
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A time as digests write it: ISO-8601 UTC, whole seconds. */
  public static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static int lastIndexOf(byte[] a, byte[] b) {
    outer:
    for (int i = a.length - b.length; i >= 0; i--) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
