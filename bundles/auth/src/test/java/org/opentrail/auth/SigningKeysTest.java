package org.opentrail.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Signing keys: signatures the JDK verifies on its own, rotation that keeps every old public key
 * and its validity, keys that outlive the component, and what it keeps on disk.
 */
class SigningKeysTest extends AuthFixture {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  MutableClock clock;
  AccountSigningKeys keys;

  @BeforeEach
  void openKeys() throws Exception {
    clock = new MutableClock(T0.plusMillis(250));
    keys = new AccountSigningKeys(registry, paths, clock);
  }

  Path keyFile(String account) {
    return paths.signingKeys().resolve(account + ".json");
  }

  /** Verifies with the JDK alone, from the public key's X.509 DER. */
  static boolean verifies(PublicKeyInfo key, byte[] data, DigestSignature s) throws Exception {
    PublicKey pub =
        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(key.value()));
    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(pub);
    v.update(data);
    return v.verify(s.value());
  }

  @Test
  void signaturesVerifyWithTheJdkAndTheKeyIsNamedByItsFingerprint() throws Exception {
    byte[] data = "{\"digestVersion\":\"1\"}".getBytes(UTF_8);
    DigestSignature s = keys.sign(A, data);
    PublicKeyInfo k = keys.currentKey(A);
    assertEquals("Ed25519", k.algorithm());
    assertEquals("Ed25519", s.algorithm());
    assertEquals(64, s.value().length);
    String sha256 =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(k.value()));
    assertEquals(sha256, k.fingerprint());
    assertEquals(k.fingerprint(), s.fingerprint());
    assertEquals(T0, k.validityStart(), "whole seconds");
    assertNull(k.validityEnd());
    assertTrue(verifies(k, data, s));
    data[3] ^= 1;
    assertFalse(verifies(k, data, s), "another message does not verify");
    assertEquals(List.of(k.fingerprint()), fingerprints(keys.publicKeys(A, null, null)));
  }

  @Test
  void rotationKeepsOldKeysWithTheirValidityAndOldSignaturesVerify() throws Exception {
    byte[] data = "digest one".getBytes(UTF_8);
    DigestSignature before = keys.sign(A, data);
    PublicKeyInfo first = keys.currentKey(A);
    clock.advance(Duration.ofHours(1));
    PublicKeyInfo second = keys.rotate(A);
    assertNotEquals(first.fingerprint(), second.fingerprint());
    assertEquals(second.fingerprint(), keys.currentKey(A).fingerprint());
    DigestSignature after = keys.sign(A, data);
    assertEquals(second.fingerprint(), after.fingerprint());

    List<PublicKeyInfo> all = keys.publicKeys(A, null, null);
    assertEquals(List.of(first.fingerprint(), second.fingerprint()), fingerprints(all));
    Instant rotated = T0.plus(Duration.ofHours(1));
    assertEquals(T0, all.get(0).validityStart());
    assertEquals(rotated, all.get(0).validityEnd());
    assertEquals(rotated, all.get(1).validityStart());
    assertNull(all.get(1).validityEnd());
    assertArrayEquals(first.value(), all.get(0).value());

    assertTrue(verifies(all.get(0), data, before), "signed before the rotation");
    assertFalse(verifies(all.get(1), data, before));
    assertTrue(verifies(all.get(1), data, after));
    assertTrue(all.get(0).validAt(T0.plusSeconds(60)));
    assertFalse(all.get(0).validAt(rotated.plusSeconds(1)));

    // [from, to] takes every key valid at any moment in it, oldest first
    assertEquals(
        List.of(first.fingerprint()),
        fingerprints(keys.publicKeys(A, T0, T0.plus(Duration.ofMinutes(30)))));
    assertEquals(
        List.of(second.fingerprint()),
        fingerprints(keys.publicKeys(A, rotated.plusSeconds(1), null)));
    assertEquals(
        List.of(first.fingerprint(), second.fingerprint()),
        fingerprints(keys.publicKeys(A, rotated, rotated)));
    assertEquals(List.of(), keys.publicKeys(A, null, T0.minusSeconds(1)));
    assertThrows(
        IllegalArgumentException.class, () -> keys.publicKeys(A, rotated, T0), "from after to");

    clock.advance(Duration.ofDays(1));
    keys.rotate(A);
    assertEquals(3, keys.publicKeys(A, null, null).size(), "old keys stay listed");
  }

  @Test
  void keysSurviveARestart() throws Exception {
    byte[] data = "kept".getBytes(UTF_8);
    keys.sign(A, data);
    clock.advance(Duration.ofMinutes(5));
    keys.rotate(A);
    List<PublicKeyInfo> before = keys.publicKeys(A, null, null);

    AccountSigningKeys again = new AccountSigningKeys(reopen(), paths, clock);
    List<PublicKeyInfo> after = again.publicKeys(A, null, null);
    assertEquals(fingerprints(before), fingerprints(after));
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i).value(), after.get(i).value());
      assertEquals(before.get(i).validityStart(), after.get(i).validityStart());
      assertEquals(before.get(i).validityEnd(), after.get(i).validityEnd());
    }
    DigestSignature s = again.sign(A, data);
    assertEquals(before.get(1).fingerprint(), s.fingerprint());
    assertTrue(verifies(before.get(1), data, s), "the restarted one signs with the same key");
  }

  @Test
  void theKeyFileHoldsThePrivateKeyOnlySealed() throws Exception {
    PublicKeyInfo k = keys.currentKey(A);
    SigningKeyFile.StoredKey stored = SigningKeyFile.read(keyFile(A), A).get(0);
    byte[] pkcs8 =
        SecretCipher.existing(paths.masterKey())
            .open(SigningKeyFile.associatedData(A, k.fingerprint()), stored.sealed(), "test");
    // it is the private key: it makes signatures the public key verifies
    byte[] data = "who holds it".getBytes(UTF_8);
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(Ed25519.privateKey(pkcs8));
    s.update(data);
    assertTrue(verifies(k, data, new DigestSignature(k.fingerprint(), "Ed25519", s.sign())));

    String file = new String(Files.readAllBytes(keyFile(A)), ISO_8859_1);
    byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    for (byte[] secret : List.of(pkcs8, seed)) {
      for (String form :
          List.of(
              new String(secret, ISO_8859_1),
              Base64.getEncoder().encodeToString(secret),
              Base64.getEncoder().withoutPadding().encodeToString(secret),
              HexFormat.of().formatHex(secret))) {
        assertFalse(file.contains(form), "the key file holds the private key in clear");
      }
    }
    assertTrue(file.contains(Base64.getEncoder().encodeToString(k.value())));
    assertFalse(Files.readString(paths.masterKey()).isBlank());
    assertFalse(DurableFiles.openToOthers(keyFile(A)), "owner-only");
  }

  static List<String> fingerprints(List<PublicKeyInfo> keys) {
    return keys.stream().map(PublicKeyInfo::fingerprint).toList();
  }
}
