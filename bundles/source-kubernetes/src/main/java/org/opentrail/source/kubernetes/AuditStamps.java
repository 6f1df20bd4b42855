package org.opentrail.source.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The event id and time of an audit entry.
 *
 * <p><b>eventId.</b> The API server's {@code auditID} alone is not unique: kube-apiserver takes a
 * client's {@code Audit-ID} request header as the request's audit ID, as is (<a
 * href="https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiserver/pkg/endpoints/filters/audit_init.go">audit_init.go</a>),
 * and an aggregated API server audits the request it is proxied under the same ID. With the audit
 * ID as eventId, a client repeating an earlier request's ID would have its own request dropped as a
 * duplicate. So the eventId is derived from what the API server fixes once per request and repeats
 * in every stage of it: {@code auditID}, {@code requestReceivedTimestamp} (microseconds), {@code
 * verb}, {@code requestURI} and {@code user.username}. It is a UUID (version 8, RFC 9562) made of
 * the first 122 bits of SHA-256 over them: the same entry posted again, or the other final stage of
 * the same request, gets the same eventId (the store keeps it once); another request gets another.
 * A non-final stage recorded on request ({@code record.stages}) mixes its stage name in, so it is
 * an event of its own and never takes the place of the complete one.
 *
 * <p><b>eventTime.</b> {@code requestReceivedTimestamp} (when the request was made, as ActionTrail
 * defines eventTime), else {@code stageTimestamp}; RFC 3339 as Kubernetes' MicroTime writes it
 * ({@code 2021-02-10T00:28:46.451356Z}), converted to UTC and truncated to whole seconds ({@code
 * 2021-02-10T00:28:46Z}).
 */
final class AuditStamps {
  private AuditStamps() {}

  /**
   * The eventId of a request's entry.
   *
   * @param stage {@code null} for a final stage (ResponseComplete, Panic), else the stage's name
   */
  static String eventId(
      String auditId,
      String receivedAt,
      String verb,
      String requestUri,
      String username,
      String stage) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    update(sha, "opentrail/kubernetes/1");
    update(sha, auditId);
    update(sha, receivedAt);
    update(sha, verb);
    update(sha, requestUri);
    update(sha, username);
    if (stage != null) {
      update(sha, stage);
    }
    byte[] h = sha.digest();
    h[6] = (byte) ((h[6] & 0x0f) | 0x80); // version 8
    h[8] = (byte) ((h[8] & 0x3f) | 0x80); // variant 10
    char[] out = new char[36];
    int o = 0;
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        out[o++] = '-';
      }
      out[o++] = HEX[(h[i] >> 4) & 0xf];
      out[o++] = HEX[h[i] & 0xf];
    }
    return new String(out);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Feeds a field, length-prefixed so that no two tuples feed the same bytes. */
  private static void update(MessageDigest sha, String s) {
    if (s == null) {
      sha.update((byte) 0xff);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int n = b.length;
    sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sha.update(b);
  }

  /**
   * {@code time} in UTC truncated to whole seconds, {@code YYYY-MM-DDThh:mm:ssZ}.
   *
   * @throws IllegalArgumentException if {@code time} is not an RFC 3339 date-time
   */
  static String wholeSeconds(String time) {
    int n = time.length();
    if (n >= 20
        && time.charAt(n - 1) == 'Z'
        && (n == 20 || time.charAt(19) == '.')
        && shapeOk(time)) {
      if (n == 20) {
        return time;
      }
      for (int i = 20; i < n - 1; i++) {
        if (!digit(time.charAt(i))) {
          throw new IllegalArgumentException("not an RFC 3339 time: " + time);
        }
      }
      return time.substring(0, 19) + "Z";
    }
    try {
      return OffsetDateTime.parse(time)
          .withOffsetSameInstant(ZoneOffset.UTC)
          .truncatedTo(ChronoUnit.SECONDS)
          .toInstant()
          .toString();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an RFC 3339 time: " + time, e);
    }
  }

  /** {@code YYYY-MM-DDThh:mm:ss} naming a real second (no February 30th). */
  private static boolean shapeOk(String t) {
    for (int i = 0; i < 19; i++) {
      char c = t.charAt(i);
      char sep = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 || i == 16 ? ':' : 0;
      if (sep != 0 ? c != sep : !digit(c)) {
        return false;
      }
    }
    if (num(t, 11) > 23 || num(t, 14) > 59 || num(t, 17) > 59) {
      return false;
    }
    try {
      LocalDate.of(num(t, 0) * 100 + num(t, 2), num(t, 5), num(t, 8));
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static int num(String t, int at) {
    return (t.charAt(at) - '0') * 10 + (t.charAt(at + 1) - '0');
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
