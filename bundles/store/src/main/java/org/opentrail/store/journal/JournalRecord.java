package org.opentrail.store.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One event as the journal keeps it: its eventTime, account, eventId, the attribute values the
 * index needs (so that indexing never parses JSON) and the event's JSON body.
 *
 * <p>Encoding: {@code varint length, int64 time, string account, string eventId, u8 n, n x (u8 key,
 * string value), varint bodyLength, body}, strings as varint length + UTF-8.
 */
public final class JournalRecord {
  /**
   * Attribute keys from here on are not lookup attributes but top-level fields kept so that readers
   * can filter events without parsing their bodies: {@link #KNOWN_FIELDS}, in order.
   */
  public static final int KNOWN_FIELDS_KEY = 100;

  /**
   * The attribute saying a record lists its known fields (an absent one is absent from the event).
   */
  public static final int KNOWN_FIELDS_MARKER = 99;

  public static final java.util.List<String> KNOWN_FIELDS =
      java.util.List.of(
          org.opentrail.api.event.EventFields.EVENT_RW,
          org.opentrail.api.event.EventFields.EVENT_CATEGORY,
          org.opentrail.api.event.EventFields.ACS_REGION);

  private final long timeMillis;
  private final String account;
  private final String eventId;
  private final byte[] attributeKeys;
  private final String[] attributeValues;
  private final byte[] body;
  private final int bodyOffset;
  private final int bodyLength;

  /** Where each attribute value is in {@link #body}'s buffer, for a decoded record (else null). */
  private final int[] valueAt;

  public JournalRecord(
      long timeMillis,
      String account,
      String eventId,
      byte[] attributeKeys,
      String[] attributeValues,
      byte[] body,
      int bodyOffset,
      int bodyLength) {
    if (attributeKeys.length != attributeValues.length || attributeKeys.length > 255) {
      throw new IllegalArgumentException("bad attributes");
    }
    this.timeMillis = timeMillis;
    this.account = account;
    this.eventId = eventId;
    this.attributeKeys = attributeKeys;
    this.attributeValues = attributeValues;
    this.body = body;
    this.bodyOffset = bodyOffset;
    this.bodyLength = bodyLength;
    this.valueAt = null;
  }

  /** A decoded record whose attribute values are decoded from {@code buf} when first asked for. */
  private JournalRecord(
      long timeMillis,
      String account,
      String eventId,
      byte[] attributeKeys,
      int[] valueAt,
      byte[] buf,
      int bodyOffset,
      int bodyLength) {
    this.timeMillis = timeMillis;
    this.account = account;
    this.eventId = eventId;
    this.attributeKeys = attributeKeys;
    this.attributeValues = new String[attributeKeys.length];
    this.valueAt = valueAt;
    this.body = buf;
    this.bodyOffset = bodyOffset;
    this.bodyLength = bodyLength;
  }

  public long timeMillis() {
    return timeMillis;
  }

  public String account() {
    return account;
  }

  public String eventId() {
    return eventId;
  }

  public int attributeCount() {
    return attributeKeys.length;
  }

  /** The ordinal of the {@code LookupKey} of attribute {@code i}. */
  public int attributeKey(int i) {
    return attributeKeys[i];
  }

  public String attributeValue(int i) {
    String v = attributeValues[i];
    if (v == null) {
      v = getString(body, new int[] {valueAt[i]});
      attributeValues[i] = v; // a racing reader decodes an equal string: no harm
    }
    return v;
  }

  /** A copy of the JSON body. */
  public byte[] body() {
    return Arrays.copyOfRange(body, bodyOffset, bodyOffset + bodyLength);
  }

  /** The record encoded, length prefix included. */
  public byte[] encode() {
    byte[] a = account.getBytes(StandardCharsets.UTF_8);
    byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
    byte[][] values = new byte[attributeValues.length][];
    int size = 8 + varintSize(a.length) + a.length + varintSize(id.length) + id.length + 1;
    for (int i = 0; i < values.length; i++) {
      values[i] = attributeValue(i).getBytes(StandardCharsets.UTF_8);
      size += 1 + varintSize(values[i].length) + values[i].length;
    }
    size += varintSize(bodyLength) + bodyLength;
    byte[] out = new byte[varintSize(size) + size];
    int p = putVarint(out, 0, size);
    for (int s = 56; s >= 0; s -= 8) {
      out[p++] = (byte) (timeMillis >>> s);
    }
    p = putBytes(out, p, a, 0, a.length);
    p = putBytes(out, p, id, 0, id.length);
    out[p++] = (byte) values.length;
    for (int i = 0; i < values.length; i++) {
      out[p++] = attributeKeys[i];
      p = putBytes(out, p, values[i], 0, values[i].length);
    }
    p = putBytes(out, p, body, bodyOffset, bodyLength);
    if (p != out.length) {
      throw new IllegalStateException("record size mismatch");
    }
    return out;
  }

  /**
   * Decodes the record at {@code offset} of {@code buf}; the body is shared with {@code buf}, not
   * copied.
   */
  public static JournalRecord decode(byte[] buf, int offset) {
    int[] pos = {offset};
    int size = getVarint(buf, pos);
    int end = pos[0] + size;
    int p = pos[0];
    long time = 0;
    for (int i = 0; i < 8; i++) {
      time = (time << 8) | (buf[p++] & 0xFF);
    }
    pos[0] = p;
    String account = getString(buf, pos);
    String eventId = getString(buf, pos);
    int n = buf[pos[0]++] & 0xFF;
    byte[] keys = new byte[n];
    int[] valueAt = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = buf[pos[0]++];
      valueAt[i] = pos[0];
      int len = getVarint(buf, pos);
      pos[0] += len;
    }
    int bodyLength = getVarint(buf, pos);
    if (pos[0] + bodyLength != end || pos[0] > end) {
      throw new IllegalStateException("corrupt journal record at offset " + offset);
    }
    return new JournalRecord(time, account, eventId, keys, valueAt, buf, pos[0], bodyLength);
  }

  /** The encoded length (prefix included) of the record at {@code offset}. */
  public static int encodedLength(byte[] buf, int offset) {
    int[] pos = {offset};
    int size = getVarint(buf, pos);
    return pos[0] - offset + size;
  }

  private static int putBytes(byte[] out, int p, byte[] b, int off, int len) {
    p = putVarint(out, p, len);
    System.arraycopy(b, off, out, p, len);
    return p + len;
  }

  private static String getString(byte[] buf, int[] pos) {
    int len = getVarint(buf, pos);
    String s = new String(buf, pos[0], len, StandardCharsets.UTF_8);
    pos[0] += len;
    return s;
  }

  static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  static int putVarint(byte[] out, int p, int v) {
    while ((v & ~0x7F) != 0) {
      out[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[p++] = (byte) v;
    return p;
  }

  static int getVarint(byte[] buf, int[] pos) {
    int p = pos[0];
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte b = buf[p++];
      v |= (b & 0x7F) << shift;
      if (b >= 0) {
        pos[0] = p;
        return v;
      }
    }
    throw new IllegalStateException("corrupt varint");
  }
}
