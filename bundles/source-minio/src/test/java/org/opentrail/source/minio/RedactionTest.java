package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void authorizationKeepsSchemeAndScopeNotTheSecret() {
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=alice/20240509/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=<redacted>",
        Redaction.header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=alice/20240509/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=d4d6862e6cc61011a61fa801da71048e"));
    assertEquals(
        "AWS4-HMAC-SHA256 Signature=<redacted>,Credential=a/b, signature=<redacted>",
        Redaction.header(
            "authorization", "AWS4-HMAC-SHA256 Signature=abc,Credential=a/b, signature=def"));
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=a/b",
        Redaction.header("Authorization", "AWS4-HMAC-SHA256 Credential=a/b"));
    assertEquals("AWS alice:<redacted>", Redaction.header("Authorization", "AWS alice:Zm9vYmFy="));
    assertEquals("AWS <redacted>", Redaction.header("Authorization", "AWS Zm9vYmFy"));
    assertEquals("Bearer <redacted>", Redaction.header("Authorization", "Bearer eyJhbGciOi.x.y"));
    assertEquals("Basic <redacted>", Redaction.header("Proxy-Authorization", "Basic YTpi"));
    assertEquals("<redacted>", Redaction.header("Authorization", "opaque-token"));
  }

  @Test
  void credentialHeadersAreRedactedWholeAndOthersKept() {
    for (String name :
        List.of(
            "Cookie",
            "set-cookie",
            "X-Amz-Security-Token",
            "x-amz-server-side-encryption-customer-key",
            "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key",
            "X-Ldap-Password",
            "X-Client-Secret")) {
      assertEquals("<redacted>", Redaction.header(name, "s3cr3t"), name);
    }
    for (String name :
        List.of(
            "X-Amz-Server-Side-Encryption-Customer-Key-Md5",
            "X-Amz-Content-Sha256",
            "User-Agent",
            "X-Amz-Date",
            "Content-Length")) {
      assertEquals("value", Redaction.header(name, "value"), name);
    }
    assertEquals(
        List.of("x"), Redaction.header("Cookie", List.of("x")), "only strings are rewritten");
  }

  @Test
  void presignedAndStsQueryCredentialsAreRedacted() {
    for (String name :
        List.of(
            "X-Amz-Signature",
            "Signature",
            "X-Amz-Security-Token",
            "WebIdentityToken",
            "WebIdentityAccessToken",
            "Token",
            "LDAPPassword",
            "password",
            "secretKey")) {
      assertEquals("<redacted>", Redaction.query(name, "s3cr3t"), name);
    }
    for (String name :
        List.of(
            "X-Amz-Credential",
            "AWSAccessKeyId",
            "X-Amz-SignedHeaders",
            "continuation-token",
            "versionId",
            "LDAPUsername")) {
      assertEquals("value", Redaction.query(name, "value"), name);
    }
  }

  @Test
  void claimsAreRedactedAtAnyDepth() {
    Object claims =
        Redaction.claims(
            null,
            Map.of(
                "accessKey", "Q3AM",
                "parent", "alice",
                "id_token", "eyJ",
                "nested", Map.of("client_secret", "x", "groups", List.of("a")),
                "tokens", List.of("t1", "t2")));
    assertEquals(
        Map.of(
            "accessKey", "Q3AM",
            "parent", "alice",
            "id_token", "<redacted>",
            "nested", Map.of("client_secret", "<redacted>", "groups", List.of("a")),
            "tokens", List.of("<redacted>", "<redacted>")),
        claims);
  }
}
