package org.opentrail.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;

/**
 * ListPublicKeys: which time range it asks the keys for (each bound defaulting to now, as
 * CloudTrail's), the answer's shape, bad times refused naming the parameter, and how it is
 * authorized.
 */
class ProofOperationsTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:34:56.789Z");
  static final PublicKeyInfo OLD =
      new PublicKeyInfo(
          "aa".repeat(32),
          "Ed25519",
          new byte[] {1, 2, 3},
          Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-02-01T00:00:00.500Z"));
  static final PublicKeyInfo CURRENT =
      new PublicKeyInfo(
          "bb".repeat(32),
          "Ed25519",
          new byte[] {4, 5},
          Instant.parse("2026-02-01T00:00:00Z"),
          null);

  /** Answers both keys and remembers what it was asked. */
  static final class Keys implements SigningKeys {
    final List<Object[]> asked = new ArrayList<>();

    @Override
    public List<PublicKeyInfo> publicKeys(String accountId, Instant from, Instant to) {
      asked.add(new Object[] {accountId, from, to});
      return List.of(OLD, CURRENT);
    }

    @Override
    public PublicKeyInfo currentKey(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PublicKeyInfo rotate(String accountId) {
      throw new UnsupportedOperationException("never over HTTP");
    }

    @Override
    public DigestSignature sign(String accountId, byte[] data) {
      throw new UnsupportedOperationException();
    }
  }

  final Keys keys = new Keys();
  final List<Operation> ops =
      new ProofOperations(keys, Clock.fixed(NOW, ZoneOffset.UTC)).operations();

  Map<String, Object> call(Map<String, String> params) {
    return DamageAnswersTest.handler(ops, "ListPublicKeys")
        .handle(DamageAnswersTest.request(params));
  }

  @Test
  void withoutTimesItAsksForTheKeySigningNow() {
    call(Map.of());
    assertEquals(1, keys.asked.size());
    assertArrayEquals(new Object[] {DamageAnswersTest.A, NOW, NOW}, keys.asked.get(0));
  }

  @Test
  void timesAreReadAsLookupEventsReadsThemAndOneBoundDefaultsToNow() {
    call(Map.of("StartTime", "2026-01-15T08:00:00+08:00", "EndTime", "2026-02-01T00:00:00Z"));
    call(Map.of("StartTime", "2026-01-15T00:00:00Z"));
    assertArrayEquals(
        new Object[] {
          DamageAnswersTest.A,
          Instant.parse("2026-01-15T00:00:00Z"),
          Instant.parse("2026-02-01T00:00:00Z")
        },
        keys.asked.get(0));
    assertEquals(NOW, keys.asked.get(1)[2]);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAnswerIsCloudTrailsPublicKeyList() {
    Map<String, Object> m = call(Map.of("StartTime", "2026-01-01T00:00:00Z"));
    assertEquals(List.of("PublicKeyList"), List.copyOf(m.keySet()));
    List<Map<String, Object>> list = (List<Map<String, Object>>) m.get("PublicKeyList");
    assertEquals(2, list.size());
    Map<String, Object> old = list.get(0);
    assertEquals(
        List.of("Fingerprint", "Value", "ValidityStartTime", "ValidityEndTime"),
        List.copyOf(old.keySet()));
    assertEquals(OLD.fingerprint(), old.get("Fingerprint"));
    assertArrayEquals(OLD.value(), Base64.getDecoder().decode((String) old.get("Value")));
    assertEquals("2026-01-01T00:00:00Z", old.get("ValidityStartTime"));
    assertEquals("2026-02-01T00:00:00Z", old.get("ValidityEndTime"));
    assertNull(list.get(1).get("ValidityEndTime"), "current");
    assertTrue(list.get(1).containsKey("ValidityEndTime"));
    String json = EventJson.toString(m);
    assertTrue(json.contains("\"ValidityEndTime\":null"), json);
  }

  @Test
  void badTimesAreRefusedNamingTheParameter() {
    for (Map<String, String> bad :
        List.of(
            Map.of("StartTime", "yesterday"),
            Map.of("EndTime", "2026-13-01T00:00:00Z"),
            Map.of("StartTime", "2026-01-01T00:00:00"))) {
      InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> call(bad));
      assertEquals(400, e.httpStatus());
      assertEquals("InvalidParameter", e.code());
      assertEquals(bad.keySet().iterator().next(), e.parameter());
    }
    InvalidParameterException after =
        assertThrows(
            InvalidParameterException.class,
            () -> call(Map.of("StartTime", "2026-03-02T00:00:00Z")));
    assertEquals("StartTime", after.parameter());
    assertTrue(after.getMessage().contains("now"), after.getMessage());
    assertThrows(
        InvalidParameterException.class,
        () -> call(Map.of("StartTime", "2026-02-02T00:00:00Z", "EndTime", "2026-02-01T00:00:00Z")));
    assertTrue(keys.asked.isEmpty(), "nothing asked for a refused call");
  }

  @Test
  void itIsAReadOnTheWholeAccount() {
    Operation op = ops.get(0);
    assertEquals("actiontrail:ListPublicKeys", op.ramAction());
    assertFalse(op.write());
    assertEquals(Set.of("StartTime", "EndTime"), op.parameters());
    assertEquals(
        "acs:actiontrail:cn-test:" + DamageAnswersTest.A + ":*",
        op.resourceArn(DamageAnswersTest.request(Map.of()), "cn-test"));
  }
}
