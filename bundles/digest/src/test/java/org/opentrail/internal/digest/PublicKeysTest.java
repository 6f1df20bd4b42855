package org.opentrail.internal.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.proof.PublicKeyInfo;

class PublicKeysTest {
  static final Instant ROTATED = Instant.parse("2026-11-30T12:00:00Z");
  final RotatingKeys keys = new RotatingKeys(Instant.parse("2026-11-01T00:00:00Z"));

  PublicKeysTest() {
    keys.rotateAt(ROTATED);
  }

  /** The keys as proof:keys --json writes them. */
  String json(String extraTop) {
    StringBuilder b = new StringBuilder("{" + extraTop + "\"PublicKeyList\":[");
    for (PublicKeyInfo k : keys.infos()) {
      b.append(b.charAt(b.length() - 1) == '[' ? "" : ",")
          .append("{\"Fingerprint\":\"")
          .append(k.fingerprint())
          .append("\",\"Value\":\"")
          .append(Base64.getEncoder().encodeToString(k.value()))
          .append("\",\"ValidityStartTime\":\"")
          .append(k.validityStart())
          .append("\",\"ValidityEndTime\":")
          .append(k.validityEnd() == null ? "null" : "\"" + k.validityEnd() + "\"")
          .append("}");
    }
    return b.append("]}").toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsListPublicKeysAnswerWithOrWithoutRequestIdOrAsABareList() {
    for (String doc :
        List.of(
            json(""),
            json("\"RequestId\":\"5A2B\","),
            json("").substring("{\"PublicKeyList\":".length(), json("").length() - 1))) {
      PublicKeys read = PublicKeys.read(utf8(doc));
      PublicKeyInfo old = read.find(keys.infos().get(0).fingerprint()).orElseThrow();
      assertEquals(ROTATED, old.validityEnd(), doc);
      PublicKeyInfo current = read.find(keys.infos().get(1).fingerprint().toUpperCase()).get();
      assertNull(current.validityEnd(), doc);
      assertEquals(ROTATED, current.validityStart(), doc);
    }
  }

  @Test
  void anAbsentEndMeansCurrent() {
    String doc = json("").replace(",\"ValidityEndTime\":null", "");
    assertNull(
        PublicKeys.read(utf8(doc)).find(keys.infos().get(1).fingerprint()).get().validityEnd());
  }

  @Test
  void anythingElseIsRefusedInWords() {
    String good = json("");
    String fp = keys.infos().get(0).fingerprint();
    String otherFp = keys.infos().get(1).fingerprint();
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("not JSON", "{\"PublicKeyList\":");
    bad.put("member 'Keys'", "{\"Keys\":[]}");
    bad.put("member 'Extra'", good.replace("{\"PublicKeyList\"", "{\"Extra\":1,\"PublicKeyList\""));
    bad.put("not ListPublicKeys", "\"a string\"");
    bad.put("no public keys", "{\"PublicKeyList\":[]}");
    bad.put("not an object", "{\"PublicKeyList\":[42]}");
    bad.put("Fingerprint is missing", good.replace("\"Fingerprint\":\"" + fp + "\",", ""));
    bad.put("has the fingerprint", good.replace(fp, otherFp));
    bad.put("not base64", good.replace("\"Value\":\"", "\"Value\":\"!!"));
    bad.put(
        "not an Ed25519 public key",
        good.replaceFirst("\"Value\":\"[^\"]*\"", "\"Value\":\"AAAA\"")
            .replace(fp, DigestDocument.sha256Hex(new byte[3]))); // its own fingerprint
    bad.put("not an ISO-8601 time", good.replace(ROTATED.toString(), "yesterday"));
    bad.put("ends before it starts", good.replaceFirst(ROTATED.toString(), "2020-01-01T00:00:00Z"));
    bad.forEach(
        (says, doc) -> {
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> PublicKeys.read(utf8(doc)), doc);
          assertTrue(e.getMessage().contains(says), says + " <- " + e.getMessage());
        });
  }

  @Test
  void aDigestVerifiesWithItsKeyUnlessThatKeyWasRetiredBeforeItsEnd() {
    PublicKeys pk = PublicKeys.of(keys.infos());
    DigestDocument.Parsed before = digest(ROTATED.minusSeconds(1800));
    DigestDocument.Parsed after = digest(ROTATED.plusSeconds(1800));
    assertTrue(pk.verifies(after)); // signed with the current key, valid from ROTATED
    // a digest is signed after its end: the key current then may have started after that end
    assertTrue(pk.verifies(before));
    PublicKeys onlyOld = PublicKeys.of(List.of(keys.infos().get(0)));
    assertEquals(Finding.KEY, onlyOld.problem("d.json", after).kind());
    assertTrue(onlyOld.problem("d.json", after).detail().contains("not among the 1"));
  }

  DigestDocument.Parsed digest(Instant end) {
    return DigestDocument.parse(
        DigestMaker.make(
                keys,
                "123456789012",
                "stream",
                "x.json",
                end.minusSeconds(3600),
                end,
                3600,
                Map.of(),
                false,
                null,
                Map.of())
            .bytes());
  }
}
