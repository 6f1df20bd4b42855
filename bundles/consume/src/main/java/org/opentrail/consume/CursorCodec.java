package org.opentrail.consume;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opentrail.api.OpenTrailException;

/**
 * Cursors as opaque strings, like Log Service's base64 cursors: {@code base64url(version, account,
 * logstore, sequence, eventTime, HMAC-SHA256)}. The HMAC, under a key only this installation has,
 * makes a cursor unforgeable and unalterable; the account and logstore in it bind it to the one
 * logstore of the one account it was made for, which every pull checks again.
 */
final class CursorCodec {
  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 16;
  private static final int MAX_CURSOR_CHARS = 1024;

  /** What a cursor says: read after {@code sequence}, whose event has {@code timeMillis}. */
  record Cursor(String accountId, String logstore, long sequence, long timeMillis) {}

  private final SecretKeySpec key;

  CursorCodec(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  String encode(Cursor c) {
    byte[] account = c.accountId().getBytes(StandardCharsets.UTF_8);
    byte[] logstore = c.logstore().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 2 + account.length + 2 + logstore.length + 16);
    b.put(VERSION);
    b.putShort((short) account.length).put(account);
    b.putShort((short) logstore.length).put(logstore);
    b.putLong(c.sequence()).putLong(c.timeMillis());
    byte[] body = b.array();
    byte[] mac = mac(body);
    byte[] all = new byte[body.length + MAC_BYTES];
    System.arraycopy(body, 0, all, 0, body.length);
    System.arraycopy(mac, 0, all, body.length, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }

  /**
   * The cursor a string holds, if this installation made it and nobody changed it.
   *
   * @throws OpenTrailException {@code InvalidCursor} (400) otherwise
   */
  Cursor decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      throw invalid("no cursor was given");
    }
    if (cursor.length() > MAX_CURSOR_CHARS) {
      throw invalid("it is too long");
    }
    byte[] all;
    try {
      all = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid("it is not base64");
    }
    if (all.length < 1 + 2 + 2 + 16 + MAC_BYTES) {
      throw invalid("it is too short");
    }
    byte[] body = new byte[all.length - MAC_BYTES];
    System.arraycopy(all, 0, body, 0, body.length);
    byte[] mac = new byte[MAC_BYTES];
    System.arraycopy(all, body.length, mac, 0, MAC_BYTES);
    byte[] expected = java.util.Arrays.copyOf(mac(body), MAC_BYTES);
    if (!MessageDigest.isEqual(expected, mac)) {
      throw invalid("it was not made by this OpenTrail or was altered");
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(body);
      if (b.get() != VERSION) {
        throw invalid("its version is unknown");
      }
      String account = string(b);
      String logstore = string(b);
      long sequence = b.getLong();
      long time = b.getLong();
      if (b.hasRemaining() || sequence < 0) {
        throw invalid("its content is malformed");
      }
      return new Cursor(account, logstore, sequence, time);
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw invalid("its content is malformed");
    }
  }

  private static String string(ByteBuffer b) {
    int n = b.getShort() & 0xffff;
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private byte[] mac(byte[] body) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static OpenTrailException invalid(String why) {
    return new OpenTrailException("InvalidCursor", "The cursor is invalid: " + why + ".", 400);
  }
}
