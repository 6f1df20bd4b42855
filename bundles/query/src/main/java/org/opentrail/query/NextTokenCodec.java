package org.opentrail.query;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.store.Position;

/**
 * NextTokens: opaque, tamper-checked and tied to the query that produced them. A token carries the
 * query's fingerprint, the time range of its first page (so later pages search the same range even
 * when the default window would have moved) and the position after which the next page starts,
 * signed with HMAC-SHA256 under a key only this installation has.
 */
final class NextTokenCodec {
  private static final byte VERSION = 1;
  private static final int FINGERPRINT = 16;
  private static final int MAC = 16;
  private static final int LENGTH = 1 + FINGERPRINT + 8 * 4 + MAC;

  /** What a token says. */
  record Token(long startMillis, long endMillis, Position after) {}

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  NextTokenCodec(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a NextToken key has at least 32 bytes");
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  String encode(String fingerprint, Token t) {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put(VERSION).put(hash(fingerprint));
    b.putLong(t.startMillis())
        .putLong(t.endMillis())
        .putLong(t.after().timeMillis())
        .putLong(t.after().sequence());
    b.put(mac(b.array(), LENGTH - MAC));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /**
   * Reads a token given with a query.
   *
   * @throws InvalidParameterException if the token is malformed, was not made here, was altered, or
   *     belongs to a different query
   */
  Token decode(String fingerprint, String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (raw.length != LENGTH || raw[0] != VERSION) {
      throw invalid();
    }
    byte[] expected = mac(raw, LENGTH - MAC);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, LENGTH - MAC, LENGTH))) {
      throw invalid();
    }
    if (!MessageDigest.isEqual(hash(fingerprint), Arrays.copyOfRange(raw, 1, 1 + FINGERPRINT))) {
      throw new InvalidParameterException(
          "NextToken",
          "The NextToken belongs to a different query: repeat the parameters (time range, lookup attributes, direction) of the request that returned it.");
    }
    ByteBuffer b = ByteBuffer.wrap(raw, 1 + FINGERPRINT, 32);
    return new Token(b.getLong(), b.getLong(), new Position(b.getLong(), b.getLong()));
  }

  private static InvalidParameterException invalid() {
    return new InvalidParameterException(
        "NextToken",
        "The NextToken is not valid: use the NextToken of a previous LookupEvents answer unchanged.");
  }

  private byte[] mac(byte[] data, int length) {
    Mac m = macs.get(); // doFinal leaves it ready for the next use, with the same key
    m.update(data, 0, length);
    return Arrays.copyOf(m.doFinal(), MAC);
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hash(String fingerprint) {
    try {
      return Arrays.copyOf(
          MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8)),
          FINGERPRINT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
