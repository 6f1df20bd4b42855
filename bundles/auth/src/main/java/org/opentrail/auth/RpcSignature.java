package org.opentrail.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
  private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private final String accessKeyId;
  private final String signature;
  private final String nonce;
  private final Instant timestamp;
  private final String method;
  private final List<String[]> pairs; // name, value; sorted as they are signed
  private final boolean anyEmpty;

  private RpcSignature(
      String accessKeyId,
      String signature,
      String nonce,
      Instant timestamp,
      String method,
      List<String[]> pairs) {
    this.accessKeyId = accessKeyId;
    this.signature = signature;
    this.nonce = nonce;
    this.timestamp = timestamp;
    this.method = method;
    this.pairs = pairs;
    boolean empty = false;
    for (String[] p : pairs) {
      empty |= p[1].isEmpty();
    }
    this.anyEmpty = empty;
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
    List<String[]> pairs = new ArrayList<>(params.size());
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      List<String> values = new ArrayList<>(e.getValue());
      values.sort(null);
      for (String v : values) {
        pairs.add(new String[] {e.getKey(), v});
      }
    }
    return new RpcSignature(
        accessKeyId,
        signature.replace(' ', '+'), // a '+' sent unencoded in a query reads as a space
        nonce,
        timestamp,
        r.method(),
        pairs);
  }

  private static void add(Map<String, List<String>> params, Map<String, List<String>> from) {
    if (from != null) {
      from.forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }
  }

  /**
   * Writes the string to sign, {@code METHOD&%2F&} + percentEncode(canonical query), where the
   * canonical query is itself made of percent-encoded names and values: so each byte of a name or
   * value is written encoded twice ({@code %} becoming {@code %25}) in one pass, without building
   * the intermediate strings (a PutEvents batch is megabytes).
   */
  private void write(Out out, boolean withEmpty) {
    out.ascii(method);
    out.ascii("&%2F&");
    boolean first = true;
    for (String[] p : pairs) {
      if (p[1].isEmpty() && !withEmpty) {
        continue;
      }
      if (!first) {
        out.ascii("%26");
      }
      first = false;
      out.twice(p[0]);
      out.ascii("%3D");
      out.twice(p[1]);
    }
    out.flush();
  }

  /** Bytes RFC 3986 leaves unencoded: letters, digits, {@code - _ . ~}. */
  private static final boolean[] UNRESERVED = new boolean[256];

  static {
    for (char c = 0; c < 128; c++) {
      UNRESERVED[c] =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '~';
    }
  }

  @Override
  public boolean verify(String secret) {
    byte[] key = (secret + "&").getBytes(StandardCharsets.UTF_8);
    if (Signing.same(sign(key, true), signature)) {
      return true;
    }
    return anyEmpty && Signing.same(sign(key, false), signature);
  }

  private static final ThreadLocal<Mac> HMAC_SHA1 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA1");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA1 is not available", e);
            }
          });

  private String sign(byte[] key, boolean withEmpty) {
    try {
      Mac mac = HMAC_SHA1.get(); // init with this key resets it
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      write(new Out((buf, n) -> mac.update(buf, 0, n)), withEmpty);
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
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

  /** The beginning of the string to sign (enough to quote in an error). */
  @Override
  public String stringToSign() {
    StringBuilder text = new StringBuilder();
    try {
      write(
          new Out(
              (buf, n) -> {
                text.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                if (text.length() > Signing.QUOTE_MAX) {
                  throw new Enough();
                }
              }),
          true);
    } catch (Enough enough) {
      // the rest would not be quoted
    }
    return text.length() > Signing.QUOTE_MAX + 1
        ? text.substring(0, Signing.QUOTE_MAX + 1)
        : text.toString();
  }

  @Override
  public String toString() {
    return "RpcSignature[" + accessKeyId + "]";
  }

  /** Ends writing the string to sign early. */
  private static final class Enough extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Enough() {
      super(null, null, false, false);
    }
  }

  /** Where the string to sign goes: into a buffer, handed on 8 KiB at a time. */
  private static final class Out {
    interface Sink {
      void accept(byte[] buf, int n);
    }

    private final Sink sink;
    private final byte[] buf = new byte[8192];
    private int n;

    Out(Sink sink) {
      this.sink = sink;
    }

    void ascii(String s) {
      for (int i = 0; i < s.length(); i++) {
        room(1);
        buf[n++] = (byte) s.charAt(i);
      }
    }

    /** {@code s} as UTF-8, percent-encoded twice. */
    void twice(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8); // an array copy for ASCII
      for (byte b : utf8) {
        room(5);
        if (UNRESERVED[b & 0xff]) {
          buf[n++] = b;
        } else {
          encodedTwice(b);
        }
      }
    }

    private void encodedTwice(byte b) {
      buf[n] = '%';
      buf[n + 1] = '2';
      buf[n + 2] = '5';
      buf[n + 3] = UPPER_HEX[(b >> 4) & 0xf];
      buf[n + 4] = UPPER_HEX[b & 0xf];
      n += 5;
    }

    private void room(int bytes) {
      if (n > buf.length - bytes) {
        flush();
      }
    }

    void flush() {
      if (n > 0) {
        sink.accept(buf, n);
        n = 0;
      }
    }
  }
}
