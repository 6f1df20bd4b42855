package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digest signing keys in the running platform: rotated in the shell, listed by ListPublicKeys over
 * HTTP and by {@code proof:keys --json} alike, verifying what the platform's SigningKeys signed,
 * and the same after a restart.
 */
class ProofKeysPlatformTest {
  static final Map<String, String> EVERY_KEY = Map.of("StartTime", "2000-01-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void keysRotatedInTheShellAreListedOverHttpAndSurviveARestart() throws Exception {
    Path data = dir.resolve("data");
    Path saved = dir.resolve("keys.json");
    List<?> before;
    try (Instance ot = Instance.withHttp(data)) {
      ApiClient api = new ApiClient(ot.httpPort);
      ApiClient.Key root = ot.rootKey();
      assertTrue(ot.run("proof:keys").contains("has no signing key yet"));
      String first = ot.run("proof:rotatekey");
      assertTrue(first.contains("Current: "), first);
      String second = ot.run("proof:rotatekey");
      assertTrue(second.contains("Ended:   "), second);

      List<?> current = keys(ok(api.call(root, "ListPublicKeys", Map.of())));
      assertEquals(1, current.size(), "without times: the key signing now");
      assertNull(((Map<?, ?>) current.get(0)).get("ValidityEndTime"));
      before = keys(ok(api.call(root, "ListPublicKeys", EVERY_KEY)));
      assertEquals(2, before.size(), before.toString());
      assertEquals(current.get(0), before.get(1));

      // the platform signs with the key the API names, and the JDK verifies it with that key
      Services.Service signing = Services.get(ot.context(), "org.opentrail.api.proof.SigningKeys");
      byte[] digest = "{\"digestVersion\":\"1\"}".getBytes(StandardCharsets.UTF_8);
      Object signature = signing.call("sign", ot.account(), digest);
      Map<?, ?> key = (Map<?, ?>) current.get(0);
      assertEquals(key.get("Fingerprint"), Services.get(signature, "fingerprint"));
      assertTrue(
          verifies((String) key.get("Value"), digest, (byte[]) Services.get(signature, "value")));

      ot.run("proof:keys --json " + saved);
      Map<?, ?> file = new Gson().fromJson(Files.readString(saved), Map.class);
      assertEquals(before, file.get("PublicKeyList"), "the file the verifier reads");

      ApiClient.Answer bad = api.call(root, "ListPublicKeys", Map.of("StartTime", "yesterday"));
      assertEquals(400, bad.status(), bad.toString());
      assertEquals("InvalidParameter", bad.code());
      assertNotNull(bad.requestId());
      assertTrue(bad.field("Message").contains("StartTime"), bad.toString());
    }
    try (Instance again = Instance.withHttp(data)) {
      ApiClient api = new ApiClient(again.httpPort);
      assertEquals(
          before, keys(ok(api.call(again.rootKey(), "ListPublicKeys", EVERY_KEY))), "restarted");
    }
  }

  static ApiClient.Answer ok(ApiClient.Answer a) {
    assertEquals(200, a.status(), a.toString());
    return a;
  }

  static List<?> keys(ApiClient.Answer a) {
    Map<?, ?> body = new Gson().fromJson(a.body(), Map.class);
    assertNotNull(body.get("RequestId"), a.toString());
    return (List<?>) body.get("PublicKeyList");
  }

  static boolean verifies(String base64Der, byte[] data, byte[] signature) throws Exception {
    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(
        KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64Der))));
    v.update(data);
    return v.verify(signature);
  }
}
