package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  private static final int INDEX_MAGIC = 0x4F544958;

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
        FileChannel.open(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Journal.fsyncDirectory(dir);
    return new JournalSegment(p, firstSequence, ch);
  }

  /**
   * Opens an existing segment. A sealed segment with a valid sidecar index is trusted; otherwise
   * the blocks are scanned and verified, and anything after the last good block (a torn write from
   * a crash, never acknowledged) is cut off when {@code truncateTornTail} is set.
   */
  static JournalSegment open(
      Path p, boolean sealed, boolean truncateTornTail, ZstdDecompressCtx zstd) throws IOException {
    String name = p.getFileName().toString();
    long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    JournalSegment s = new JournalSegment(p, first, ch);
    if (sealed && s.loadIndex()) {
      s.sealed = true;
      return s;
    }
    s.scan(truncateTornTail);
    if (sealed) {
      s.seal();
    }
    return s;
  }

  private void scan(boolean truncateTornTail) throws IOException {
    long fileSize = channel.size();
    long pos = 0;
    long expected = firstSequence;
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    while (pos + Block.HEADER <= fileSize) {
      hb.clear();
      readFully(hb, pos);
      Block.Header h = Block.readHeader(hb);
      if (h == null || pos + h.totalLength() > fileSize || h.firstSequence() != expected) {
        break;
      }
      byte[] payload = new byte[h.payloadLength()];
      readFully(ByteBuffer.wrap(payload), pos + Block.HEADER);
      if (!Block.verify(hb, payload, h.crc())) {
        break;
      }
      addBlock(h.firstSequence(), h.count(), pos, h.minTime(), h.maxTime(), pos + h.totalLength());
      expected = h.firstSequence() + h.count();
      pos += h.totalLength();
    }
    if (pos < fileSize) {
      if (!truncateTornTail) {
        throw new IOException(
            "journal segment " + path + " is damaged at byte " + pos + " of " + fileSize);
      }
      LOG.warn(
          "Journal segment {}: cutting off {} bytes after the last complete block (a write torn by a crash; it was never acknowledged)",
          path.getFileName(),
          fileSize - pos);
      channel.truncate(pos);
      channel.force(true);
    }
    size = pos;
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
  Block readBlock(BlockTable t, int i, ZstdDecompressCtx zstd) throws IOException {
    long offset = t.offsets[i];
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    readFully(hb, offset);
    Block.Header h = Block.readHeader(hb);
    if (h == null || h.firstSequence() != t.sequences[i]) {
      throw new IOException(
          "journal segment " + path.getFileName() + ": no valid block at byte " + offset);
    }
    byte[] payload = new byte[h.payloadLength()];
    readFully(ByteBuffer.wrap(payload), offset + Block.HEADER);
    if (!Block.verify(hb, payload, h.crc())) {
      throw new IOException(
          "journal segment "
              + path.getFileName()
              + ": checksum mismatch in block at byte "
              + offset);
    }
    return Block.decode(h, payload, zstd);
  }

  private void readFully(ByteBuffer b, long position) throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b, position);
      if (n < 0) {
        throw new IOException("unexpected end of " + path.getFileName() + " at byte " + position);
      }
      position += n;
    }
  }

  /** Makes the segment read-only for good: forces it and writes its sidecar block index. */
  void seal() throws IOException {
    channel.force(true);
    BlockTable t = table;
    ByteBuffer b = ByteBuffer.allocate(40 + t.count * 16).order(ByteOrder.BIG_ENDIAN);
    b.putInt(INDEX_MAGIC)
        .putInt(t.count)
        .putLong(size)
        .putLong(t.minTime)
        .putLong(t.maxTime)
        .putLong(lastSequence);
    for (int i = 0; i < t.count; i++) {
      b.putLong(t.sequences[i]).putLong(t.offsets[i]);
    }
    b.flip();
    Path idx = indexPath();
    Path tmp = idx.resolveSibling(idx.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, idx, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    sealed = true;
  }

  private boolean loadIndex() throws IOException {
    Path idx = indexPath();
    if (!Files.exists(idx)) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(idx)).order(ByteOrder.BIG_ENDIAN);
    if (b.remaining() < 40 || b.getInt() != INDEX_MAGIC) {
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
