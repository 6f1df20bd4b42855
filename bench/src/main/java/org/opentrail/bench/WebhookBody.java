package org.opentrail.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A webhook body prepared before the clock starts, with the offsets of its 8-character id slots.
 *
 * <p>The sources derive each event's eventId from the entry (Kubernetes: auditID, times, verb, URI,
 * user; MinIO: requestID, time, API, bucket, object, ...), so a body posted twice is stored once:
 * its entries come back as {@code Duplicates}. A run posts far more entries than fit in memory as
 * distinct bodies, so each body of the pool is sent many times, each time with a different
 * <i>generation</i> written as 8 hex digits into its slots (the first group of a Kubernetes
 * auditID, the low half of a MinIO requestID and of its {@code X-Amz-Request-Id}): every entry sent
 * is then a new one. Writing the slots is the client's only work per post besides copying the body
 * into its send buffer.
 */
final class WebhookBody {
  /** What a generator writes where a slot goes; replaced by generation 0 in the prepared bytes. */
  static final String SLOT = "~~~~~~~~";

  private static final byte[] LOWER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  final byte[] bytes;
  final int[] slots;
  final int entries;
  private final byte[] digits;

  private WebhookBody(byte[] bytes, int[] slots, int entries, boolean upperCase) {
    this.bytes = bytes;
    this.slots = slots;
    this.entries = entries;
    this.digits = upperCase ? UPPER : LOWER;
  }

  /**
   * A body from generated text holding {@link #SLOT} wherever the generation goes.
   *
   * @param entries how many audit entries it holds
   */
  static WebhookBody of(String text, int entries, boolean upperCase) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    byte[] slot = SLOT.getBytes(StandardCharsets.US_ASCII);
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i + slot.length <= b.length; i++) {
      if (b[i] == '~' && matches(b, i, slot)) {
        at.add(i);
        i += slot.length - 1;
      }
    }
    int[] slots = at.stream().mapToInt(Integer::intValue).toArray();
    WebhookBody body = new WebhookBody(b, slots, entries, upperCase);
    body.write(b, 0);
    return body;
  }

  private static boolean matches(byte[] hay, int at, byte[] needle) {
    for (int j = 0; j < needle.length; j++) {
      if (hay[at + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }

  /** Copies the body to {@code out} at {@code offset} and writes {@code generation} into it. */
  int copyTo(byte[] out, int offset, long generation) {
    System.arraycopy(bytes, 0, out, offset, bytes.length);
    writeSlots(out, offset, generation);
    return bytes.length;
  }

  private void write(byte[] out, long generation) {
    writeSlots(out, 0, generation);
  }

  private void writeSlots(byte[] out, int offset, long generation) {
    if (generation < 0 || generation > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("generation out of range: " + generation);
    }
    for (int s : slots) {
      int p = offset + s;
      for (int k = 7; k >= 0; k--) {
        out[p + k] = digits[(int) (generation >>> (4 * (7 - k))) & 0xF];
      }
    }
  }

  /** The body with {@code generation} in its slots, as sent. */
  byte[] withGeneration(long generation) {
    byte[] b = bytes.clone();
    write(b, generation);
    return b;
  }
}
