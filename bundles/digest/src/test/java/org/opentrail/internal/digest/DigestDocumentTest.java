package org.opentrail.internal.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;

class DigestDocumentTest {
  /** A JDK Ed25519 key pair standing in for the auth bundle's keys. */
  static final class JdkKeys implements SigningKeys {
    KeyPair pair = generate();

    static KeyPair generate() {
      try {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    PublicKeyInfo info() {
      byte[] der = pair.getPublic().getEncoded();
      return new PublicKeyInfo(DigestDocument.sha256Hex(der), "Ed25519", der, Instant.EPOCH, null);
    }

    @Override
    public PublicKeyInfo currentKey(String accountId) {
      return info();
    }

    @Override
    public List<PublicKeyInfo> publicKeys(String accountId, Instant from, Instant to) {
      return List.of(info());
    }

    @Override
    public PublicKeyInfo rotate(String accountId) {
      pair = generate();
      return info();
    }

    @Override
    public DigestSignature sign(String accountId, byte[] data) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(data);
        return new DigestSignature(info().fingerprint(), "Ed25519", s.sign());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static boolean verifies(DigestDocument.Parsed p, byte[] der) throws Exception {
    PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(k);
    s.update(p.signedBytes());
    return s.verify(p.signature());
  }

  final JdkKeys keys = new JdkKeys();

  DigestMaker.Made make(DigestChain.Link previous, Instant end) {
    LinkedHashMap<String, Object> own = new LinkedHashMap<>();
    own.put("stream", "history");
    own.put("startSequence", 1L);
    own.put("endSequence", 0L);
    return DigestMaker.make(
        keys,
        "123456789012",
        "stream",
        DigestMaker.streamPath("history", end),
        end.minusSeconds(3600),
        end,
        3600,
        own,
        false,
        previous,
        Map.of("endSequence", 0L));
  }

  @Test
  void writtenDigestParsesAndVerifiesAndEndsWithItsSignature() throws Exception {
    DigestMaker.Made m = make(null, Instant.parse("2026-11-30T21:00:00Z"));
    String text = new String(m.bytes(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{\"digestVersion\":\"1\",\"kind\":\"stream\""), text);
    assertTrue(text.endsWith("\"}\n"), text);
    DigestDocument.Parsed p = DigestDocument.parse(m.bytes());
    assertTrue(verifies(p, keys.info().value()));
    assertEquals("history", p.text("stream"));
    assertEquals(Instant.parse("2026-11-30T20:00:00Z"), p.time("digestStartTime"));
    assertNull(p.members().get("previousDigest"));
    assertFalse(p.members().containsKey("signature"));
    assertEquals(m.link().sha256(), p.sha256());
    assertArrayEquals(Base64.getDecoder().decode(m.link().signature()), p.signature());
    assertEquals("history/2026/11/30/history_Digest_20261130T210000Z.json", m.link().path());
  }

  @Test
  void everyChangedByteOfTheSignedPartFailsTheSignature() throws Exception {
    byte[] b = make(null, Instant.parse("2026-11-30T21:00:00Z")).bytes();
    int signatureAt = new String(b, StandardCharsets.UTF_8).lastIndexOf(",\"signature\"");
    for (int i = 0; i < signatureAt; i++) {
      byte[] t = b.clone();
      t[i] ^= 0x01;
      try {
        assertFalse(verifies(DigestDocument.parse(t), keys.info().value()), "byte " + i);
      } catch (DigestFormatException expected) {
        // broken JSON is refused as well
      }
    }
  }

  @Test
  void chainLinksNameThePreviousFileAndItsHash() throws Exception {
    DigestMaker.Made first = make(null, Instant.parse("2026-11-30T21:00:00Z"));
    DigestMaker.Made second = make(first.link(), Instant.parse("2026-11-30T22:00:00Z"));
    DigestDocument.Parsed p = DigestDocument.parse(second.bytes());
    assertEquals(first.link().path(), p.text("previousDigest"));
    assertEquals(DigestDocument.sha256Hex(first.bytes()), p.text("previousDigestHash"));
    assertEquals(first.link().signature(), p.text("previousDigestSignature"));
  }

  @Test
  void notADigestIsRefusedInWords() {
    for (String bad :
        List.of(
            "",
            "{}",
            "{\"a\":1,\"signature\":\"!!!\"}",
            "{\"a\":1,\"signature\":\"AAAA\"}x",
            "[1,\"signature\":\"AAAA\"}",
            "{\"a\":,\"signature\":\"AAAA\"}")) {
      DigestFormatException e =
          assertThrows(
              DigestFormatException.class,
              () -> DigestDocument.parse(bad.getBytes(StandardCharsets.UTF_8)),
              bad);
      assertFalse(e.getMessage().isBlank());
    }
  }

  @Test
  void chainStateSurvivesAndDamageIsNeverGuessedOver(@TempDir Path dir) throws Exception {
    DigestChain chain = new DigestChain(dir.resolve("state.json"));
    assertTrue(chain.last().isEmpty());
    DigestMaker.Made m = make(null, Instant.parse("2026-11-30T21:00:00Z"));
    chain.advance(m.link());
    DigestChain.Link back = new DigestChain(dir.resolve("state.json")).last().orElseThrow();
    assertEquals(m.link().path(), back.path());
    assertEquals(m.link().sha256(), back.sha256());
    assertEquals(m.link().endTime(), back.endTime());
    assertEquals(0L, ((Number) back.extra().get("endSequence")).longValue());
    Files.writeString(dir.resolve("state.json"), "{\"path\":\"x\"");
    assertThrows(java.io.IOException.class, chain::last);
  }

  @Test
  void boundariesAreMultiplesOfTheInterval() {
    assertEquals(
        Instant.parse("2026-11-30T21:00:00Z"),
        DigestMaker.nextBoundary(Instant.parse("2026-11-30T20:00:00Z"), 3600));
    assertEquals(
        Instant.parse("2026-11-30T21:00:00Z"),
        DigestMaker.nextBoundary(Instant.parse("2026-11-30T20:59:59.9Z"), 3600));
    assertEquals(
        "AliyunLogs/Actiontrail-Digest/cn-hangzhou/2026/11/30/"
            + "123456789012_Actiontrail-Digest_cn-hangzhou_t1_20261130T210000Z.json",
        DigestMaker.destinationPath(
            "123456789012", "cn-hangzhou", "t1", Instant.parse("2026-11-30T21:00:00Z")));
  }
}
