package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only journal of one stream: the source of truth and the order of delivery.
 *
 * <p>One writer thread takes every append request waiting, assigns sequence numbers, packs the
 * records into compressed, checksummed blocks, writes them and forces them to disk once (group
 * commit), and only then answers the callers. After a crash the newest segment is scanned and a
 * torn tail, never acknowledged, is cut off.
 */
public final class Journal implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  /** How the journal lays out its files. */
  public record Config(long segmentBytes, int blockBytes, int compressionLevel) {}

  /** A sealed segment's figures, shown to retention. */
  public record SegmentInfo(
      long firstSequence, long lastSequence, long minTime, long maxTime, long bytes) {}

  private final Path dir;
  private final Config config;
  private final DuplicateCheck duplicates;
  private final ConcurrentSkipListMap<Long, JournalSegment> segments =
      new ConcurrentSkipListMap<>();
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedDeque<ZstdDecompressCtx> decompressors =
      new ConcurrentLinkedDeque<>();
  private final BlockCache cache = new BlockCache(256);
  private final Thread writer;
  private volatile Runnable onDurable = () -> {};
  private volatile long lastSequence;
  private volatile boolean closed;
  private volatile String failure;
  private LocalDate activeDay = today();

  // writer-thread state
  private final ZstdCompressCtx compressor;
  private byte[] raw;
  private byte[] scratch;
  private ByteBuffer out = ByteBuffer.allocate(1 << 20);

  private static final class Request {
    final List<PreparedEvent> events;
    final AppendOutcome[] outcomes;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Request(List<PreparedEvent> events) {
      this.events = events;
      this.outcomes = new AppendOutcome[events.size()];
    }
  }

  /** Opens (recovering) or creates the journal in {@code dir}; call {@link #start()} to append. */
  public Journal(Path dir, Config config, DuplicateCheck duplicates) throws IOException {
    this.dir = dir;
    this.config = config;
    this.duplicates = duplicates;
    this.compressor =
        config.compressionLevel() == 0
            ? null
            : new ZstdCompressCtx().setLevel(config.compressionLevel());
    this.raw = new byte[config.blockBytes() + (256 << 10)];
    this.scratch = new byte[Block.maxEncodedLength(raw.length)];
    Files.createDirectories(dir);
    recover();
    this.writer = new Thread(this::writeLoop, "opentrail-journal-" + dir.getParent().getFileName());
    this.writer.setDaemon(true);
  }

  private void recover() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp")) {
          Files.delete(p);
        } else if (n.endsWith(JournalSegment.SUFFIX)) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    ZstdDecompressCtx z = decompressor();
    try {
      for (int i = 0; i < files.size(); i++) {
        boolean newest = i == files.size() - 1;
        JournalSegment s = JournalSegment.open(files.get(i), !newest, newest, z);
        JournalSegment before = segments.isEmpty() ? null : segments.lastEntry().getValue();
        if (before != null && before.lastSequence() + 1 != s.firstSequence()) {
          LOG.error(
              "Journal {}: sequence gap between {} and {}",
              dir,
              before.path().getFileName(),
              s.path().getFileName());
        }
        segments.put(s.firstSequence(), s);
      }
    } finally {
      release(z);
    }
    if (segments.isEmpty()) {
      segments.put(1L, JournalSegment.create(dir, 1));
    }
    lastSequence = segments.lastEntry().getValue().lastSequence();
  }

  /** Starts the writer thread. */
  public void start() {
    writer.start();
  }

  /** Sets what to run each time new events became durable (the indexer's wake-up). */
  public void onDurable(Runnable r) {
    this.onDurable = r;
  }

  /**
   * Appends events and returns once they are durable, one outcome per event.
   *
   * @throws StoreUnavailableException if they could not be made durable
   */
  public AppendOutcome[] append(List<PreparedEvent> events) {
    if (events.isEmpty()) {
      return new AppendOutcome[0];
    }
    checkOpen();
    Request r = new Request(events);
    queue.add(r);
    try {
      r.done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          "Interrupted while waiting for the journal; the events may or may not be stored.", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreUnavailableException s) {
        throw s;
      }
      throw new StoreUnavailableException(
          "The journal could not store the events: " + e.getCause(), e.getCause());
    }
    return r.outcomes;
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreUnavailableException("The event store is closed.");
    }
    if (failure != null) {
      throw new StoreUnavailableException(
          "The journal stopped after a disk error ("
              + failure
              + "); restart OpenTrail to recover it.");
    }
  }

  private void writeLoop() {
    List<Request> group = new ArrayList<>();
    while (true) {
      Request first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        if (closed) {
          break;
        }
        continue;
      }
      group.add(first);
      queue.drainTo(group);
      try {
        if (failure != null) {
          throw new StoreUnavailableException(
              "The journal stopped after a disk error ("
                  + failure
                  + "); restart OpenTrail to recover it.");
        }
        commit(group);
        for (Request r : group) {
          r.done.complete(null);
        }
      } catch (Throwable t) {
        StoreUnavailableException e =
            t instanceof StoreUnavailableException s
                ? s
                : new StoreUnavailableException("The journal could not store the events: " + t, t);
        for (Request r : group) {
          r.done.completeExceptionally(e);
        }
      }
      group.clear();
    }
    for (Request r; (r = queue.poll()) != null; ) {
      r.done.completeExceptionally(new StoreUnavailableException("The event store is closed."));
    }
  }

  private record PendingBlock(long first, int count, int offset, long minTime, long maxTime) {}

  private void commit(List<Request> group) throws IOException {
    long seq = lastSequence + 1;
    out.clear();
    List<PendingBlock> blocks = new ArrayList<>();
    int rawLength = 0;
    int count = 0;
    long blockFirst = seq;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    duplicates.groupStarted();
    try {
      for (Request r : group) {
        for (int i = 0; i < r.events.size(); i++) {
          PreparedEvent e = r.events.get(i);
          long existing = duplicates.existing(e);
          if (existing >= 0) {
            r.outcomes[i] = new AppendOutcome(existing, true);
            continue;
          }
          r.outcomes[i] = new AppendOutcome(seq, false);
          duplicates.accepted(e, seq);
          byte[] enc = e.encoded();
          if (rawLength + enc.length > raw.length) {
            raw = java.util.Arrays.copyOf(raw, rawLength + enc.length + (64 << 10));
            scratch = new byte[Block.maxEncodedLength(raw.length)];
          }
          System.arraycopy(enc, 0, raw, rawLength, enc.length);
          rawLength += enc.length;
          count++;
          minT = Math.min(minT, e.timeMillis());
          maxT = Math.max(maxT, e.timeMillis());
          seq++;
          if (rawLength >= config.blockBytes()) {
            blocks.add(encodeBlock(blockFirst, count, rawLength, minT, maxT));
            blockFirst = seq;
            rawLength = 0;
            count = 0;
            minT = Long.MAX_VALUE;
            maxT = Long.MIN_VALUE;
          }
        }
      }
      if (count > 0) {
        blocks.add(encodeBlock(blockFirst, count, rawLength, minT, maxT));
      }
      if (!blocks.isEmpty()) {
        write(blocks, seq - 1);
      }
    } catch (IOException | RuntimeException e) {
      duplicates.groupFailed();
      throw e;
    } finally {
      duplicates.groupEnded();
    }
  }

  private PendingBlock encodeBlock(long first, int count, int rawLength, long minT, long maxT) {
    int need = Block.maxEncodedLength(rawLength);
    if (out.remaining() < need) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + need));
      out.flip();
      bigger.put(out);
      out = bigger;
    }
    int offset = out.position();
    Block.encode(out, first, count, raw, rawLength, minT, maxT, compressor, scratch);
    return new PendingBlock(first, count, offset, minT, maxT);
  }

  private void write(List<PendingBlock> blocks, long newLast) throws IOException {
    JournalSegment active = segments.lastEntry().getValue();
    if (!active.isEmpty()
        && (active.size() >= config.segmentBytes() || !activeDay.equals(today()))) {
      active.seal();
      active = JournalSegment.create(dir, lastSequence + 1);
      segments.put(active.firstSequence(), active);
      activeDay = today();
    }
    long base = active.size();
    out.flip();
    try {
      active.write(out, base);
      active.force();
    } catch (IOException e) {
      failure = e.toString();
      LOG.error("Journal {}: write failed; refusing further appends until restart", dir, e);
      try {
        active.truncateToSize();
      } catch (IOException t) {
        e.addSuppressed(t);
      }
      throw e;
    }
    for (int i = 0; i < blocks.size(); i++) {
      PendingBlock b = blocks.get(i);
      long end = base + (i + 1 < blocks.size() ? blocks.get(i + 1).offset : out.limit());
      active.addBlock(b.first, b.count, base + b.offset, b.minTime, b.maxTime, end);
    }
    lastSequence = newLast;
    onDurable.run();
  }

  /** The newest durable sequence number (0 if the journal is empty). */
  public long lastSequence() {
    return lastSequence;
  }

  /** The oldest sequence number still in the journal. */
  public long firstSequence() {
    return segments.firstKey();
  }

  /**
   * The block holding {@code sequence}, read from disk and verified; {@code null} if that event was
   * purged or is not durable yet.
   */
  public Block block(long sequence) throws IOException {
    return read(sequence, false);
  }

  /** Like {@link #block} but through a small cache of recently read blocks (for lookups). */
  public Block cachedBlock(long sequence) throws IOException {
    return read(sequence, true);
  }

  private Block read(long sequence, boolean cached) throws IOException {
    if (sequence > lastSequence) {
      return null;
    }
    Map.Entry<Long, JournalSegment> e = segments.floorEntry(sequence);
    if (e == null) {
      return null;
    }
    JournalSegment s = e.getValue();
    JournalSegment.BlockTable t = s.table();
    int i = t.find(sequence);
    if (i < 0 || sequence > s.lastSequence()) {
      return null;
    }
    Block b = cached ? cache.get(t.sequences()[i]) : null;
    if (b != null) {
      return b;
    }
    ZstdDecompressCtx z = decompressor();
    try {
      b = s.readBlock(t, i, z);
    } catch (ClosedChannelException purged) {
      return null;
    } finally {
      release(z);
    }
    if (cached) {
      cache.put(b);
    }
    return b;
  }

  /** Removes the oldest sealed segments as long as {@code purge} says so; answers how many. */
  public int purgeOldest(Predicate<SegmentInfo> purge) throws IOException {
    int n = 0;
    while (segments.size() > 1) {
      JournalSegment s = segments.firstEntry().getValue();
      JournalSegment.BlockTable t = s.table();
      if (!s.sealed()
          || !purge.test(
              new SegmentInfo(
                  s.firstSequence(), s.lastSequence(), t.minTime(), t.maxTime(), s.size()))) {
        break;
      }
      segments.remove(s.firstSequence());
      cache.clear();
      s.delete();
      n++;
    }
    return n;
  }

  /** Every segment's figures, oldest first. */
  public List<SegmentInfo> segments() {
    List<SegmentInfo> list = new ArrayList<>();
    for (JournalSegment s : segments.values()) {
      JournalSegment.BlockTable t = s.table();
      list.add(
          new SegmentInfo(s.firstSequence(), s.lastSequence(), t.minTime(), t.maxTime(), s.size()));
    }
    return list;
  }

  private ZstdDecompressCtx decompressor() {
    ZstdDecompressCtx z = decompressors.poll();
    return z != null ? z : new ZstdDecompressCtx();
  }

  private void release(ZstdDecompressCtx z) {
    if (decompressors.size() < 8) {
      decompressors.push(z);
    } else {
      z.close();
    }
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** Stops the writer after it has answered everything queued, and closes the files. */
  @Override
  public void close() throws IOException {
    closed = true;
    if (writer.isAlive()) {
      try {
        writer.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (JournalSegment s : segments.values()) {
      s.close();
    }
    if (compressor != null) {
      compressor.close();
    }
    for (ZstdDecompressCtx z; (z = decompressors.poll()) != null; ) {
      z.close();
    }
  }
}
