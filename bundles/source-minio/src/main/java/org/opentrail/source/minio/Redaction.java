package org.opentrail.source.minio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes credentials out of what MinIO logs before anything is stored. MinIO's audit entry copies
 * the request's headers and query verbatim ({@code internal/logger/message/audit/entry.go}, {@code
 * ToEntry}) and only STS drops {@code LDAPPassword}; so an entry carries SigV4/SigV2 signatures,
 * session tokens (JWTs), presigned-URL signatures, web identity tokens passed in the query, cookies
 * and SSE-C customer keys.
 *
 * <ul>
 *   <li>{@code Authorization}: the scheme and, for AWS signatures, the credential scope and signed
 *       headers stay; the signature becomes {@value #REDACTED}: {@code AWS4-HMAC-SHA256
 *       Credential=alice/20240509/us-east-1/s3/aws4_request, SignedHeaders=host,
 *       Signature=<redacted>}, {@code AWS alice:<redacted>} (SigV2), {@code Bearer <redacted>}.
 *   <li>Headers {@code Cookie, Set-Cookie, Proxy-Authorization, X-Amz-Security-Token,
 *       X-Amz-Server-Side-Encryption-Customer-Key,
 *       X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key} and any whose name contains {@code
 *       password} or {@code secret}: the whole value.
 *   <li>Query parameters {@code X-Amz-Signature, Signature} (SigV2 presigned), {@code
 *       X-Amz-Security-Token, WebIdentityToken, WebIdentityAccessToken, Token, LDAPPassword} and
 *       any whose name contains {@code password} or {@code secret}: the whole value. {@code
 *       X-Amz-Credential} and {@code AWSAccessKeyId} stay (an access key id and scope, no secret).
 *   <li>Claims ({@code requestClaims}, at any depth): values of keys containing {@code password},
 *       {@code secret} or {@code token}.
 * </ul>
 *
 * Names are compared ignoring case. Only string values are rewritten; the map keeps its keys and
 * order, so it is still visible that a credential was sent.
 */
final class Redaction {
  static final String REDACTED = "<redacted>";

  private Redaction() {}

  /** A request or response header's value as it may be stored. */
  static Object header(String name, Object value) {
    if (!(value instanceof String v)) {
      return value;
    }
    if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Proxy-Authorization")) {
      return authorization(v);
    }
    return secretHeader(name) ? REDACTED : v;
  }

  /** A query parameter's value as it may be stored. */
  static Object query(String name, Object value) {
    if (!(value instanceof String)) {
      return value;
    }
    return secretQuery(name) ? REDACTED : value;
  }

  /** Claims with secret-looking values redacted, at any depth. */
  static Object claims(String key, Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>(m.size() * 2);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        out.put(k, claims(k, e.getValue()));
      }
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(v -> claims(key, v)).toList();
    }
    if (value instanceof String
        && key != null
        && (containsIgnoreCase(key, "password")
            || containsIgnoreCase(key, "secret")
            || containsIgnoreCase(key, "token"))) {
      return REDACTED;
    }
    return value;
  }

  /** An {@code Authorization} value with its secret part replaced. */
  static String authorization(String v) {
    if (v.regionMatches(true, 0, "AWS4-", 0, 5)) {
      return signatures(v);
    }
    if (v.regionMatches(true, 0, "AWS ", 0, 4)) {
      int colon = v.lastIndexOf(':');
      return colon > 4 ? v.substring(0, colon + 1) + REDACTED : "AWS " + REDACTED;
    }
    String s = v.strip();
    int space = s.indexOf(' ');
    return space > 0 ? s.substring(0, space) + " " + REDACTED : REDACTED;
  }

  /** A SigV4 header with every {@code Signature=} value replaced. */
  private static String signatures(String v) {
    StringBuilder out = null;
    int from = 0;
    int at = indexOfIgnoreCase(v, "signature=", 0);
    while (at >= 0) {
      if (out == null) {
        out = new StringBuilder(v.length());
      }
      int start = at + "Signature=".length();
      int end = v.indexOf(',', start);
      end = end < 0 ? v.length() : end;
      out.append(v, from, start).append(REDACTED);
      from = end;
      at = indexOfIgnoreCase(v, "signature=", end);
    }
    if (out == null) {
      return v; // no signature: nothing secret in it
    }
    return out.append(v, from, v.length()).toString();
  }

  private static boolean secretHeader(String n) {
    boolean listed =
        switch (n.length()) {
          case 6 -> n.equalsIgnoreCase("Cookie");
          case 10 -> n.equalsIgnoreCase("Set-Cookie");
          case 20 -> n.equalsIgnoreCase("X-Amz-Security-Token");
          case 41 -> n.equalsIgnoreCase("X-Amz-Server-Side-Encryption-Customer-Key");
          case 53 -> n.equalsIgnoreCase("X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key");
          default -> false;
        };
    return listed || containsIgnoreCase(n, "password") || containsIgnoreCase(n, "secret");
  }

  private static boolean secretQuery(String n) {
    return n.equalsIgnoreCase("X-Amz-Signature")
        || n.equalsIgnoreCase("Signature")
        || n.equalsIgnoreCase("X-Amz-Security-Token")
        || n.equalsIgnoreCase("WebIdentityToken")
        || n.equalsIgnoreCase("WebIdentityAccessToken")
        || n.equalsIgnoreCase("Token")
        || n.equalsIgnoreCase("LDAPPassword")
        || containsIgnoreCase(n, "password")
        || containsIgnoreCase(n, "secret");
  }

  /** Whether {@code s} contains {@code part}, which is lower case, ignoring case. */
  static boolean containsIgnoreCase(String s, String part) {
    return indexOfIgnoreCase(s, part, 0) >= 0;
  }

  /**
   * Where {@code part} (lower case) is in {@code s} from {@code from}, ignoring case, or -1. Only
   * positions whose first character matches are compared further: header names are short and rarely
   * share it, so this costs about one character comparison per character.
   */
  private static int indexOfIgnoreCase(String s, String part, int from) {
    char lower = part.charAt(0);
    char upper = Character.toUpperCase(lower);
    int last = s.length() - part.length();
    for (int i = from; i <= last; i++) {
      char c = s.charAt(i);
      if ((c == lower || c == upper) && s.regionMatches(true, i + 1, part, 1, part.length() - 1)) {
        return i;
      }
    }
    return -1;
  }
}
