package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A block of consecutive journal records, compressed together. On disk a block is a fixed header
 * followed by its payload:
 *
 * <pre>
 *  0 int  magic "OTB1"        28 byte codec (0 none, 1 zstd)
 *  4 int  payload length      32 long min eventTime
 *  8 int  CRC-32C of 12..end  40 long max eventTime
 * 12 long first sequence      48 payload
 * 20 int  record count
 * 24 int  uncompressed length
 * </pre>
 *
 * The checksum covers the header after itself and the payload, so a torn or corrupt block is
 * recognised and never read as events.
 */
public final class Block {
  public static final int HEADER = 48;
  static final int MAGIC = 0x4F544231;
  static final byte NONE = 0;
  static final byte ZSTD = 1;

  /** Largest uncompressed block accepted when reading (a bound against corrupt headers). */
  static final int MAX_RAW = 64 << 20;

  private final long firstSequence;
  private final int count;
  private final byte[] raw;
  private final int[] offsets;

  /** A block of {@code count} encoded records in {@code raw}, as written (not read back). */
  Block(long firstSequence, int count, byte[] raw) {
    this.firstSequence = firstSequence;
    this.count = count;
    this.raw = raw;
    this.offsets = new int[count];
    int p = 0;
    for (int i = 0; i < count; i++) {
      offsets[i] = p;
      p += JournalRecord.encodedLength(raw, p);
    }
    if (p != raw.length) {
      throw new IllegalStateException("block records do not fill the block");
    }
  }

  public long firstSequence() {
    return firstSequence;
  }

  public long lastSequence() {
    return firstSequence + count - 1;
  }

  public int count() {
    return count;
  }

  /** The record with sequence number {@code sequence}, which must be in this block. */
  public JournalRecord record(long sequence) {
    return JournalRecord.decode(raw, offsets[(int) (sequence - firstSequence)]);
  }

  /** The header fields of a block, as read before its payload. */
  record Header(
      int payloadLength,
      int crc,
      long firstSequence,
      int count,
      int rawLength,
      byte codec,
      long minTime,
      long maxTime) {
    long totalLength() {
      return HEADER + (long) payloadLength;
    }
  }

  /** Parses a header; {@code null} if the bytes are not a plausible block header. */
  static Header readHeader(ByteBuffer h) {
    h.order(ByteOrder.BIG_ENDIAN);
    if (h.getInt(0) != MAGIC) {
      return null;
    }
    Header header =
        new Header(
            h.getInt(4),
            h.getInt(8),
            h.getLong(12),
            h.getInt(20),
            h.getInt(24),
            h.get(28),
            h.getLong(32),
            h.getLong(40));
    if (header.payloadLength < 0
        || header.count <= 0
        || header.rawLength < 0
        || header.rawLength > MAX_RAW
        || (header.codec != NONE && header.codec != ZSTD)) {
      return null;
    }
    return header;
  }

  /** True if the checksum matches header and payload. */
  static boolean verify(ByteBuffer header, byte[] payload, int crc) {
    CRC32C c = new CRC32C();
    c.update(header.array(), header.arrayOffset() + 12, HEADER - 12);
    c.update(payload, 0, payload.length);
    return (int) c.getValue() == crc;
  }

  /** Decompresses and indexes a verified block. */
  static Block decode(Header h, byte[] payload, ZstdDecompressCtx zstd) throws IOException {
    byte[] raw;
    if (h.codec == NONE) {
      raw = payload;
    } else {
      raw = new byte[h.rawLength];
      int n = zstd.decompressByteArray(raw, 0, raw.length, payload, 0, payload.length);
      if (n != h.rawLength) {
        throw new IOException("block decompressed to " + n + " bytes, expected " + h.rawLength);
      }
    }
    return new Block(h.firstSequence, h.count, raw);
  }

  /**
   * Writes one block (header and payload) for {@code count} records held in {@code
   * raw[0..rawLength)} into {@code out}, which must have room for {@link #maxEncodedLength}.
   */
  static void encode(
      ByteBuffer out,
      long firstSequence,
      int count,
      byte[] raw,
      int rawLength,
      long minTime,
      long maxTime,
      ZstdCompressCtx zstd,
      byte[] scratch) {
    int start = out.position();
    int payloadLength;
    byte codec;
    byte[] payload;
    if (zstd != null) {
      payloadLength = zstd.compressByteArray(scratch, 0, scratch.length, raw, 0, rawLength);
      codec = ZSTD;
      payload = scratch;
      if (payloadLength >= rawLength) {
        payloadLength = rawLength;
        codec = NONE;
        payload = raw;
      }
    } else {
      payloadLength = rawLength;
      codec = NONE;
      payload = raw;
    }
    out.order(ByteOrder.BIG_ENDIAN);
    out.putInt(MAGIC)
        .putInt(payloadLength)
        .putInt(0)
        .putLong(firstSequence)
        .putInt(count)
        .putInt(rawLength);
    out.put(codec).put((byte) 0).put((byte) 0).put((byte) 0).putLong(minTime).putLong(maxTime);
    out.put(payload, 0, payloadLength);
    CRC32C c = new CRC32C();
    ByteBuffer covered = out.duplicate();
    covered.position(start + 12).limit(start + HEADER + payloadLength);
    c.update(covered);
    out.putInt(start + 8, (int) c.getValue());
  }

  /** Room needed to encode a block of {@code rawLength} bytes. */
  static int maxEncodedLength(int rawLength) {
    return HEADER + (int) com.github.luben.zstd.Zstd.compressBound(rawLength);
  }
}
