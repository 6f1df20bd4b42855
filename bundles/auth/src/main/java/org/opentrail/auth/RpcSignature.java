package org.opentrail.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.SignedRequest;

/**
 * Alibaba Cloud's RPC signature, version 1.0 (HMAC-SHA1), as the official SDKs compute it: every
 * query and form parameter but {@code Signature}, sorted by name, {@code name=value}
 * percent-encoded and joined with {@code &}; the string to sign is {@code METHOD&%2F&} and that,
 * percent-encoded; the signature is base64(HMAC-SHA1(secret + "&", string to sign)).
 *
 * <p>The Java SDK (openapiutil) leaves parameters with an empty value out of the signature; other
 * signers (the Python SDK, the older Java core) sign them as {@code name=}. A request with empty
 * parameters is accepted if either form matches.
 */
final class RpcSignature implements SignatureClaim {
  private final String accessKeyId;
  private final String signature;
  private final String nonce;
  private final Instant timestamp;
  private final String stringToSign;
  private final String withoutEmpty; // null if no parameter is empty

  private RpcSignature(
      String accessKeyId,
      String signature,
      String nonce,
      Instant timestamp,
      String stringToSign,
      String withoutEmpty) {
    this.accessKeyId = accessKeyId;
    this.signature = signature;
    this.nonce = nonce;
    this.timestamp = timestamp;
    this.stringToSign = stringToSign;
    this.withoutEmpty = withoutEmpty;
  }

  /**
   * The claim of an RPC-signed request.
   *
   * @throws OpenTrailException {@code MissingParameter}, {@code UnsupportedSignatureMethod}, {@code
   *     InvalidParameter}, {@code InvalidTimeStamp.Format}
   */
  static RpcSignature of(SignedRequest r) {
    Map<String, List<String>> params = new TreeMap<>();
    add(params, r.query());
    add(params, r.form());
    String accessKeyId = Signing.required(params, "AccessKeyId");
    String signature = Signing.required(params, "Signature");
    String method = Signing.required(params, "SignatureMethod");
    if (!method.equals("HMAC-SHA1")) {
      throw new OpenTrailException(
          "UnsupportedSignatureMethod",
          "The SignatureMethod '" + RamErrors.clip(method) + "' is not supported; use HMAC-SHA1.",
          400);
    }
    String version = Signing.required(params, "SignatureVersion");
    if (!version.equals("1.0")) {
      throw new InvalidParameterException(
          "SignatureVersion",
          "The SignatureVersion '" + RamErrors.clip(version) + "' is not supported; use 1.0.");
    }
    String nonce = Signing.required(params, "SignatureNonce");
    Instant timestamp = Signing.timestamp(Signing.required(params, "Timestamp"), "Timestamp");
    params.remove("Signature");
    String all = stringToSign(r.method(), params, true);
    String nonEmpty = stringToSign(r.method(), params, false);
    return new RpcSignature(
        accessKeyId,
        signature.replace(' ', '+'), // a '+' sent unencoded in a query reads as a space
        nonce,
        timestamp,
        all,
        nonEmpty.equals(all) ? null : nonEmpty);
  }

  private static void add(Map<String, List<String>> params, Map<String, List<String>> from) {
    if (from != null) {
      from.forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }
  }

  static String stringToSign(String method, Map<String, List<String>> sorted, boolean empty) {
    StringBuilder canonical = new StringBuilder();
    for (Map.Entry<String, List<String>> e : sorted.entrySet()) {
      List<String> values = new ArrayList<>(e.getValue());
      values.sort(null);
      for (String v : values) {
        if (v.isEmpty() && !empty) {
          continue;
        }
        if (canonical.length() > 0) {
          canonical.append('&');
        }
        canonical
            .append(Signing.percentEncode(e.getKey()))
            .append('=')
            .append(Signing.percentEncode(v));
      }
    }
    return method
        + "&"
        + Signing.percentEncode("/")
        + "&"
        + Signing.percentEncode(canonical.toString());
  }

  @Override
  public boolean verify(String secret) {
    byte[] key = (secret + "&").getBytes(StandardCharsets.UTF_8);
    if (Signing.same(sign(key, stringToSign), signature)) {
      return true;
    }
    return withoutEmpty != null && Signing.same(sign(key, withoutEmpty), signature);
  }

  private static String sign(byte[] key, String stringToSign) {
    return Base64.getEncoder().encodeToString(Signing.hmac("HmacSHA1", key, stringToSign));
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
    return stringToSign;
  }

  @Override
  public String toString() {
    return "RpcSignature[" + accessKeyId + "]";
  }
}
