package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events restored into damaged ranges, at their original sequence numbers: {@code repaired.blocks}
 * beside the journal, in the journal's block format (one block per run of consecutive restored
 * sequences), appended and forced. Reads of a damaged sequence look here first, so cursors,
 * NextTokens and the index (which still knows the event's sequence) stay right.
 */
final class RepairLog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RepairLog.class);
  static final String FILE = "repaired.blocks";

  /** A restored block: where it is and the sequences it holds. */
  private record Entry(long offset, long first, long last) {}

  private final Path path;
  private final FileChannel channel;
  private final ConcurrentSkipListMap<Long, Entry> blocks = new ConcurrentSkipListMap<>();
  private long size;

  RepairLog(Path dir) throws IOException {
    this.path = dir.resolve(FILE);
    this.channel =
        org.opentrail.internal.durable.DurableFiles.openPrivate(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long fileSize = channel.size();
    long pos = 0;
    while (pos < fileSize) {
      Block.Header h = BlockFiles.validAt(channel, path, pos, fileSize);
      if (h != null) {
        blocks.put(
            h.firstSequence(),
            new Entry(pos, h.firstSequence(), h.firstSequence() + h.count() - 1));
        pos += h.totalLength();
        continue;
      }
      // damaged bytes: keep every readable repair after them, copy them aside, never cut
      long next = pos + 1;
      while (next < fileSize && BlockFiles.validAt(channel, path, next, fileSize) == null) {
        next++;
      }
      Path aside = path.resolveSibling(FILE + ".damaged-" + pos);
      BlockFiles.copyAside(channel, pos, next - pos, aside);
      LOG.error(
          "{}: {} bytes at byte {} are damaged; the repairs in them are not used (copied to {};"
              + " run store:repair again to restore those events)",
          path,
          next - pos,
          pos,
          aside.getFileName());
      pos = next;
    }
    size = fileSize;
  }

  /**
   * Reads every restored block again; one that no longer passes its checksum is forgotten (its
   * events count as damaged again) and its bytes copied aside. Answers how many were forgotten.
   */
  int verify() throws IOException {
    int bad = 0;
    for (Entry e : List.copyOf(blocks.values())) {
      ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
      readFully(hb, e.offset());
      Block.Header h = Block.readHeader(hb);
      if (h == null || BlockFiles.validAt(channel, path, e.offset(), channel.size()) == null) {
        blocks.remove(e.first());
        bad++;
        LOG.error(
            "{}: the restored events {}-{} at byte {} are damaged; run store:repair again",
            path,
            e.first(),
            e.last(),
            e.offset());
      }
    }
    return bad;
  }

  /** How many sequences in [{@code first}, {@code last}] were restored. */
  long countIn(long first, long last) {
    long n = 0;
    Map.Entry<Long, Entry> floor = blocks.floorEntry(first);
    Long from = floor != null ? floor.getKey() : first;
    for (Entry e : blocks.subMap(from, true, last, true).values()) {
      long a = Math.max(first, e.first());
      long b = Math.min(last, e.last());
      if (a <= b) {
        n += b - a + 1;
      }
    }
    return n;
  }

  /** True if {@code sequence} was restored. */
  boolean holds(long sequence) {
    Map.Entry<Long, Entry> e = blocks.floorEntry(sequence);
    return e != null && sequence <= e.getValue().last();
  }

  /** The first restored sequence in [{@code from}, {@code to}], or -1. */
  long nextRestored(long from, long to) {
    if (holds(from)) {
      return from;
    }
    Long k = blocks.ceilingKey(from);
    return k != null && k <= to ? k : -1;
  }

  /** The restored block holding {@code sequence}, or {@code null}. */
  Block read(long sequence, ZstdDecompressCtx zstd) throws IOException {
    Map.Entry<Long, Entry> e = blocks.floorEntry(sequence);
    if (e == null || sequence > e.getValue().last()) {
      return null;
    }
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    readFully(hb, e.getValue().offset());
    Block.Header h = Block.readHeader(hb);
    byte[] payload = new byte[h.payloadLength()];
    readFully(ByteBuffer.wrap(payload), e.getValue().offset() + Block.HEADER);
    if (!Block.verify(hb, payload, h.crc())) {
      throw new IOException(
          path + ": restored block at byte " + e.getValue().offset() + " is damaged");
    }
    return Block.decode(h, payload, zstd, null); // repaired blocks are never codec 2
  }

  /**
   * Appends restored events, each at its sequence ({@code sequences} ascending, {@code records}
   * their encoded journal records), and forces them to disk.
   */
  synchronized void append(long[] sequences, List<byte[]> records) throws IOException {
    int i = 0;
    long start = size;
    java.util.List<Entry> added = new java.util.ArrayList<>();
    while (i < sequences.length) {
      int j = i;
      int rawLength = records.get(i).length;
      while (j + 1 < sequences.length && sequences[j + 1] == sequences[j] + 1) {
        j++;
        rawLength += records.get(j).length;
      }
      byte[] raw = new byte[rawLength];
      int p = 0;
      long minT = Long.MAX_VALUE;
      long maxT = Long.MIN_VALUE;
      for (int k = i; k <= j; k++) {
        byte[] r = records.get(k);
        System.arraycopy(r, 0, raw, p, r.length);
        p += r.length;
        long t = JournalRecord.decode(r, 0).timeMillis();
        minT = Math.min(minT, t);
        maxT = Math.max(maxT, t);
      }
      ByteBuffer out = ByteBuffer.allocate(Block.maxEncodedLength(rawLength));
      Block.encode(out, sequences[i], j - i + 1, raw, rawLength, minT, maxT, null, null);
      out.flip();
      long at = size;
      while (out.hasRemaining()) {
        at += channel.write(out, at);
      }
      added.add(new Entry(size, sequences[i], sequences[j]));
      size = at;
      i = j + 1;
    }
    try {
      channel.force(true);
    } catch (IOException e) {
      channel.truncate(start);
      size = start;
      throw e;
    }
    for (Entry e : added) {
      blocks.put(e.first(), e);
    }
  }

  private void readFully(ByteBuffer b, long position) throws IOException {
    BlockFiles.readFully(channel, path, b, position);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
