package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.NewAccessKey;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.auth.SignedRequest;

class AuthenticatorTest extends AuthFixture {
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

  Signer signer(NewAccessKey k) {
    return new Signer(k.key().accessKeyId(), k.secret());
  }

  @Test
  void rpcSignatureOfTheOfficialSdkVerifies() throws Exception {
    Map<String, String> params = new HashMap<>();
    params.put("RegionId", "cn-hangzhou");
    params.put("NameList", "a b*c~d/é+&=");
    params.put("IncludeShadowTrails", "true");
    Principal p =
        auth.authenticate(signer(root).rpc(params, Map.of("Description", "form * value ~")));
    assertEquals(new Principal(A, Principal.Type.ROOT, null, root.key().accessKeyId()), p);
    Principal u = auth.authenticate(signer(alice).rpc(Map.of("RegionId", "cn-hangzhou")));
    assertEquals(new Principal(A, Principal.Type.USER, "alice", alice.key().accessKeyId()), u);
  }

  @Test
  void rpcSignatureOfALargeNonAsciiBatchVerifiesAndAMismatchQuotesOnlyTheStart() throws Exception {
    String events =
        "[{\"eventName\":\"名前 ☃ \uD83D\uDE00\",\"x\":\"*~ +%\"}]".repeat(20_000); // ~1 MB
    assertEquals(
        A, auth.authenticate(signer(root).rpc(Map.of(), Map.of("Events", events))).accountId());
    OpenTrailException e =
        fails(
            "SignatureDoesNotMatch",
            400,
            () ->
                auth.authenticate(
                    new Signer(root.key().accessKeyId(), "wrong")
                        .rpc(Map.of(), Map.of("Events", events))));
    assertTrue(e.getMessage().startsWith("Specified signature is not matched"), e.getMessage());
    assertTrue(e.getMessage().contains("POST&%2F&AccessKeyId%3D"), e.getMessage());
    assertTrue(
        e.getMessage().length() < 1200, "quoted, not the megabytes: " + e.getMessage().length());
  }

  @Test
  void rpcEmptyParametersVerifyBothAsTheJavaSdkAndAsOtherSignersSignThem() throws Exception {
    // openapiutil leaves the empty parameter out of its signature
    assertEquals(A, auth.authenticate(signer(root).rpc(Map.of("NextToken", ""))).accountId());
    // signers that include it as "NextToken=" (hand-computed from the specification)
    Map<String, String> q = new TreeMap<>();
    q.put("Action", "DescribeTrails");
    q.put("NextToken", "");
    q.put("Timestamp", Signer.TIMESTAMP.format(Instant.now()));
    q.put("SignatureNonce", "hand-1");
    q.put("SignatureMethod", "HMAC-SHA1");
    q.put("SignatureVersion", "1.0");
    q.put("AccessKeyId", root.key().accessKeyId());
    StringBuilder canonical = new StringBuilder();
    q.forEach((k, v) -> canonical.append(canonical.length() == 0 ? "" : "&").append(k + "=" + v));
    String sts =
        "GET&%2F&"
            + canonical.toString().replace("=", "%3D").replace("&", "%26").replace(":", "%253A");
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec((root.secret() + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    q.put(
        "Signature",
        Base64.getEncoder().encodeToString(mac.doFinal(sts.getBytes(StandardCharsets.UTF_8))));
    SignedRequest r = Signer.request("GET", q, Map.of(), Map.of(), new byte[0]);
    assertEquals(A, auth.authenticate(r).accountId());
  }

  @Test
  void acs3SignatureOfTheOfficialSdkVerifies() throws Exception {
    Map<String, String> query = Map.of("RegionId", "cn-hangzhou", "Name", "a b*c~");
    Principal p = auth.authenticate(signer(alice).acs3(query, Map.of("Description", "x y")));
    assertEquals("alice", p.userName());
    assertEquals(Principal.Type.USER, p.type());
    assertEquals(A, auth.authenticate(signer(root).acs3(Map.of(), Map.of())).accountId());
  }

  @Test
  void tamperedParameterWrongSecretOrUnknownKeyAreRefused() throws Exception {
    SignedRequest good = signer(root).rpc(Map.of("RegionId", "cn-hangzhou"));
    Map<String, List<String>> q = new LinkedHashMap<>(good.query());
    q.put("RegionId", List.of("cn-beijing"));
    SignedRequest tampered =
        new SignedRequest("POST", "/", q, Map.of(), good.headers(), good.body());
    OpenTrailException e = fails("SignatureDoesNotMatch", 400, () -> auth.authenticate(tampered));
    assertTrue(e.getMessage().contains("server string to sign is:POST&%2F&"), e.getMessage());
    assertFalse(e.getMessage().contains(root.secret()));
    assertFalse(e.getMessage().contains(good.query().get("Signature").get(0)));

    Signer wrong = new Signer(root.key().accessKeyId(), alice.secret());
    fails("SignatureDoesNotMatch", 400, () -> auth.authenticate(wrong.rpc(Map.of())));
    fails("SignatureDoesNotMatch", 400, () -> auth.authenticate(wrong.acs3(Map.of(), Map.of())));
    Signer unknown = new Signer("LTAI" + "x".repeat(20), root.secret());
    fails("InvalidAccessKeyId.NotFound", 404, () -> auth.authenticate(unknown.rpc(Map.of())));
    fails(
        "InvalidAccessKeyId.NotFound",
        404,
        () -> auth.authenticate(unknown.acs3(Map.of(), Map.of())));
    SignedRequest other = signer(root).rpc(Map.of("RegionId", "cn-hangzhou"));
    SignedRequest otherMethod =
        new SignedRequest("GET", "/", other.query(), Map.of(), other.headers(), other.body());
    fails("SignatureDoesNotMatch", 400, () -> auth.authenticate(otherMethod));
  }

  @Test
  void acs3TamperedQueryHeaderOrBodyIsRefused() throws Exception {
    SignedRequest good = signer(root).acs3(Map.of("RegionId", "cn-hangzhou"), Map.of("A", "1"));
    Map<String, List<String>> q = new LinkedHashMap<>(good.query());
    q.put("RegionId", List.of("cn-beijing"));
    OpenTrailException e =
        fails(
            "SignatureDoesNotMatch",
            400,
            () ->
                auth.authenticate(
                    new SignedRequest("POST", "/", q, good.form(), good.headers(), good.body())));
    assertTrue(e.getMessage().contains("ACS3-HMAC-SHA256\n"), e.getMessage());
    Map<String, String> h = new HashMap<>(good.headers());
    h.put("x-acs-action", "DeleteTrail");
    fails(
        "SignatureDoesNotMatch",
        400,
        () ->
            auth.authenticate(
                new SignedRequest("POST", "/", good.query(), good.form(), h, good.body())));
    byte[] body = "A=2".getBytes(StandardCharsets.UTF_8);
    fails(
        "SignatureDoesNotMatch",
        400,
        () ->
            auth.authenticate(
                new SignedRequest("POST", "/", good.query(), good.form(), good.headers(), body)));
    // an x-acs- header that is not signed
    Map<String, String> extra = new HashMap<>(good.headers());
    extra.put("x-acs-security-token", "t");
    fails(
        "InvalidParameter",
        400,
        () ->
            auth.authenticate(
                new SignedRequest("POST", "/", good.query(), good.form(), extra, good.body())));
    // the SDK's request still verifies untouched
    assertEquals(A, auth.authenticate(good).accountId());
  }

  @Test
  void acs3HeadersAreRequiredAndTheAlgorithmChecked() throws Exception {
    SignedRequest good = signer(root).acs3(Map.of(), Map.of());
    for (String header :
        List.of("x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "host")) {
      Map<String, String> h = new HashMap<>(good.headers());
      h.remove(header);
      OpenTrailException e =
          fails(
              "MissingParameter",
              400,
              () ->
                  auth.authenticate(
                      new SignedRequest("POST", "/", good.query(), good.form(), h, good.body())));
      assertTrue(e.getMessage().contains(header), e.getMessage());
    }
    Map<String, String> sm3 = new HashMap<>(good.headers());
    sm3.put(
        "authorization",
        good.headers().get("authorization").replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3"));
    fails(
        "UnsupportedSignatureMethod",
        400,
        () ->
            auth.authenticate(
                new SignedRequest("POST", "/", good.query(), good.form(), sm3, good.body())));
    Map<String, String> date = new HashMap<>(good.headers());
    date.put("x-acs-date", "2024-01-01 10:00:00");
    fails(
        "InvalidTimeStamp.Format",
        400,
        () ->
            auth.authenticate(
                new SignedRequest("POST", "/", good.query(), good.form(), date, good.body())));
  }

  @Test
  void rpcParametersAreRequiredAndChecked() throws Exception {
    for (String name :
        List.of(
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp")) {
      Map<String, String> q = signer(root).rpcQuery(Map.of(), Map.of());
      q.remove(name);
      OpenTrailException e =
          fails(
              "MissingParameter",
              400,
              () -> auth.authenticate(Signer.request("POST", q, Map.of(), Map.of(), new byte[0])));
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    Map<String, String> sha256 =
        signer(root).rpcQuery(Map.of("SignatureMethod", "HMAC-SHA256"), Map.of());
    sha256.put("SignatureMethod", "HMAC-SHA256");
    fails(
        "UnsupportedSignatureMethod",
        400,
        () -> auth.authenticate(Signer.request("POST", sha256, Map.of(), Map.of(), new byte[0])));
    Map<String, String> v2 = signer(root).rpcQuery(Map.of(), Map.of());
    v2.put("SignatureVersion", "2.0");
    fails(
        "InvalidParameter",
        400,
        () -> auth.authenticate(Signer.request("POST", v2, Map.of(), Map.of(), new byte[0])));
    for (String bad :
        List.of(
            "2024-01-01T10:00:00",
            "2024-13-01T10:00:00Z",
            "1704103200",
            "2024-01-01T10:00:00.000Z")) {
      Map<String, String> ts = signer(root).rpcQuery(Map.of("Timestamp", bad), Map.of());
      fails(
          "InvalidTimeStamp.Format",
          400,
          () -> auth.authenticate(Signer.request("POST", ts, Map.of(), Map.of(), new byte[0])));
    }
  }

  @Test
  void oldAndFutureTimestampsAreExpired() throws Exception {
    Instant now = Instant.now();
    for (Duration d :
        List.of(Duration.ofMinutes(-16), Duration.ofMinutes(16), Duration.ofDays(-1))) {
      Signer s = signer(root).at(now.plus(d));
      fails("InvalidTimeStamp.Expired", 400, () -> auth.authenticate(s.rpc(Map.of())));
      fails("InvalidTimeStamp.Expired", 400, () -> auth.authenticate(s.acs3(Map.of(), Map.of())));
    }
    assertEquals(
        A, auth.authenticate(signer(root).at(now.minusSeconds(14 * 60)).rpc(Map.of())).accountId());
    assertEquals(
        A, auth.authenticate(signer(root).at(now.plusSeconds(14 * 60)).rpc(Map.of())).accountId());
    RequestAuthenticator strict =
        new RequestAuthenticator(
            registry, config(Map.of("max.clock.skew.minutes", 1)), Clock.systemUTC());
    fails(
        "InvalidTimeStamp.Expired",
        400,
        () -> strict.authenticate(signer(root).at(now.minusSeconds(120)).rpc(Map.of())));
  }

  @Test
  void aNonceIsUsedOnceButOnlyByAValidSignature() throws Exception {
    Signer s = signer(root).nonce("n-1");
    SignedRequest first = s.rpc(Map.of());
    auth.authenticate(first);
    fails("SignatureNonceUsed", 400, () -> auth.authenticate(first));
    fails("SignatureNonceUsed", 400, () -> auth.authenticate(s.rpc(Map.of("RegionId", "x"))));
    fails("SignatureNonceUsed", 400, () -> auth.authenticate(s.acs3(Map.of(), Map.of())));
    // another key may use the same nonce
    auth.authenticate(signer(alice).nonce("n-1").rpc(Map.of()));
    // a forged request does not burn the nonce of the genuine one
    Signer forger = new Signer(root.key().accessKeyId(), alice.secret()).nonce("n-2");
    fails("SignatureDoesNotMatch", 400, () -> auth.authenticate(forger.rpc(Map.of())));
    fails("SignatureDoesNotMatch", 400, () -> auth.authenticate(forger.acs3(Map.of(), Map.of())));
    assertEquals(
        A, auth.authenticate(signer(root).nonce("n-2").acs3(Map.of(), Map.of())).accountId());
    fails(
        "SignatureNonceUsed",
        400,
        () -> auth.authenticate(signer(root).nonce("n-2").rpc(Map.of())));
    // nor does an expired one
    fails(
        "InvalidTimeStamp.Expired",
        400,
        () ->
            auth.authenticate(
                signer(root).nonce("n-3").at(Instant.now().minusSeconds(3600)).rpc(Map.of())));
    auth.authenticate(signer(root).nonce("n-3").rpc(Map.of()));
  }

  @Test
  void aCleanRestartForgetsNoNonceAndAnUncleanOneRefusesRequestsSignedBeforeIt(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("nonces.bin");
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:30Z"));
    RequestAuthenticator first = new RequestAuthenticator(registry, config(Map.of()), clock, file);
    SignedRequest before = signer(root).nonce("before").at(clock.instant()).rpc(Map.of());
    fails(
        "InvalidTimeStamp.Expired",
        400,
        () -> first.authenticate(signer(root).at(clock.instant().minusSeconds(60)).rpc(Map.of())));
    first.authenticate(before);
    first.deactivate(); // a clean stop saves the nonces
    clock.advance(Duration.ofMinutes(1));
    RequestAuthenticator second = new RequestAuthenticator(registry, config(Map.of()), clock, file);
    fails("SignatureNonceUsed", 400, () -> second.authenticate(before));
    second.authenticate(signer(root).at(clock.instant().minusSeconds(30)).rpc(Map.of()));
    assertFalse(
        java.nio.file.Files.exists(file), "the saved nonces are taken, not left for a later crash");
    // no clean stop: the nonces of earlier requests are unknown, so those requests are refused
    clock.advance(Duration.ofMinutes(1));
    RequestAuthenticator third = new RequestAuthenticator(registry, config(Map.of()), clock, file);
    OpenTrailException e = fails("InvalidTimeStamp.Expired", 400, () -> third.authenticate(before));
    assertTrue(e.getMessage().contains("unclean stop"), e.getMessage());
    third.authenticate(signer(root).at(clock.instant()).rpc(Map.of()));
  }

  @Test
  void noncesAreForgottenOnlyOnceTheirTimestampIsOutOfTheWindow() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:30Z"));
    RequestAuthenticator a = new RequestAuthenticator(registry, config(Map.of()), clock);
    SignedRequest r = signer(root).nonce("n").at(clock.instant()).rpc(Map.of());
    a.authenticate(r);
    clock.advance(Duration.ofMinutes(14));
    fails("SignatureNonceUsed", 400, () -> a.authenticate(r));
    assertEquals(1, a.rememberedNonces());
    clock.advance(Duration.ofMinutes(2));
    fails("InvalidTimeStamp.Expired", 400, () -> a.authenticate(r));
    a.authenticate(signer(root).at(clock.instant()).rpc(Map.of()));
    clock.advance(Duration.ofMinutes(2));
    a.authenticate(signer(root).at(clock.instant()).rpc(Map.of()));
    assertEquals(2, a.rememberedNonces(), "the first nonce's minute is dropped");
  }

  @Test
  void inactiveKeysDoNotAuthenticateAndAccountOfFindsKeys() throws Exception {
    registry.setAccessKeyActive(A, "alice", alice.key().accessKeyId(), false);
    fails("InvalidAccessKeyId.Inactive", 400, () -> auth.authenticate(signer(alice).rpc(Map.of())));
    fails(
        "InvalidAccessKeyId.Inactive",
        400,
        () -> auth.authenticate(signer(alice).acs3(Map.of(), Map.of())));
    registry.setAccessKeyActive(A, "alice", alice.key().accessKeyId(), true);
    assertEquals("alice", auth.authenticate(signer(alice).rpc(Map.of())).userName());
    registry.deleteAccessKey(A, "alice", alice.key().accessKeyId());
    fails("InvalidAccessKeyId.NotFound", 404, () -> auth.authenticate(signer(alice).rpc(Map.of())));
    assertEquals(Optional.of(A), auth.accountOf(root.key().accessKeyId()));
    assertEquals(Optional.empty(), auth.accountOf(alice.key().accessKeyId()));
    assertEquals(Optional.empty(), auth.accountOf(null));
    assertNull(registry.snapshot().key("nope"));
  }

  @Test
  void requestsOfAnotherAccountAuthenticateAsThatAccount() throws Exception {
    NewAccessKey b = registry.createAccount();
    Principal p = auth.authenticate(signer(b).rpc(Map.of()));
    assertEquals(b.key().accountId(), p.accountId());
    assertEquals(Principal.Type.ROOT, p.type());
  }

  @Test
  void aSecretIsVerifiedForConsoleSignInOnlyWhileItsKeyIsActive() {
    String id = alice.key().accessKeyId();
    assertEquals(
        new Principal(A, Principal.Type.USER, "alice", id),
        auth.verifySecret(id, alice.secret()).orElseThrow());
    assertEquals(
        Principal.Type.ROOT,
        auth.verifySecret(root.key().accessKeyId(), root.secret()).orElseThrow().type());
    assertTrue(auth.verifySecret(id, alice.secret() + "x").isEmpty());
    assertTrue(auth.verifySecret(id, root.secret()).isEmpty());
    assertTrue(auth.verifySecret("LTAInoSuchKey", alice.secret()).isEmpty());
    assertTrue(auth.verifySecret(id, null).isEmpty());
    registry.setAccessKeyActive(A, "alice", id, false);
    assertTrue(auth.verifySecret(id, alice.secret()).isEmpty());
  }
}
