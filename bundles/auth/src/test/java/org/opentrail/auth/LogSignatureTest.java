package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.openservices.log.common.auth.DefaultCredentials;
import com.aliyun.openservices.log.common.auth.StaticCredentialsProvider;
import com.aliyun.openservices.log.http.client.HttpMethod;
import com.aliyun.openservices.log.http.signer.SlsV1Signer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.NewAccessKey;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.auth.SignedRequest;

/** Log Service's LOG scheme, against vectors made by the official SDK's own signer. */
class LogSignatureTest extends AuthFixture {
  RequestAuthenticator auth;
  NewAccessKey root;
  NewAccessKey alice;

  @BeforeEach
  void keys() {
    auth = new RequestAuthenticator(registry, config(Map.of()), Clock.systemUTC());
    root = registry.createAccessKey(A, null);
    registry.createUser(A, "alice", "Alice");
    alice = registry.createAccessKey(A, "alice");
  }

  /** Signs as the SDK does and turns the result into what the servlet hands the authenticator. */
  static SignedRequest sdkSigned(
      NewAccessKey key, String method, String path, Map<String, String> query, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("User-Agent", "aliyun-log-sdk-java-0.6.100");
    headers.put("x-log-bodyrawsize", "0");
    headers.put("Content-Type", "application/json");
    headers.put("Host", "opentrail-" + A + ".log.opentrail.local");
    headers.put("x-log-apiversion", "0.6.0");
    headers.put("x-acs-security-hint", "a b:c");
    new SlsV1Signer(
            new StaticCredentialsProvider(
                new DefaultCredentials(key.key().accessKeyId(), key.secret())))
        .sign(HttpMethod.fromString(method), headers, path, query, body);
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    Map<String, List<String>> q = new LinkedHashMap<>();
    query.forEach((k, v) -> q.put(k, List.of(v)));
    return new SignedRequest(method, path, q, Map.of(), lower, body);
  }

  @Test
  void theSdksSignaturesVerifyForRootAndUsers() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("type", "histogram");
    query.put("query", "eventName: Delete* and not userIdentity.userName: \"bob smith\" | é&=");
    query.put("from", "1764547200");
    query.put("topic", "");
    Principal p =
        auth.authenticate(
            sdkSigned(root, "GET", "/logstores/actiontrail_t/index", query, new byte[0]));
    assertEquals(new Principal(A, Principal.Type.ROOT, null, root.key().accessKeyId()), p);
    byte[] body = "{\"query\":\"*\",\"from\":1,\"to\":2}".getBytes(StandardCharsets.UTF_8);
    Principal u =
        auth.authenticate(sdkSigned(alice, "POST", "/logstores/history/logs", Map.of(), body));
    assertEquals(new Principal(A, Principal.Type.USER, "alice", alice.key().accessKeyId()), u);
    // the same request twice in one second is fine: the scheme has no nonce
    auth.authenticate(sdkSigned(alice, "POST", "/logstores/history/logs", Map.of(), body));
  }

  @Test
  void anAlteredRequestAWrongKeyAndABadBodyAreRefused() {
    SignedRequest good = sdkSigned(root, "GET", "/logstores", Map.of("offset", "0"), new byte[0]);
    Map<String, List<String>> q = Map.of("offset", List.of("1"));
    SignedRequest altered =
        new SignedRequest("GET", "/logstores", q, Map.of(), good.headers(), new byte[0]);
    OpenTrailException e = refused("SignatureNotMatch", 401, altered);
    assertTrue(e.getMessage().contains("GET\n\napplication/json\n"), e.getMessage());
    assertTrue(e.getMessage().endsWith("/logstores?offset=1"), e.getMessage());
    assertTrue(!e.getMessage().contains(root.secret()), "no secret in an error");
    Map<String, String> token = new HashMap<>(good.headers());
    token.put("x-acs-security-token", "CAIS-secret-token");
    OpenTrailException t = refused("SignatureNotMatch", 401, with(good, token, new byte[0]));
    assertTrue(t.getMessage().contains("x-acs-security-token:***"), t.getMessage());
    assertTrue(!t.getMessage().contains("CAIS-secret-token"), t.getMessage());
    Map<String, String> wrongKey = new HashMap<>(good.headers());
    wrongKey.put("authorization", "LOG NoSuchKeyId:abc=");
    refused("InvalidAccessKeyId", 401, with(good, wrongKey, new byte[0]));
    Map<String, String> malformed = new HashMap<>(good.headers());
    malformed.put("authorization", "LOG nocolon");
    refused("Unauthorized", 401, with(good, malformed, new byte[0]));
    byte[] body = "{\"query\":\"*\"}".getBytes(StandardCharsets.UTF_8);
    SignedRequest post = sdkSigned(root, "POST", "/logstores/history/logs", Map.of(), body);
    SignedRequest swapped =
        with(post, post.headers(), "{\"query\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    refused("SignatureNotMatch", 401, swapped);
    Map<String, String> noMd5 = new HashMap<>(post.headers());
    noMd5.remove("content-md5");
    refused("Unauthorized", 401, with(post, noMd5, body));
  }

  @Test
  void aDateOutsideTheSkewOrUnreadableIsRefused() {
    SignedRequest good = sdkSigned(root, "GET", "/logstores", Map.of(), new byte[0]);
    RequestAuthenticator later =
        new RequestAuthenticator(
            registry, config(Map.of()), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16)));
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> later.authenticate(good));
    assertEquals("RequestTimeExpired", e.code());
    assertEquals(400, e.httpStatus());
    Map<String, String> h = new HashMap<>(good.headers());
    h.put("date", "yesterday");
    refused("Unauthorized", 401, with(good, h, new byte[0]));
    String old =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(Instant.now().minusSeconds(3600), ZoneOffset.UTC));
    assertTrue(old.endsWith("GMT"), old);
  }

  private static SignedRequest with(SignedRequest r, Map<String, String> headers, byte[] body) {
    return new SignedRequest(r.method(), r.path(), r.query(), r.form(), headers, body);
  }

  private OpenTrailException refused(String code, int status, SignedRequest r) {
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> auth.authenticate(r));
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(status, e.httpStatus());
    return e;
  }
}
