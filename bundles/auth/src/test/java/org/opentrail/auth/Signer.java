package org.opentrail.auth;

import com.aliyun.openapiutil.Client;
import com.aliyun.tea.TeaRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.opentrail.api.auth.SignedRequest;

/**
 * Requests signed the way the official Alibaba Cloud Java SDK (tea-openapi with openapiutil) signs
 * them, with openapiutil's own code: RPC signature 1.0 and ACS3-HMAC-SHA256.
 */
final class Signer {
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  final String keyId;
  final String secret;
  Instant time = null; // null: now
  String nonce = null; // null: a fresh UUID

  Signer(String keyId, String secret) {
    this.keyId = keyId;
    this.secret = secret;
  }

  Signer at(Instant t) {
    this.time = t;
    return this;
  }

  Signer nonce(String n) {
    this.nonce = n;
    return this;
  }

  private String timestamp() throws Exception {
    return time == null ? Client.getTimestamp() : TIMESTAMP.format(time);
  }

  private String nextNonce() {
    return nonce == null ? UUID.randomUUID().toString() : nonce;
  }

  /** The parameters of an RPC call as tea-openapi's doRPCRequest makes them, signed. */
  Map<String, String> rpcQuery(Map<String, String> params, Map<String, String> form)
      throws Exception {
    Map<String, String> q = new HashMap<>();
    q.put("Action", "DescribeTrails");
    q.put("Format", "json");
    q.put("Version", "2020-07-06");
    q.put("Timestamp", timestamp());
    q.put("SignatureNonce", nextNonce());
    q.putAll(params);
    q.put("SignatureMethod", "HMAC-SHA1");
    q.put("SignatureVersion", "1.0");
    q.put("AccessKeyId", keyId);
    Map<String, String> signed = new HashMap<>(q);
    signed.putAll(form);
    q.put("Signature", Client.getRPCSignature(signed, "POST", secret));
    return q;
  }

  SignedRequest rpc(Map<String, String> params) throws Exception {
    return rpc(params, Map.of());
  }

  SignedRequest rpc(Map<String, String> params, Map<String, String> form) throws Exception {
    return request("POST", rpcQuery(params, form), form, Map.of("host", "localhost"), body(form));
  }

  /** A request as tea-openapi's execute() signs it with ACS3-HMAC-SHA256. */
  SignedRequest acs3(Map<String, String> query, Map<String, String> form) throws Exception {
    TeaRequest t = TeaRequest.create();
    t.method = "POST";
    t.pathname = "/";
    t.query = new HashMap<>(query);
    t.headers = new HashMap<>();
    t.headers.put("host", "actiontrail.localhost");
    t.headers.put("x-acs-version", "2020-07-06");
    t.headers.put("x-acs-action", "DescribeTrails");
    t.headers.put("user-agent", "AlibabaCloud (Linux) Java/17 TeaDSL/2");
    t.headers.put("x-acs-date", timestamp());
    t.headers.put("x-acs-signature-nonce", nextNonce());
    t.headers.put("accept", "application/json");
    byte[] body = body(form);
    if (!form.isEmpty()) {
      t.headers.put("content-type", "application/x-www-form-urlencoded");
    }
    String payload = Client.hexEncode(Client.hash(body, "ACS3-HMAC-SHA256"));
    t.headers.put("x-acs-content-sha256", payload);
    t.headers.put(
        "Authorization", Client.getAuthorization(t, "ACS3-HMAC-SHA256", payload, keyId, secret));
    Map<String, String> headers = new HashMap<>();
    t.headers.forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return request("POST", t.query, form, headers, body);
  }

  static SignedRequest request(
      String method,
      Map<String, String> query,
      Map<String, String> form,
      Map<String, String> headers,
      byte[] body) {
    return new SignedRequest(method, "/", multi(query), multi(form), Map.copyOf(headers), body);
  }

  static Map<String, List<String>> multi(Map<String, String> m) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, List.of(v)));
    return out;
  }

  static byte[] body(Map<String, String> form) {
    StringBuilder b = new StringBuilder();
    form.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
