package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.Closeable;
import java.io.IOException;
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
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only journal of one stream: the source of truth and the order of delivery. Appends go
 * through a single {@link JournalWriter} (group commit); reads verify each block's checksum. After
 * a crash the newest segment is scanned and a torn tail, never acknowledged, is cut off.
 */
public final class Journal implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final int MAX_HANDOFF_BLOCKS = 256;

  /** How the journal lays out its files. */
  public record Config(long segmentBytes, int blockBytes, int compressionLevel) {}

  /** A sealed segment's figures, shown to retention. */
  public record SegmentInfo(
      long firstSequence, long lastSequence, long minTime, long maxTime, long bytes) {}

  private final Path dir;
  private final Config config;
  private final ConcurrentSkipListMap<Long, JournalSegment> segments =
      new ConcurrentSkipListMap<>();
  private final ConcurrentLinkedDeque<ZstdDecompressCtx> decompressors =
      new ConcurrentLinkedDeque<>();
  private final BlockCache cache = new BlockCache(256);

  /** Blocks just written, handed to the indexer so it need not read them back (bounded). */
  private final ConcurrentSkipListMap<Long, Block> written = new ConcurrentSkipListMap<>();

  private final JournalWriter writer;
  private volatile long lastSequence;
  private volatile boolean closed;
  private volatile String failure;
  private LocalDate activeDay = today();

  /** Opens (recovering) or creates the journal in {@code dir}; call {@link #start()} to append. */
  public Journal(Path dir, Config config, DuplicateCheck duplicates) throws IOException {
    this.dir = dir;
    this.config = config;
    Files.createDirectories(dir);
    recover();
    this.writer =
        new JournalWriter(this, config, duplicates, dir.getParent().getFileName().toString());
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
    writer.onDurable(r);
  }

  /**
   * Bounds how far appends may run ahead of a consumer (the indexer): when more than {@code maxLag}
   * durable events are not yet consumed, the writer waits before the next group, so
   * acknowledgements slow to the consumer's pace instead of the lag (and what is kept for it)
   * growing without end. {@code 0} means no bound.
   */
  public void backpressure(LongSupplier consumedThrough, long maxLag) {
    writer.backpressure(consumedThrough, maxLag);
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
    checkWritable();
    JournalWriter.Request r = new JournalWriter.Request(events);
    try {
      writer.submit(r).get();
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

  /** Throws unless appends can be made durable. */
  void checkWritable() {
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

  /** The segment to append to: a new one when the current is full or from an earlier day. */
  JournalSegment segmentForAppend() throws IOException {
    JournalSegment active = segments.lastEntry().getValue();
    if (!active.isEmpty()
        && (active.size() >= config.segmentBytes() || !activeDay.equals(today()))) {
      active.seal();
      active = JournalSegment.create(dir, lastSequence + 1);
      segments.put(active.firstSequence(), active);
      activeDay = today();
    }
    return active;
  }

  /** A write or force failed: no more appends until a restart recovers the journal. */
  void failed(IOException e) {
    failure = e.toString();
    LOG.error("Journal {}: write failed; refusing further appends until restart", dir, e);
  }

  /** Everything up to {@code sequence} is durable and readable. */
  void published(long sequence) {
    lastSequence = sequence;
  }

  boolean wantsHandoff() {
    return written.size() < MAX_HANDOFF_BLOCKS;
  }

  void handOff(Block b) {
    written.put(b.firstSequence(), b);
  }

  Path dir() {
    return dir;
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

  /**
   * The block holding {@code sequence} for a reader that goes through the journal in order (the
   * indexer): a block the writer just wrote is handed over without reading it back, and blocks
   * before it are forgotten.
   */
  public Block nextBlock(long sequence) throws IOException {
    Map.Entry<Long, Block> e = written.floorEntry(sequence);
    if (e != null && sequence <= e.getValue().lastSequence()) {
      written.headMap(e.getKey(), true).clear();
      return e.getValue();
    }
    written.headMap(sequence).clear();
    return block(sequence);
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
    // the writer publishes a block's table entry before the segment's last sequence: read them in
    // the opposite order, so a table never older than the last sequence seen is used
    long segmentLast = s.lastSequence();
    JournalSegment.BlockTable t = s.table();
    int i = t.find(sequence);
    if (i < 0 || sequence > segmentLast) {
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
      written.headMap(s.lastSequence(), true).clear();
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
    writer.stop();
    for (JournalSegment s : segments.values()) {
      s.close();
    }
    for (ZstdDecompressCtx z; (z = decompressors.poll()) != null; ) {
      z.close();
    }
  }
}
