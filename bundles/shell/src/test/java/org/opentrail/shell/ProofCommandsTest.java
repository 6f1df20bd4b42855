package org.opentrail.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.auth.AccountSigningKeys;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;

/** proof:keys and proof:rotatekey over the real identity registry and signing keys. */
class ProofCommandsTest {
  static final String A = "1234567890123456";

  @TempDir Path data;
  IdentityRegistry registry;
  AccountSigningKeys keys;
  ProofCommands proof;

  @BeforeEach
  void open() throws Exception {
    registry = new IdentityRegistry(AuthPaths.under(data), A);
    keys = new AccountSigningKeys(registry, AuthPaths.under(data));
    proof = new ProofCommands(keys, registry);
  }

  @Test
  void anAccountWithoutKeysSaysHowItGetsOne() {
    String out = proof.keys("", "", "");
    assertTrue(out.contains("has no signing key yet"), out);
    assertTrue(out.contains("proof:rotatekey"), out);
  }

  @Test
  void keysAndRotationOfTheDefaultAccount() {
    PublicKeyInfo first = keys.currentKey(A);
    String rotated = proof.rotatekey("");
    PublicKeyInfo second = keys.currentKey(A);
    assertTrue(rotated.startsWith("Signing key of account " + A + " rotated"), rotated);
    assertTrue(rotated.contains("Ended:   " + first.fingerprint()), rotated);
    assertTrue(rotated.contains("Current: " + second.fingerprint()), rotated);

    List<String> lines = proof.keys("", "", "").lines().toList();
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("FINGERPRINT"), lines.get(0));
    assertTrue(lines.get(1).startsWith(first.fingerprint()), "oldest first: " + lines);
    assertTrue(lines.get(1).contains("Ed25519"));
    assertTrue(lines.get(2).startsWith(second.fingerprint()));
    assertTrue(lines.get(2).contains("(current)"));
    assertEquals(
        proof.keys(A, "", ""), proof.keys("", "", ""), "-a names the default account alike");
  }

  @Test
  void sinceTakesADurationOrATime() {
    PublicKeyInfo first = keys.currentKey(A);
    String all = proof.keys("", "7d", "");
    assertTrue(all.contains(first.fingerprint()), all);
    assertTrue(proof.keys("", "2000-01-01T00:00:00Z", "").contains(first.fingerprint()));
    IllegalArgumentException future =
        assertThrows(
            IllegalArgumentException.class, () -> proof.keys("", "2999-01-01T00:00:00Z", ""));
    assertTrue(future.getMessage().contains("in the future"), future.getMessage());
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    assertEquals(now.minus(Duration.ofMinutes(30)), ProofCommands.since("30m", now));
    assertEquals(
        Instant.parse("2026-02-28T16:00:00Z"),
        ProofCommands.since("2026-03-01T00:00:00+08:00", now));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> proof.keys("", "last week", ""));
    assertTrue(e.getMessage().contains("--since takes a duration"), e.getMessage());
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonWritesListPublicKeysShapeForTheVerifier() throws Exception {
    keys.currentKey(A);
    proof.rotatekey("");
    List<PublicKeyInfo> expected = keys.publicKeys(A, null, null);
    Path file = data.resolve("keys.json");
    String out = proof.keys("", "", file.toString());
    assertTrue(out.endsWith("Wrote 2 public keys to " + file.toAbsolutePath()), out);

    Map<String, Object> root = (Map<String, Object>) EventJson.read(Files.readAllBytes(file));
    assertEquals(List.of("PublicKeyList"), List.copyOf(root.keySet()));
    List<Map<String, Object>> list = (List<Map<String, Object>>) root.get("PublicKeyList");
    assertEquals(2, list.size());
    for (int i = 0; i < 2; i++) {
      Map<String, Object> k = list.get(i);
      assertEquals(
          List.of("Fingerprint", "Value", "ValidityStartTime", "ValidityEndTime"),
          List.copyOf(k.keySet()));
      byte[] der = Base64.getDecoder().decode((String) k.get("Value"));
      assertArrayEquals(expected.get(i).value(), der);
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)),
          k.get("Fingerprint"));
      assertEquals(expected.get(i).validityStart().toString(), k.get("ValidityStartTime"));
    }
    assertEquals(expected.get(0).validityEnd().toString(), list.get(0).get("ValidityEndTime"));
    assertNull(list.get(1).get("ValidityEndTime"), "the current key");
  }

  @Test
  void anUnknownAccountIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> proof.rotatekey("9999999999999999"));
    assertTrue(e.getMessage().contains("9999999999999999 does not exist"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> proof.keys("9999999999999999", "", ""));
  }
}
