package org.opentrail.store.journal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictDecompress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedDeque;
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
 *
 * <p>Codec 2 ({@link #ZSTD_DICT}) compresses each record on its own with a zstd dictionary trained
 * on the stream's own events (about 160 B per 1.2 KB event, smaller than whole 64 KB blocks at
 * level 1), so a lookup decompresses only the records it returns. Its payload is {@code int
 * dictionary id} (see {@link Dictionaries}), {@code count x int} end offsets of the records' frames
 * (relative to the first frame), then the frames: zstd frames without magic number, with their
 * content size and a content checksum, so that one record can be read and checked without reading
 * its whole block. Its uncompressed length is the sum of the records' lengths.
 */
public final class Block {
  public static final int HEADER = 48;
  static final int MAGIC = 0x4F544231;
  static final byte NONE = 0;
  static final byte ZSTD = 1;
  static final byte ZSTD_DICT = 2;

  /** Largest uncompressed block accepted when reading (a bound against corrupt headers). */
  static final int MAX_RAW = 64 << 20;

  private static final ConcurrentLinkedDeque<ZstdDecompressCtx> FRAME_READERS =
      new ConcurrentLinkedDeque<>();

  private final long firstSequence;
  private final int count;
  private final byte[] raw;
  private final int[] offsets;
  private final ZstdDictDecompress dictionary;

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
    this.dictionary = null;
  }

  /** A block of records compressed one by one: {@code frames} from {@code offsets[0]}. */
  private Block(long firstSequence, int count, byte[] frames, int[] ends, ZstdDictDecompress d) {
    this.firstSequence = firstSequence;
    this.count = count;
    this.raw = frames;
    this.offsets = ends;
    this.dictionary = d;
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
    int i = (int) (sequence - firstSequence);
    if (dictionary == null) {
      return JournalRecord.decode(raw, offsets[i]);
    }
    return JournalRecord.decode(frame(i), 0);
  }

  /** SHA-256 of the encoded record {@code sequence}, which must be in this block: its leaf hash. */
  public byte[] leaf(long sequence) {
    int i = (int) (sequence - firstSequence);
    if (dictionary == null) {
      return HashChain.leaf(raw, offsets[i], JournalRecord.encodedLength(raw, offsets[i]));
    }
    return HashChain.leaf(frame(i));
  }

  /** Bytes of the encoded record {@code sequence}, which must be in this block. */
  public int recordLength(long sequence) {
    int i = (int) (sequence - firstSequence);
    return dictionary == null
        ? JournalRecord.encodedLength(raw, offsets[i])
        : (int) Zstd.getFrameContentSize(raw, offsets[i], offsets[i + 1] - offsets[i], true);
  }

  /** Bytes of heap this block holds (for caches). */
  int heapBytes() {
    return 64 + raw.length + 4 * offsets.length;
  }

  /**
   * Decompresses every record of a block of {@link #ZSTD_DICT} records, which reading it did not.
   *
   * @throws IOException if one does not decompress to a whole record
   */
  void checkRecords() throws IOException {
    if (dictionary == null) {
      return;
    }
    for (int i = 0; i < count; i++) {
      try {
        byte[] r = frame(i);
        if (JournalRecord.encodedLength(r, 0) != r.length) {
          throw new IOException("record " + (firstSequence + i) + " has the wrong length");
        }
      } catch (RuntimeException e) {
        throw new IOException("record " + (firstSequence + i) + " does not decompress: " + e);
      }
    }
  }

  /** The decompressed record {@code i} of a block of {@link #ZSTD_DICT} records. */
  private byte[] frame(int i) {
    return decompressFrame(raw, offsets[i], offsets[i + 1] - offsets[i], dictionary);
  }

  private static byte[] decompressFrame(byte[] src, int from, int length, ZstdDictDecompress d) {
    long size = Zstd.getFrameContentSize(src, from, length, true);
    if (size < 0 || size > MAX_RAW) {
      throw new IllegalStateException("record frame without a valid content size: " + size);
    }
    byte[] out = new byte[(int) size];
    ZstdDecompressCtx z = FRAME_READERS.poll();
    if (z == null) {
      z = new ZstdDecompressCtx().setMagicless(true);
    }
    try {
      z.loadDict(d);
      int n = z.decompressByteArray(out, 0, out.length, src, from, length);
      if (n != out.length) {
        throw new IllegalStateException("record frame decompressed to " + n + " of " + size);
      }
    } finally {
      FRAME_READERS.offer(z);
    }
    return out;
  }

  /**
   * Where the records' frames lie in a block of {@link #ZSTD_DICT} records: the dictionary's id
   * and, for record {@code k}, the frame from {@code starts[k]} to {@code starts[k + 1]} (offsets
   * from the block's start). Heap: about 4 bytes per record.
   */
  record FrameTable(int dictionaryId, int[] starts) {
    /** Marks a block compressed whole (or stored as is): it has no frames to read one by one. */
    static final FrameTable WHOLE = new FrameTable(0, new int[0]);

    int heapBytes() {
      return 48 + 4 * starts.length;
    }
  }

  /**
   * The frame table of a block of {@link #ZSTD_DICT} records from its first bytes {@code head}
   * (header, dictionary id, frame table); {@code null} if the block is of another kind, {@code
   * head} is too short, or the figures do not add up within {@code extent} bytes.
   */
  static FrameTable frameTable(ByteBuffer head, long firstSequence, long extent) {
    Header h = readHeader(head);
    if (h == null
        || h.codec != ZSTD_DICT
        || h.firstSequence != firstSequence
        || h.totalLength() > extent
        || head.limit() < HEADER + 4 + 4L * h.count) {
      return null;
    }
    int[] starts = frameStarts(head, HEADER + 4, h.count, h.totalLength());
    return starts == null ? null : new FrameTable(head.getInt(HEADER), starts);
  }

  /**
   * The start of each of the {@code count} frames whose end offsets (relative to the first frame)
   * are the table at {@code tableAt} of {@code b}, and the end of the last, as offsets in {@code
   * b}; {@code null} unless they increase and stay within {@code limit}.
   */
  private static int[] frameStarts(ByteBuffer b, int tableAt, int count, long limit) {
    int framesAt = tableAt + 4 * count;
    int[] starts = new int[count + 1];
    starts[0] = framesAt;
    for (int k = 0; k < count; k++) {
      long end = framesAt + (long) b.getInt(tableAt + 4 * k);
      if (end <= starts[k] || end > limit) {
        return null;
      }
      starts[k + 1] = (int) end;
    }
    return starts;
  }

  /**
   * Decompresses one record's frame read on its own, which must carry a content checksum (zstd
   * verifies it, so the record is checked without its block's CRC); {@code null} if it carries
   * none, does not decompress or is not one whole record.
   */
  static byte[] checkedRecord(byte[] frame, ZstdDictDecompress d) {
    if (frame.length < 5 || (frame[0] & 0x04) == 0) {
      return null; // Frame_Header_Descriptor without Content_Checksum_flag
    }
    try {
      byte[] r = decompressFrame(frame, 0, frame.length, d);
      return JournalRecord.encodedLength(r, 0) == r.length ? r : null;
    } catch (RuntimeException e) {
      return null;
    }
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
        || header.codec < NONE
        || header.codec > ZSTD_DICT) {
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

  /**
   * Decompresses and indexes a verified block ({@code dictionaries} may be null where blocks of
   * {@link #ZSTD_DICT} records cannot occur).
   */
  static Block decode(Header h, byte[] payload, ZstdDecompressCtx zstd, Dictionaries dictionaries)
      throws IOException {
    byte[] raw;
    if (h.codec == ZSTD_DICT) {
      return decodeFrames(h, payload, dictionaries);
    }
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

  private static Block decodeFrames(Header h, byte[] payload, Dictionaries dictionaries)
      throws IOException {
    ByteBuffer p = ByteBuffer.wrap(payload).order(ByteOrder.BIG_ENDIAN);
    int framesAt = 4 + 4 * h.count;
    if (dictionaries == null || payload.length < framesAt) {
      throw new IOException("block of compressed records without its frame table");
    }
    int[] starts = frameStarts(p, 4, h.count, payload.length);
    if (starts == null || starts[h.count] != payload.length) {
      throw new IOException("block's frame table does not match its frames");
    }
    return new Block(
        h.firstSequence, h.count, payload, starts, dictionaries.decompressor(p.getInt(0)));
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
    out.position(start + HEADER);
    out.put(payload, 0, payloadLength);
    seal(out, start, payloadLength, firstSequence, count, rawLength, codec, minTime, maxTime);
  }

  /**
   * Writes one block of {@link #ZSTD_DICT} records into {@code out} (which must have room for
   * {@link #maxRecordsEncodedLength}), each record {@code raw[ends[i-1]..ends[i])} compressed on
   * its own by {@code zstd} (dictionary {@code dictionaryId} loaded, magicless, with content
   * sizes).
   *
   * @return false, and {@code out} unchanged, if that would not be smaller than the records
   */
  static boolean encodeRecords(
      ByteBuffer out,
      long firstSequence,
      int count,
      byte[] raw,
      int[] ends,
      long minTime,
      long maxTime,
      ZstdCompressCtx zstd,
      int dictionaryId) {
    int start = out.position();
    int rawLength = ends[count - 1];
    byte[] a = out.array();
    int payloadAt = out.arrayOffset() + start + HEADER;
    int framesAt = payloadAt + 4 + 4 * count;
    int limit = out.arrayOffset() + out.limit();
    ByteBuffer table = ByteBuffer.wrap(a).order(ByteOrder.BIG_ENDIAN);
    table.putInt(payloadAt, dictionaryId);
    int p = framesAt;
    int from = 0;
    for (int i = 0; i < count; i++) {
      p += zstd.compressByteArray(a, p, limit - p, raw, from, ends[i] - from);
      table.putInt(payloadAt + 4 + 4 * i, p - framesAt);
      from = ends[i];
    }
    int payloadLength = p - payloadAt;
    if (payloadLength >= rawLength) {
      return false;
    }
    out.order(ByteOrder.BIG_ENDIAN);
    seal(out, start, payloadLength, firstSequence, count, rawLength, ZSTD_DICT, minTime, maxTime);
    return true;
  }

  /** Room needed to encode {@code count} records of {@code rawLength} bytes one by one. */
  static int maxRecordsEncodedLength(int rawLength, int count) {
    return HEADER + 4 + 4 * count + (int) Zstd.compressBound(rawLength) + 64 * count;
  }

  /** Writes the header of the block at {@code start} whose payload is in place, and its CRC. */
  private static void seal(
      ByteBuffer out,
      int start,
      int payloadLength,
      long firstSequence,
      int count,
      int rawLength,
      byte codec,
      long minTime,
      long maxTime) {
    out.position(start);
    out.putInt(MAGIC)
        .putInt(payloadLength)
        .putInt(0)
        .putLong(firstSequence)
        .putInt(count)
        .putInt(rawLength);
    out.put(codec).put((byte) 0).put((byte) 0).put((byte) 0).putLong(minTime).putLong(maxTime);
    out.position(start + HEADER + payloadLength);
    CRC32C c = new CRC32C();
    ByteBuffer covered = out.duplicate();
    covered.position(start + 12).limit(start + HEADER + payloadLength);
    c.update(covered);
    out.putInt(start + 8, (int) c.getValue());
  }

  /** Room needed to encode a block of {@code rawLength} bytes. */
  static int maxEncodedLength(int rawLength) {
    return HEADER + (int) Zstd.compressBound(rawLength);
  }
}
