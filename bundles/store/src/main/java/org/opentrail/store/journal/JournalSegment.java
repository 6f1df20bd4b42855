package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One journal file: consecutive blocks starting at sequence {@link #firstSequence()}, named after
 * it. The newest segment is appended to; older ones are sealed and never change, and carry a
 * sidecar {@code .idx} file listing their blocks so they open without a scan.
 */
final class JournalSegment implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalSegment.class);
  static final String SUFFIX = ".log";
  private static final String INDEX_SUFFIX = ".idx";
  private static final int INDEX_MAGIC = 0x4F544959; // "OTIY": v2, with a CRC-32C at the end

  /** The blocks of a segment: an immutable view that readers take once and use. */
  record BlockTable(long[] sequences, long[] offsets, int count, long minTime, long maxTime) {
    static final BlockTable EMPTY =
        new BlockTable(new long[0], new long[0], 0, Long.MAX_VALUE, Long.MIN_VALUE);

    /** The block holding {@code sequence}, or -1 if the sequence is before the first block. */
    int find(long sequence) {
      int i = Arrays.binarySearch(sequences, 0, count, sequence);
      return i >= 0 ? i : -i - 2;
    }
  }

  private final Path path;
  private final long firstSequence;
  private final FileChannel channel;
  private volatile BlockTable table = BlockTable.EMPTY;
  private volatile long size;
  private volatile long lastSequence;
  private volatile boolean sealed;

  private JournalSegment(Path path, long firstSequence, FileChannel channel) {
    this.path = path;
    this.firstSequence = firstSequence;
    this.channel = channel;
    this.lastSequence = firstSequence - 1;
  }

  static Path pathFor(Path dir, long firstSequence) {
    return dir.resolve(String.format("%020d%s", firstSequence, SUFFIX));
  }

  /** Creates an empty segment and makes its directory entry durable. */
  static JournalSegment create(Path dir, long firstSequence) throws IOException {
    Path p = pathFor(dir, firstSequence);
    FileChannel ch =
        org.opentrail.internal.durable.DurableFiles.openPrivate(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Journal.fsyncDirectory(dir);
    return new JournalSegment(p, firstSequence, ch);
  }

  /**
   * Bytes of a segment that recovery found damaged: {@code [offset, offset + length)}, holding the
   * sequences from {@code firstLost} up to the next readable block's first sequence minus one
   * ({@code lastLost}), or to an end found later ({@code -1}: the damage runs to the end of the
   * file).
   */
  record Damage(long offset, long length, long firstLost, long lastLost) {}

  /** What opening found besides good blocks. */
  private final java.util.List<Damage> damage = new java.util.ArrayList<>();

  private long tornBytes;

  /**
   * Opens an existing segment. A sealed segment whose sidecar index passes its checksum is trusted
   * (its damage, if any, was recorded before); otherwise every block is read and verified. A
   * checksum failure followed by a readable block, or at or before {@code acknowledgedEnd}, is
   * damage: it is kept in place and reported by {@link #damage()}, never cut. Only bytes after
   * {@code acknowledgedEnd} with nothing readable after them are a torn write (never acknowledged);
   * they are copied aside and cut off.
   *
   * @param trustSidecar whether a sealed segment may be opened through its sidecar index
   * @param acknowledgedEnd bytes of this segment known to be acknowledged (the recovery point), 0
   *     if none are, -1 if that is unknown (no recovery point: a last block that is complete but
   *     fails its checksum is then taken for damage, not for a torn write), {@link Long#MAX_VALUE}
   *     for a sealed segment (nothing in it may be cut)
   */
  static JournalSegment open(Path p, boolean sealed, long acknowledgedEnd, boolean trustSidecar)
      throws IOException {
    String name = p.getFileName().toString();
    long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    JournalSegment s = new JournalSegment(p, first, ch);
    try {
      if (sealed && trustSidecar && s.loadIndex()) {
        s.sealed = true;
        return s;
      }
      s.scan(acknowledgedEnd);
      if (sealed) {
        s.seal();
      }
      return s;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private long acknowledgedEnd;

  private void scan(long acknowledgedEnd) throws IOException {
    this.acknowledgedEnd = acknowledgedEnd;
    long fileSize = channel.size();
    long pos = 0;
    long expected = firstSequence;
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    while (pos < fileSize) {
      Block.Header h = BlockFiles.validAt(channel, path, pos, fileSize);
      if (h != null && h.firstSequence() == expected) {
        addBlock(
            h.firstSequence(), h.count(), pos, h.minTime(), h.maxTime(), pos + h.totalLength());
        expected = h.firstSequence() + h.count();
        pos += h.totalLength();
        continue;
      }
      long next = h != null && h.firstSequence() > expected ? pos : resync(pos, expected, fileSize);
      if (next == fileSize) {
        // the damaged block is the last one and its header still says which events it held
        hb.clear();
        readFully(hb, pos);
        Block.Header own = Block.readHeader(hb);
        long ownLast = own.firstSequence() + own.count() - 1;
        if (pos >= acknowledgedEnd && acknowledgedEnd >= 0) {
          next = -1; // a torn last write: handled below
        } else {
          damage.add(new Damage(pos, fileSize - pos, expected, ownLast));
          expected = ownLast + 1;
          pos = fileSize;
          continue;
        }
      }
      if (next >= 0) {
        hb.clear();
        readFully(hb, next);
        long nextFirst = Block.readHeader(hb).firstSequence();
        damage.add(new Damage(pos, next - pos, expected, nextFirst - 1));
        pos = next;
        expected = nextFirst;
        continue;
      }
      if (pos >= acknowledgedEnd) {
        tornBytes = fileSize - pos;
        Path aside = path.resolveSibling(path.getFileName() + ".torn-" + pos);
        copyAside(pos, fileSize - pos, aside);
        LOG.warn(
            "Journal segment {}: cutting off {} bytes after byte {}, the end of what was acknowledged (a write torn by a crash); copied to {}",
            path.getFileName(),
            tornBytes,
            pos,
            aside.getFileName());
        channel.truncate(pos);
        channel.force(true);
      } else {
        damage.add(new Damage(pos, fileSize - pos, expected, -1));
      }
      break;
    }
    size = pos < fileSize && tornBytes == 0 ? fileSize : pos;
  }

  /**
   * Where readable blocks resume after a damaged block at {@code pos} that should have started with
   * sequence {@code expected}; -1 if nowhere; {@code fileSize} if the damaged block is the last
   * one. When the damaged block's header still parses (a flip in its payload or checksum), its own
   * length says where the next block is. Otherwise the bytes are scanned for a block that starts a
   * chain of contiguous blocks running to the end of the file (damaged blocks with intact headers
   * may interrupt it): a lone block-shaped run of bytes inside an event's field is never taken for
   * a block.
   */
  private long resync(long pos, long expected, long fileSize) throws IOException {
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    Block.Header own = plausibleHeaderAt(pos, fileSize, hb);
    if (own != null && own.firstSequence() == expected) {
      long end = pos + own.totalLength();
      if (end == fileSize || chainsToEnd(end, expected + own.count(), fileSize)) {
        return end;
      }
    }
    for (long from = pos + 1; ; ) {
      long c = nextBlock(from, expected);
      if (c < 0) {
        return -1;
      }
      hb.clear();
      readFully(hb, c);
      Block.Header h = Block.readHeader(hb);
      if (chainsToEnd(c + h.totalLength(), h.firstSequence() + h.count(), fileSize)) {
        return c;
      }
      from = c + 1;
    }
  }

  /** A header at {@code pos} that parses and fits in the file (its checksum unchecked), or null. */
  private Block.Header plausibleHeaderAt(long pos, long fileSize, ByteBuffer hb)
      throws IOException {
    if (pos + Block.HEADER > fileSize) {
      return null;
    }
    hb.clear();
    readFully(hb, pos);
    Block.Header h = Block.readHeader(hb);
    return h != null && h.payloadLength() <= Block.MAX_RAW && pos + h.totalLength() <= fileSize
        ? h
        : null;
  }

  /**
   * True if blocks with contiguous sequences, starting with {@code expected} at {@code pos}, run
   * exactly to the end of the file (blocks whose checksum fails but whose header parses count), or
   * to a torn write after the end of what was acknowledged.
   */
  private boolean chainsToEnd(long pos, long expected, long fileSize) throws IOException {
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    while (pos < fileSize) {
      Block.Header h = plausibleHeaderAt(pos, fileSize, hb);
      if (h == null || h.firstSequence() != expected) {
        return pos >= acknowledgedEnd;
      }
      pos += h.totalLength();
      expected += h.count();
    }
    return pos == fileSize;
  }

  /**
   * The offset of the next readable block at or after {@code from} whose first sequence is at least
   * {@code expected}, or -1: scans for the block magic and verifies each candidate.
   */
  private long nextBlock(long from, long expected) throws IOException {
    long fileSize = channel.size();
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    for (long base = from; base + Block.HEADER <= fileSize; base += chunk.capacity() - 3) {
      chunk.clear();
      long want = Math.min(chunk.capacity(), fileSize - base);
      chunk.limit((int) want);
      readFully(chunk, base);
      for (int i = 0; i + 4 <= want; i++) {
        if (chunk.getInt(i) == Block.MAGIC) {
          Block.Header h = BlockFiles.validAt(channel, path, base + i, fileSize);
          if (h != null && h.firstSequence() >= expected) {
            return base + i;
          }
        }
      }
      if (want < chunk.capacity()) {
        break;
      }
    }
    return -1;
  }

  /** Copies {@code length} bytes from {@code offset} to a new file {@code target}. */
  void copyAside(long offset, long length, Path target) throws IOException {
    BlockFiles.copyAside(channel, offset, length, target);
  }

  /** Damage that opening found (empty for a trusted sealed segment). */
  java.util.List<Damage> damage() {
    return damage;
  }

  /** True if bytes after the last readable block are damaged: nothing may be appended here. */
  boolean damagedTail() {
    return !damage.isEmpty() && damage.get(damage.size() - 1).lastLost() < 0;
  }

  /**
   * Records a block appended at {@code offset}, once it is durable; {@code end} is the new size.
   */
  void addBlock(long first, int count, long offset, long minTime, long maxTime, long end) {
    BlockTable t = table;
    long[] seqs = t.sequences;
    long[] offs = t.offsets;
    // the arrays are shared with the tables readers hold (they read only below their count), never
    // with another segment: the empty table has none to share
    if (t.count == seqs.length) {
      seqs = Arrays.copyOf(seqs, Math.max(16, seqs.length * 2));
      offs = Arrays.copyOf(offs, Math.max(16, offs.length * 2));
    }
    seqs[t.count] = first;
    offs[t.count] = offset;
    table =
        new BlockTable(
            seqs, offs, t.count + 1, Math.min(t.minTime, minTime), Math.max(t.maxTime, maxTime));
    lastSequence = first + count - 1;
    size = end;
  }

  /** Writes {@code data} at the end of the file; the caller forces it before publishing blocks. */
  void write(ByteBuffer data, long position) throws IOException {
    while (data.hasRemaining()) {
      position += channel.write(data, position);
    }
  }

  void force() throws IOException {
    channel.force(false);
  }

  /** Cuts the file back to its last published size, after a failed write. */
  void truncateToSize() throws IOException {
    channel.truncate(size);
  }

  /** Reads and verifies block {@code i} of {@code t}. */
  Block readBlock(BlockTable t, int i, ZstdDecompressCtx zstd, Dictionaries dictionaries)
      throws IOException {
    long offset = t.offsets[i];
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    readFully(hb, offset);
    Block.Header h = Block.readHeader(hb);
    long extent = (i + 1 < t.count ? t.offsets[i + 1] : size) - offset;
    if (h == null
        || h.firstSequence() != t.sequences[i]
        || h.payloadLength() > Block.MAX_RAW
        || offset + h.totalLength() > size) {
      throw new DamagedBlockException("no valid block header", offset, extent);
    }
    byte[] payload = new byte[h.payloadLength()];
    readFully(ByteBuffer.wrap(payload), offset + Block.HEADER);
    if (!Block.verify(hb, payload, h.crc())) {
      throw new DamagedBlockException("checksum mismatch", offset, extent);
    }
    try {
      return Block.decode(h, payload, zstd, dictionaries);
    } catch (DictionaryUnavailableException e) {
      throw e; // the block is intact: not damage
    } catch (RuntimeException | IOException e) {
      throw new DamagedBlockException(
          "block does not decompress: " + e.getMessage(), offset, extent);
    }
  }

  /**
   * Reads only record {@code sequence} of block {@code i} of {@code t}, when that block holds
   * records compressed one by one: its frame table (from {@code tables}, or read once from the
   * block's first bytes), then the record's frame, which its own checksum verifies. {@code null} if
   * the block is of another kind or anything does not add up: the caller then reads and verifies
   * the whole block (which also reports damage).
   */
  byte[] readRecord(
      BlockTable t,
      int i,
      long sequence,
      Dictionaries dictionaries,
      BoundedCache<Block.FrameTable> tables)
      throws IOException {
    long first = t.sequences[i];
    long offset = t.offsets[i];
    long extent = (i + 1 < t.count ? t.offsets[i + 1] : size) - offset;
    int k = (int) (sequence - first);
    Block.FrameTable ft = tables.get(first);
    byte[] all = null;
    if (ft == null) {
      // the first read of a block checks its CRC whole, as the block path does, so that both
      // paths agree on what is damaged; later reads rely on each frame's own checksum
      if (k < 0 || extent < Block.HEADER || extent > Block.HEADER + (long) Block.MAX_RAW) {
        return null;
      }
      all = new byte[(int) extent];
      readFully(ByteBuffer.wrap(all), offset);
      ByteBuffer head = ByteBuffer.wrap(all);
      Block.Header h = Block.readHeader(head);
      if (h == null || h.firstSequence() != first || h.totalLength() > extent) {
        return null;
      }
      if (h.codec() != Block.ZSTD_DICT) {
        tables.put(first, Block.FrameTable.WHOLE); // compressed whole: read it whole from now on
        return null;
      }
      byte[] payload = java.util.Arrays.copyOfRange(all, Block.HEADER, (int) h.totalLength());
      if (!Block.verify(head, payload, h.crc())) {
        return null; // the block path reports the damage
      }
      ft = Block.frameTable(head, first, extent);
      if (ft == null) {
        return null;
      }
      tables.put(first, ft);
    }
    if (ft == Block.FrameTable.WHOLE || k < 0 || k + 1 >= ft.starts().length) {
      return null;
    }
    int from = ft.starts()[k];
    byte[] frame;
    if (all != null) {
      frame = java.util.Arrays.copyOfRange(all, from, ft.starts()[k + 1]); // read just now
    } else {
      frame = new byte[ft.starts()[k + 1] - from];
      readFully(ByteBuffer.wrap(frame), offset + from);
    }
    return Block.checkedRecord(frame, dictionaries.decompressor(ft.dictionaryId()));
  }

  private void readFully(ByteBuffer b, long position) throws IOException {
    BlockFiles.readFully(channel, path, b, position);
  }

  /** Makes the segment read-only for good: forces it and writes its sidecar block index. */
  void seal() throws IOException {
    channel.force(true);
    BlockTable t = table;
    ByteBuffer b = ByteBuffer.allocate(44 + t.count * 16).order(ByteOrder.BIG_ENDIAN);
    b.putInt(INDEX_MAGIC)
        .putInt(t.count)
        .putLong(size)
        .putLong(t.minTime)
        .putLong(t.maxTime)
        .putLong(lastSequence);
    for (int i = 0; i < t.count; i++) {
      b.putLong(t.sequences[i]).putLong(t.offsets[i]);
    }
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    b.flip();
    org.opentrail.internal.durable.DurableFiles.write(indexPath(), b.array());
    sealed = true;
  }

  private boolean loadIndex() throws IOException {
    Path idx = indexPath();
    if (!Files.exists(idx)) {
      return false;
    }
    byte[] all = Files.readAllBytes(idx);
    if (all.length < 44) {
      return false;
    }
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(all, 0, all.length - 4);
    ByteBuffer b = ByteBuffer.wrap(all, 0, all.length - 4).order(ByteOrder.BIG_ENDIAN);
    if (ByteBuffer.wrap(all).getInt(all.length - 4) != (int) crc.getValue()
        || b.getInt() != INDEX_MAGIC) {
      LOG.warn(
          "Journal segment {}: its block index {} is damaged or old; reading the segment",
          path.getFileName(),
          idx.getFileName());
      return false;
    }
    int count = b.getInt();
    long expectedSize = b.getLong();
    long minTime = b.getLong();
    long maxTime = b.getLong();
    long last = b.getLong();
    if (count < 0 || b.remaining() != count * 16L || channel.size() != expectedSize) {
      return false;
    }
    long[] seqs = new long[Math.max(16, count)];
    long[] offs = new long[Math.max(16, count)];
    for (int i = 0; i < count; i++) {
      seqs[i] = b.getLong();
      offs[i] = b.getLong();
    }
    table = new BlockTable(seqs, offs, count, minTime, maxTime);
    lastSequence = last;
    size = expectedSize;
    return true;
  }

  private Path indexPath() {
    String n = path.getFileName().toString();
    return path.resolveSibling(n.substring(0, n.length() - SUFFIX.length()) + INDEX_SUFFIX);
  }

  long firstSequence() {
    return firstSequence;
  }

  long lastSequence() {
    return lastSequence;
  }

  boolean isEmpty() {
    return lastSequence < firstSequence;
  }

  long size() {
    return size;
  }

  BlockTable table() {
    return table;
  }

  boolean sealed() {
    return sealed;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Closes and removes the segment's files. */
  void delete() throws IOException {
    close();
    Files.deleteIfExists(indexPath());
    Files.deleteIfExists(path);
  }
}
