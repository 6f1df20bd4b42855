package org.opentrail.tests;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A raw HTTP client of OpenTrail's API, signing as Alibaba Cloud's SDKs do (RPC signature 1.0 with
 * HMAC-SHA1, or ACS3-HMAC-SHA256) or not at all, so tests can send exactly the bytes they mean to.
 * Written from the published signature specifications, apart from the server's code.
 */
final class ApiClient {
  /** An access key. */
  record Key(String id, String secret) {}

  /** An answer: the HTTP status and the JSON body as text. */
  record Answer(int status, String body) {
    String field(String name) {
      Matcher m =
          Pattern.compile("\"" + Pattern.quote(name) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"")
              .matcher(body);
      return m.find() ? m.group(1) : null;
    }

    String code() {
      return field("Code");
    }

    String requestId() {
      return field("RequestId");
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
    }
  }

  static final String VERSION = "2020-07-06";
  static final String RAM_VERSION = "2015-05-01";
  static final Set<String> RAM_ACTIONS =
      Set.of(
          "CreateUser",
          "GetUser",
          "ListUsers",
          "DeleteUser",
          "CreateAccessKey",
          "UpdateAccessKey",
          "DeleteAccessKey",
          "ListAccessKeys",
          "CreatePolicy",
          "GetPolicy",
          "ListPolicies",
          "DeletePolicy",
          "AttachPolicyToUser",
          "DetachPolicyFromUser",
          "ListPoliciesForUser",
          "CreateRole",
          "GetRole",
          "ListRoles",
          "DeleteRole",
          "AttachPolicyToRole",
          "DetachPolicyFromRole",
          "CreateLoginProfile",
          "UpdateLoginProfile",
          "GetLoginProfile",
          "DeleteLoginProfile");

  final int port;
  final HttpClient http;

  ApiClient(int port) {
    this.port = port;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Common parameters of an RPC call (without the signature). */
  static Map<String, String> common(String action, String version, Key key, Instant time) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("Action", action);
    p.put("Version", version);
    p.put("Format", "JSON");
    p.put("AccessKeyId", key.id());
    p.put("SignatureMethod", "HMAC-SHA1");
    p.put("SignatureVersion", "1.0");
    p.put("SignatureNonce", UUID.randomUUID().toString());
    p.put("Timestamp", time.truncatedTo(ChronoUnit.SECONDS).toString());
    return p;
  }

  /** A signed POST: the common parameters in the query string, the business ones in the form. */
  Answer call(Key key, String action, Map<String, String> business) {
    String version = RAM_ACTIONS.contains(action) ? RAM_VERSION : VERSION;
    Map<String, String> query = common(action, version, key, Instant.now());
    return post(key, query, business);
  }

  /** Signs {@code query ∪ form} with {@code key} and POSTs them. */
  Answer post(Key key, Map<String, String> query, Map<String, String> form) {
    Map<String, String> all = new TreeMap<>(query);
    all.putAll(form);
    Map<String, String> q = new LinkedHashMap<>(query);
    q.put("Signature", signV1("POST", all, key.secret()));
    return send(
        "POST",
        encode(q),
        "application/x-www-form-urlencoded",
        encode(form).getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  /** An RPC signature 1.0 (HMAC-SHA1) of the parameters. */
  static String signV1(String method, Map<String, String> params, String secret) {
    Map<String, String> sorted = new TreeMap<>(params);
    sorted.remove("Signature");
    StringJoiner canonical = new StringJoiner("&");
    sorted.forEach((k, v) -> canonical.add(pe(k) + "=" + pe(v)));
    String toSign = method + "&" + pe("/") + "&" + pe(canonical.toString());
    return Base64.getEncoder().encodeToString(hmac("HmacSHA1", secret + "&", toSign));
  }

  /** PutEvents with a JSON body, signed with ACS3-HMAC-SHA256. */
  Answer putEventsJson(Key key, byte[] json) {
    Map<String, String> headers = new TreeMap<>();
    headers.put("host", "127.0.0.1:" + port);
    headers.put("content-type", "application/json");
    headers.put("x-acs-action", "PutEvents");
    headers.put("x-acs-version", VERSION);
    headers.put("x-acs-date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    headers.put("x-acs-signature-nonce", UUID.randomUUID().toString());
    headers.put("x-acs-content-sha256", HexFormat.of().formatHex(sha256(json)));
    StringBuilder canonical = new StringBuilder("POST\n/\n\n");
    headers.forEach((k, v) -> canonical.append(k).append(':').append(v.strip()).append('\n'));
    String signed = String.join(";", headers.keySet());
    canonical.append('\n').append(signed).append('\n').append(headers.get("x-acs-content-sha256"));
    String toSign =
        "ACS3-HMAC-SHA256\n"
            + HexFormat.of()
                .formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    String signature = HexFormat.of().formatHex(hmac("HmacSHA256", key.secret(), toSign));
    Map<String, String> send = new LinkedHashMap<>(headers);
    send.remove("host");
    send.remove("content-type");
    send.put(
        "Authorization",
        "ACS3-HMAC-SHA256 Credential="
            + key.id()
            + ",SignedHeaders="
            + signed
            + ",Signature="
            + signature);
    return send("POST", "", "application/json", json, send);
  }

  /** Sends exactly this request. */
  Answer send(
      String method,
      String rawQuery,
      String contentType,
      byte[] body,
      Map<String, String> headers) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + port
                          + "/"
                          + (rawQuery.isEmpty() ? "" : "?" + rawQuery)))
              .timeout(Duration.ofSeconds(60))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      headers.forEach(b::header);
      HttpResponse<String> r =
          http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body());
    } catch (Exception e) {
      throw new IllegalStateException("request failed: " + e, e);
    }
  }

  /**
   * A POST that declares a body of {@code declared} bytes but sends only {@code partial}: the
   * answer must come without the server waiting for (or reading) the rest.
   */
  Answer declaring(long declared, byte[] partial) {
    return overSocket("POST", "", "application/x-www-form-urlencoded", partial, declared);
  }

  /**
   * Exactly these bytes over a plain socket (java.net.URI would refuse a malformed query string):
   * {@code METHOD /?rawQuery HTTP/1.1}, the content type, and the body with its length.
   */
  Answer overSocket(
      String method, String rawQuery, String contentType, byte[] body, long declared) {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      StringBuilder head =
          new StringBuilder(method)
              .append(" /")
              .append(rawQuery.isEmpty() ? "" : "?" + rawQuery)
              .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
              .append(port)
              .append("\r\nConnection: close\r\n");
      if (contentType != null) {
        head.append("Content-Type: ").append(contentType).append("\r\n");
      }
      if (body != null) {
        head.append("Content-Length: ").append(declared).append("\r\n");
      }
      head.append("\r\n");
      s.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        s.getOutputStream().write(body);
      }
      s.getOutputStream().flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      int start = response.indexOf("\r\n\r\n");
      String text = start < 0 ? "" : response.substring(start + 4);
      if (response
          .substring(0, Math.max(start, 0))
          .toLowerCase(java.util.Locale.ROOT)
          .contains("transfer-encoding: chunked")) {
        text = text.substring(text.indexOf("\r\n") + 2, text.lastIndexOf("\r\n0\r\n"));
      }
      return new Answer(status, text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    }
  }

  static String encode(Map<String, String> params) {
    StringJoiner j = new StringJoiner("&");
    params.forEach((k, v) -> j.add(pe(k) + "=" + pe(v)));
    return j.toString();
  }

  /** Percent-encoding as RFC 3986 (and Alibaba Cloud's signatures) want it. */
  static String pe(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static byte[] hmac(String algorithm, String key, String data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
