package org.opentrail.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.SignedRequest;

/**
 * Alibaba Cloud's ACS3-HMAC-SHA256 signature, as the official SDKs (openapiutil) compute it. The
 * header {@code Authorization: ACS3-HMAC-SHA256 Credential=<key id>,SignedHeaders=<h1;h2>,
 * Signature=<hex>} signs the canonical request {@code METHOD\n path\n canonical query\n canonical
 * headers\n signed headers\n hex(sha256(body))}: the query sorted and percent-encoded, each signed
 * header as {@code name:trimmed value\n} sorted by name, and SignedHeaders exactly as the
 * Authorization header gives it (the SDK lists them unsorted). The string to sign is {@code
 * ACS3-HMAC-SHA256\n} + hex(sha256(canonical request)); the signature hex(HMAC-SHA256(secret)).
 */
final class Acs3Signature implements SignatureClaim {
  static final String ALGORITHM = "ACS3-HMAC-SHA256";
  private static final List<String> REQUIRED =
      List.of("host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256");

  private final String accessKeyId;
  private final String signature;
  private final String nonce;
  private final Instant timestamp;
  private final String canonicalRequest;
  private final String stringToSign;

  private Acs3Signature(
      String accessKeyId,
      String signature,
      String nonce,
      Instant timestamp,
      String canonicalRequest) {
    this.accessKeyId = accessKeyId;
    this.signature = signature;
    this.nonce = nonce;
    this.timestamp = timestamp;
    this.canonicalRequest = canonicalRequest;
    this.stringToSign =
        ALGORITHM
            + "\n"
            + Signing.hex(Signing.sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether the request is signed this way (its Authorization header names ACS3-HMAC-SHA256). */
  static boolean appliesTo(SignedRequest r) {
    String a = r.headers() == null ? null : r.headers().get("authorization");
    return a != null && a.startsWith("ACS3-");
  }

  /**
   * The claim of an ACS3-signed request.
   *
   * @throws OpenTrailException {@code UnsupportedSignatureMethod}, {@code MissingParameter}, {@code
   *     InvalidParameter}, {@code InvalidTimeStamp.Format}, {@code SignatureDoesNotMatch} (for a
   *     body that is not what {@code x-acs-content-sha256} says)
   */
  static Acs3Signature of(SignedRequest r) {
    Map<String, String> headers = r.headers();
    String auth = headers.get("authorization");
    int space = auth.indexOf(' ');
    String algorithm = space < 0 ? auth : auth.substring(0, space);
    if (!algorithm.equals(ALGORITHM)) {
      throw new OpenTrailException(
          "UnsupportedSignatureMethod",
          "The signature algorithm '"
              + RamErrors.clip(algorithm)
              + "' is not supported; use "
              + ALGORITHM
              + " or the RPC signature HMAC-SHA1.",
          400);
    }
    Map<String, List<String>> fields = new HashMap<>();
    for (String part : auth.substring(space + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new InvalidParameterException(
            "Authorization",
            "The Authorization header is not "
                + ALGORITHM
                + " Credential=...,SignedHeaders=...,Signature=....");
      }
      fields
          .computeIfAbsent(part.substring(0, eq).trim(), k -> new ArrayList<>())
          .add(part.substring(eq + 1).trim());
    }
    String accessKeyId = Signing.required(fields, "Credential");
    String signedHeaders = Signing.required(fields, "SignedHeaders");
    String signature = Signing.required(fields, "Signature").toLowerCase(Locale.ROOT);
    for (String h : REQUIRED) {
      String v = headers.get(h);
      if (v == null || v.isBlank()) {
        throw InvalidParameterException.missing(h);
      }
    }
    List<String> signed = Arrays.asList(signedHeaders.split(";", -1));
    for (String h : signed) {
      if (h.isEmpty() || !h.equals(h.toLowerCase(Locale.ROOT)) || !headers.containsKey(h)) {
        throw new InvalidParameterException(
            "SignedHeaders",
            "The SignedHeaders name '"
                + RamErrors.clip(h)
                + "', which is not a header of the request in lower case.");
      }
    }
    for (String h : headers.keySet()) {
      if ((REQUIRED.contains(h) || h.startsWith("x-acs-")) && !signed.contains(h)) {
        throw new InvalidParameterException(
            "SignedHeaders", "The header " + h + " must be signed (named in SignedHeaders).");
      }
    }
    String payloadHash = headers.get("x-acs-content-sha256").trim();
    byte[] body = r.body() == null ? new byte[0] : r.body();
    if (!Signing.hex(Signing.sha256(body)).equalsIgnoreCase(payloadHash)) {
      throw new OpenTrailException(
          "SignatureDoesNotMatch",
          "The x-acs-content-sha256 header is not the hex SHA-256 of the request body.",
          400);
    }
    Instant timestamp = Signing.timestamp(headers.get("x-acs-date").trim(), "x-acs-date");
    String nonce = headers.get("x-acs-signature-nonce").trim();
    return new Acs3Signature(
        accessKeyId,
        signature,
        nonce,
        timestamp,
        canonicalRequest(r, signed, signedHeaders, payloadHash));
  }

  private static String canonicalRequest(
      SignedRequest r, List<String> signed, String signedHeaders, String payloadHash) {
    StringBuilder b = new StringBuilder(r.method()).append('\n');
    b.append(r.path() == null || r.path().isBlank() ? "/" : r.path()).append('\n');
    Map<String, List<String>> query = new TreeMap<>(r.query() == null ? Map.of() : r.query());
    boolean first = true;
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      List<String> values = new ArrayList<>(e.getValue());
      values.sort(null);
      for (String v : values) {
        if (!first) {
          b.append('&');
        }
        first = false;
        b.append(Signing.percentEncode(e.getKey())).append('=').append(Signing.percentEncode(v));
      }
    }
    b.append('\n');
    List<String> sorted = new ArrayList<>(signed);
    sorted.sort(null);
    for (String h : sorted) {
      b.append(h).append(':').append(r.headers().get(h).trim()).append('\n');
    }
    return b.append('\n').append(signedHeaders).append('\n').append(payloadHash).toString();
  }

  @Override
  public boolean verify(String secret) {
    byte[] mac = Signing.hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), stringToSign);
    return Signing.same(Signing.hex(mac), signature);
  }

  @Override
  public String accessKeyId() {
    return accessKeyId;
  }

  @Override
  public Instant timestamp() {
    return timestamp;
  }

  @Override
  public String nonce() {
    return nonce;
  }

  @Override
  public String stringToSign() {
    return stringToSign + "\ncanonical request:\n" + Signing.quote(canonicalRequest);
  }

  @Override
  public String toString() {
    return "Acs3Signature[" + accessKeyId + "]";
  }
}
