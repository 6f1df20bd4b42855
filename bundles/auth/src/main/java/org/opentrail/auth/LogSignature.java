package org.opentrail.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.SignedRequest;

/**
 * Log Service's request signature (Log Service API reference, "Request signatures"), as the
 * official Java SDK ({@code aliyun-log}, SlsV1Signer) computes it: {@code Authorization: LOG
 * <AccessKeyId>:<base64(HMAC-SHA1(secret, string to sign))>} over
 *
 * <pre>
 * VERB \n Content-MD5 \n Content-Type \n Date \n
 * canonicalized headers (every x-log-* and x-acs-* header as name:value, sorted by name, joined by \n) \n
 * canonicalized resource (the path, then ? and the query parameters as name=value, decoded, sorted
 * by name, joined by &amp;, if there are any)
 * </pre>
 *
 * Content-MD5 is the upper-case hex MD5 of the body; a request with a body must send it and it must
 * match the body, so the signature covers the body. Date is RFC 1123 ({@code Tue, 01 Dec 2026
 * 01:20:05 GMT}); it must be within the allowed clock skew. The scheme has no nonce: as in Log
 * Service, a captured request can be replayed only within that skew (serve it over HTTPS).
 *
 * <p>Errors have Log Service's codes: {@code Unauthorized} (401) for a missing or malformed
 * Authorization or Date, {@code SignatureNotMatch} (401) for a signature or Content-MD5 that does
 * not match.
 */
final class LogSignature implements SignatureClaim {
  static final String PREFIX = "LOG ";
  private static final Pattern TOKEN_LINE = Pattern.compile("(?m)^(x-acs-security-token:).*$");

  private final String accessKeyId;
  private final String signature;
  private final Instant timestamp;
  private final String stringToSign;

  private LogSignature(String accessKeyId, String signature, Instant timestamp, String toSign) {
    this.accessKeyId = accessKeyId;
    this.signature = signature;
    this.timestamp = timestamp;
    this.stringToSign = toSign;
  }

  /** Whether the request is signed this way (its Authorization header starts with {@code LOG }). */
  static boolean appliesTo(SignedRequest r) {
    String a = r.headers() == null ? null : r.headers().get("authorization");
    return a != null && a.startsWith(PREFIX);
  }

  /**
   * The claim of a request signed with Log Service's scheme.
   *
   * @throws OpenTrailException {@code Unauthorized} (401), {@code SignatureNotMatch} (401)
   */
  static LogSignature of(SignedRequest r) {
    Map<String, String> headers = r.headers();
    String auth = headers.get("authorization").substring(PREFIX.length()).strip();
    int colon = auth.lastIndexOf(':');
    if (colon <= 0 || colon == auth.length() - 1) {
      throw unauthorized("The Authorization header is not LOG <AccessKeyId>:<Signature>.");
    }
    String date = headers.get("date");
    if (date == null || date.isBlank()) {
      throw unauthorized("The Date header is missing; Log Service's signature covers it.");
    }
    Instant time;
    try {
      time = ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw unauthorized(
          "The Date header '"
              + RamErrors.clip(date)
              + "' is not an RFC 1123 date such as Tue, 01 Dec 2026 01:20:05 GMT.");
    }
    byte[] body = r.body() == null ? new byte[0] : r.body();
    String md5 = headers.getOrDefault("content-md5", "").strip();
    if (body.length > 0 || !md5.isEmpty()) {
      String actual = md5Hex(body);
      if (md5.isEmpty()) {
        throw unauthorized("A request with a body must send its Content-MD5 (upper-case hex).");
      }
      if (!actual.equalsIgnoreCase(md5)) {
        throw new OpenTrailException(
            "SignatureNotMatch", "The Content-MD5 header is not the MD5 of the request body.", 401);
      }
    }
    return new LogSignature(
        auth.substring(0, colon),
        auth.substring(colon + 1),
        time,
        stringToSign(r.method(), md5, headers, r.path(), r.query()));
  }

  /** The string to sign of a request, as the SDK builds it. */
  static String stringToSign(
      String method,
      String contentMd5,
      Map<String, String> headers,
      String path,
      Map<String, List<String>> query) {
    StringBuilder b = new StringBuilder(method).append('\n');
    b.append(contentMd5).append('\n');
    b.append(headers.getOrDefault("content-type", "").strip()).append('\n');
    b.append(headers.getOrDefault("date", "").strip()).append('\n');
    boolean first = true;
    for (Map.Entry<String, String> h : new TreeMap<>(headers).entrySet()) {
      if (h.getKey().startsWith("x-log-") || h.getKey().startsWith("x-acs-")) {
        if (!first) {
          b.append('\n');
        }
        first = false;
        b.append(h.getKey()).append(':').append(h.getValue().strip());
      }
    }
    b.append('\n').append(path == null || path.isEmpty() ? "/" : path);
    if (query != null && !query.isEmpty()) {
      List<String> pairs = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : new TreeMap<>(query).entrySet()) {
        for (String v : e.getValue()) {
          pairs.add(e.getKey() + "=" + v);
        }
      }
      b.append('?').append(String.join("&", pairs));
    }
    return b.toString();
  }

  static String md5Hex(byte[] body) {
    try {
      return Signing.hex(MessageDigest.getInstance("MD5").digest(body))
          .toUpperCase(java.util.Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available", e);
    }
  }

  static OpenTrailException unauthorized(String message) {
    return new OpenTrailException("Unauthorized", message, 401);
  }

  @Override
  public boolean verify(String secret) {
    byte[] mac = Signing.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), stringToSign);
    return Signing.same(Base64.getEncoder().encodeToString(mac), signature);
  }

  @Override
  public String accessKeyId() {
    return accessKeyId;
  }

  @Override
  public Instant timestamp() {
    return timestamp;
  }

  /** None: Log Service's scheme has no nonce. */
  @Override
  public String nonce() {
    return null;
  }

  /**
   * The string this server signed, to quote in an error, with the value of a security token header
   * (a credential) masked.
   */
  @Override
  public String stringToSign() {
    return Signing.quote(TOKEN_LINE.matcher(stringToSign).replaceAll("$1***"));
  }

  @Override
  public String toString() {
    return "LogSignature[" + accessKeyId + "]";
  }
}
