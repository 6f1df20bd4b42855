package org.opentrail.source.minio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The eventId of an audit entry, the same every time the entry is sent: MinIO's webhook target
 * posts the same encoded entries again after any non-2xx answer or timeout ({@code
 * internal/logger/target/http/http.go}, {@code goto retry}, and its on-disk queue replays them), so
 * a retried entry must be a duplicate that the store drops, not a second event.
 *
 * <p>The id is a UUID of version 8 (RFC 9562, layout of our own), upper case like ActionTrail's:
 * the first 48 bits are the entry's time in Unix milliseconds (ids sort by time, as the recorder's
 * UUIDv7 do), the remaining 74 free bits are the SHA-256 of what identifies the entry: deployment
 * id, time (as sent, with its nanoseconds), trigger, event, API name, bucket, object, objects,
 * request id, node, remote host, access key, status code and the responding node's {@code
 * X-Amz-Id-2}. MinIO gives every request a new request id (the time in nanoseconds, hex) and every
 * internal entry a new time, so two different entries differ in these fields; a resent entry does
 * not.
 */
final class EventIds {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(EventIds::sha256);

  private EventIds() {}

  static String of(AuditEntry e, long epochMillis) {
    MessageDigest md = SHA256.get();
    md.reset();
    put(md, e.deploymentId);
    put(md, e.time);
    put(md, e.trigger);
    put(md, e.event);
    put(md, e.apiName);
    put(md, e.bucket);
    put(md, e.object);
    if (e.objects != null) {
      for (Map<String, Object> o : e.objects) {
        put(md, String.valueOf(o.get("objectName")));
        put(md, String.valueOf(o.get("versionId")));
      }
    }
    put(md, e.requestId);
    put(md, e.requestNode);
    put(md, e.remoteHost);
    put(md, e.accessKey);
    put(md, Integer.toString(e.statusCode));
    put(md, e.responseHeader("X-Amz-Id-2"));
    byte[] h = md.digest();
    long msb =
        (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x8000L | ((h[0] & 0x0FL) << 8) | (h[1] & 0xFFL);
    long lsb = 0;
    for (int i = 2; i < 10; i++) {
      lsb = lsb << 8 | (h[i] & 0xFFL);
    }
    lsb = (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString().toUpperCase(Locale.ROOT);
  }

  /** Adds a field, length first, so that no two different field lists hash alike. */
  private static void put(MessageDigest md, String s) {
    if (s == null) {
      md.update((byte) 0xFF);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update((byte) (b.length >>> 24));
    md.update((byte) (b.length >>> 16));
    md.update((byte) (b.length >>> 8));
    md.update((byte) b.length);
    md.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
