package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.StorageFullException;
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

  /**
   * How the journal lays out its files.
   *
   * @param freeSpaceFloorBytes appends are refused ({@link StorageFullException}) while the file
   *     system has less usable space than this, so the index, cursors and status files can still be
   *     written; 0 turns the check off
   * @param dictionarySamples records sampled to train the zstd dictionary records are compressed
   *     with one by one (after a start without a recent one, and at most once a day at a new
   *     segment); 0 compresses whole blocks only
   */
  public record Config(
      long segmentBytes,
      int blockBytes,
      int compressionLevel,
      long freeSpaceFloorBytes,
      int dictionarySamples) {
    /** Records sampled to train each zstd dictionary, unless configured otherwise. */
    public static final int DICTIONARY_SAMPLES = 20_000;

    public Config(long segmentBytes, int blockBytes, int compressionLevel) {
      this(segmentBytes, blockBytes, compressionLevel, 0);
    }

    public Config(
        long segmentBytes, int blockBytes, int compressionLevel, long freeSpaceFloorBytes) {
      this(segmentBytes, blockBytes, compressionLevel, freeSpaceFloorBytes, DICTIONARY_SAMPLES);
    }
  }

  /** A sealed segment's figures, shown to retention. */
  public record SegmentInfo(
      long firstSequence, long lastSequence, long minTime, long maxTime, long bytes) {}

  private final Path dir;
  private final Config config;
  private final ConcurrentSkipListMap<Long, JournalSegment> segments =
      new ConcurrentSkipListMap<>();
  private final java.util.ArrayDeque<ZstdDecompressCtx> decompressors =
      new java.util.ArrayDeque<>();
  private final BlockCache cache = new BlockCache(32L << 20);

  /** Frame tables of blocks of records compressed one by one (~4 B per event). */
  private final BoundedCache<Block.FrameTable> frameTables =
      new BoundedCache<>(16L << 20, Block.FrameTable::heapBytes);

  /** Records read for lookups, encoded (popular pages are read again and again). */
  private final BoundedCache<byte[]> records = new BoundedCache<>(16L << 20, r -> 32 + r.length);

  private final Dictionaries dictionaries;

  /** Blocks just written, handed to the indexer so it need not read them back (bounded). */
  private final ConcurrentSkipListMap<Long, Block> written = new ConcurrentSkipListMap<>();

  private final JournalWriter writer;
  private final DamageLog damage;
  private final RepairLog repairs;
  private RecoveryPoint recoveryPoint;
  private ChainPoint chainPoint;
  private volatile long lastSequence;

  /** The hash chain after {@link #lastSequence}, published with it. */
  private volatile Chain chain;

  /** Set when the chain was recovered over unreadable records: the next append rolls. */
  private volatile boolean rollOnNextAppend;

  private volatile boolean closed;
  private volatile String storageAlarm;
  private volatile long freeSpaceFloor;
  private volatile long spaceCheckedAt;
  private java.nio.file.FileStore fileStore;
  private long recoveryForcedAt;
  private LocalDate activeDay = today();

  /** Opens (recovering) or creates the journal in {@code dir}; call {@link #start()} to append. */
  public Journal(Path dir, Config config, DuplicateCheck duplicates) throws IOException {
    this(dir, config, duplicates, 0);
  }

  /**
   * Like {@link #Journal(Path, Config, DuplicateCheck)}; {@code knownLast} is the highest sequence
   * something else knows was acknowledged (the index's checkpoint): sequences up to it are never
   * given out again, and those the journal no longer holds are reported as damaged.
   */
  public Journal(Path dir, Config config, DuplicateCheck duplicates, long knownLast)
      throws IOException {
    this.dir = dir;
    this.config = config;
    org.opentrail.internal.durable.DurableFiles.createPrivateDirectories(dir);
    this.freeSpaceFloor = config.freeSpaceFloorBytes();
    this.damage = new DamageLog(dir);
    this.repairs = new RepairLog(dir);
    this.dictionaries = new Dictionaries(dir);
    recover(knownLast);
    this.chain = ChainRecovery.run(this, lastSequence, ChainPoint.read(dir));
    this.chainPoint = ChainPoint.open(dir);
    chainPoint.update(chain.sequence(), chain.value());
    chainPoint.force();
    this.writer =
        new JournalWriter(this, config, duplicates, dir.getParent().getFileName().toString());
  }

  private void recover(long knownLast) throws IOException {
    JournalRecovery.Result r = JournalRecovery.run(dir, damage, knownLast);
    segments.putAll(r.segments());
    lastSequence = r.lastSequence();
    JournalSegment a = segments.lastEntry().getValue();
    recoveryPoint = RecoveryPoint.open(dir, r.point());
    recoveryPoint.update(a.firstSequence(), a.size(), lastSequence);
    recoveryPoint.force();
  }

  /** Records acknowledged events that cannot be read any more, and says so in the log. */
  private void lost(
      long first, long last, String file, long offset, long length, String reason, String aside)
      throws IOException {
    damage.lost(dir, first, last, file, offset, length, reason, aside);
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

  /** Throws unless appends can be made durable: the journal is open and the disk has room. */
  void checkWritable() {
    if (closed) {
      throw new StoreUnavailableException("The event store is closed.");
    }
    String full = storageAlarm;
    if (full != null && System.nanoTime() - spaceCheckedAt < 100_000_000L) {
      throw new StorageFullException(full.substring(full.indexOf(": ") + 2));
    }
  }

  /**
   * Checks the free space of the journal's file system against the floor (called by the writer
   * before each group); raises or clears the storage alarm.
   */
  void checkSpace() throws IOException {
    long floor = freeSpaceFloor;
    if (floor <= 0) {
      return;
    }
    if (fileStore == null) {
      fileStore = Files.getFileStore(dir);
    }
    long usable = fileStore.getUsableSpace();
    spaceCheckedAt = System.nanoTime();
    if (usable < floor) {
      String why =
          String.format(
              "%,d MB free under %s, below free.space.floor.megabytes = %,d of"
                  + " org.opentrail.store; recording resumes by itself when space is freed",
              usable >> 20, dir, floor >> 20);
      if (storageAlarm == null) {
        LOG.error("Journal {}: recording refused ({}): {}", dir, StorageFullException.CODE, why);
      }
      storageAlarm = StorageFullException.CODE + ": " + why;
      throw new StorageFullException(why);
    }
    if (storageAlarm != null) {
      LOG.warn("Journal {}: {} MB free again; recording resumes", dir, usable >> 20);
      storageAlarm = null;
    }
  }

  /**
   * Why appends are refused now, or {@code null}: checked against the floor at most once a second
   * even while nothing is recorded, so the alarm shows before a write is refused.
   */
  public String storageAlarm() {
    if (freeSpaceFloor > 0 && System.nanoTime() - spaceCheckedAt > 1_000_000_000L) {
      try {
        checkSpace();
      } catch (StorageFullException | IOException e) {
        // the alarm is set
      }
    }
    return storageAlarm;
  }

  /** Changes the free-space floor at once (0 turns the check off). */
  public void freeSpaceFloor(long bytes) {
    freeSpaceFloor = bytes;
    if (bytes <= 0 && storageAlarm != null) {
      storageAlarm = null;
      LOG.warn("Journal {}: the free-space floor is off; recording resumes", dir);
    }
    spaceCheckedAt = 0;
  }

  /** The segment to append to: a new one when the current is full or from an earlier day. */
  JournalSegment segmentForAppend() throws IOException {
    JournalSegment active = segments.lastEntry().getValue();
    if (!active.isEmpty()
        && (rollOnNextAppend
            || active.size() >= config.segmentBytes()
            || !activeDay.equals(today()))) {
      boolean restarted = rollOnNextAppend;
      rollOnNextAppend = false;
      active.seal();
      HashChain.writeAnchor(dir, lastSequence, chain.value(), restarted);
      active = JournalSegment.create(dir, lastSequence + 1);
      segments.put(active.firstSequence(), active);
      activeDay = today();
    }
    return active;
  }

  /**
   * A write or force failed: nothing of that group was acknowledged and the segment is cut back to
   * its acknowledged end; the next group tries again (after a full disk, once space returns).
   */
  void failed(IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("No space left") || m.contains("Disk quota")) {
      storageAlarm =
          StorageFullException.CODE
              + ": the disk under "
              + dir
              + " is full; recording resumes when space is freed";
      spaceCheckedAt = System.nanoTime();
      LOG.error("Journal {}: write failed, the disk is full; nothing of it was acknowledged", dir);
    } else {
      LOG.error("Journal {}: write failed; nothing of it was acknowledged", dir, e);
    }
  }

  /** Everything up to {@code sequence} is durable and readable, {@code end} bytes of segment. */
  void published(long sequence, JournalSegment segment, byte[] chainValue) {
    chain = new Chain(sequence, chainValue);
    lastSequence = sequence;
    if (storageAlarm != null && freeSpaceFloor <= 0) {
      LOG.warn("Journal {}: writes succeed again; recording resumes", dir);
      storageAlarm = null; // raised by a failed write; with a floor, checkSpace clears it
    }
    try {
      recoveryPoint.update(segment.firstSequence(), segment.size(), sequence);
      chainPoint.update(sequence, chainValue);
      if (System.nanoTime() - recoveryForcedAt > 1_000_000_000L) {
        recoveryForcedAt = System.nanoTime();
        recoveryPoint.force();
        chainPoint.force();
      }
    } catch (IOException e) {
      LOG.warn("Journal {}: cannot update its recovery point", dir, e);
    }
  }

  /** Forces the recovery point if it changed (the writer calls this when idle). */
  void forceRecoveryPoint() {
    try {
      recoveryForcedAt = System.nanoTime();
      recoveryPoint.force();
      chainPoint.force();
    } catch (IOException e) {
      LOG.warn("Journal {}: cannot force its recovery point", dir, e);
    }
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

  /**
   * A point of the hash chain (docs/PROOF.md section 1).
   *
   * @param sequence the last sequence it covers
   * @param value the chain value after it (32 bytes; do not change)
   */
  public record Chain(long sequence, byte[] value) {}

  /** The hash chain after the newest durable record. */
  public Chain chain() {
    return chain;
  }

  /**
   * Recomputes the chain from {@code from} (or the journal's first anchor if {@code null}) up to
   * {@code to} (at most the newest durable record), comparing it with each segment's anchor.
   */
  public org.opentrail.api.store.ChainCheck checkChain(
      Chain from, long to, java.util.function.Consumer<String> progress) throws IOException {
    return ChainWalker.check(this, from, to, progress);
  }

  /** The stream this journal belongs to: its directory's parent's name. */
  String streamName() {
    return dir.getParent().getFileName().toString();
  }

  /** The chain anchor of the segment starting at {@code first}, or {@code null} if none. */
  HashChain.Anchor chainAnchor(long first) throws IOException {
    return HashChain.readAnchor(dir, first);
  }

  /** The highest sequence the stream's retention removed (0 if none). */
  long purgedThrough() {
    RecoveryPoint rp = recoveryPoint;
    return rp == null ? 0 : rp.purgedThrough();
  }

  void rollOnNextAppend() {
    rollOnNextAppend = true;
  }

  /** The last sequence of the block holding {@code sequence} (the segment's last if unknown). */
  long blockLast(long sequence) {
    Map.Entry<Long, JournalSegment> e = segments.floorEntry(sequence);
    if (e == null) {
      return sequence;
    }
    JournalSegment.BlockTable t = e.getValue().table();
    int i = t.find(sequence);
    return i >= 0 && i + 1 < t.count() ? t.sequences()[i + 1] - 1 : e.getValue().lastSequence();
  }

  boolean isSegmentStart(long sequence) {
    return segments.containsKey(sequence);
  }

  /** The first sequence of the segment after the one holding {@code sequence}, or -1. */
  long nextSegmentStart(long sequence) {
    Long k = segments.higherKey(sequence);
    return k == null ? -1 : k;
  }

  /** The first sequence of the segment holding {@code sequence}. */
  long segmentHolding(long sequence) {
    return segments.floorKey(sequence);
  }

  /** First sequences of the segments, oldest first. */
  List<Long> segmentStarts() {
    return List.copyOf(segments.keySet());
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

  /**
   * The record {@code sequence}, for a lookup: read on its own where its block allows (records
   * compressed one by one, each with its checksum), else through {@link #cachedBlock}. {@code null}
   * if that event was purged or is not durable yet.
   *
   * @throws DamagedEventsException if it cannot be read (see {@link #block})
   */
  public JournalRecord record(long sequence) throws IOException {
    Map.Entry<Long, JournalSegment> e = segments.floorEntry(sequence);
    if (sequence <= lastSequence && e != null && damage.at(sequence) == null) {
      JournalSegment s = e.getValue();
      long segmentLast = s.lastSequence();
      JournalSegment.BlockTable t = s.table();
      int i = t.find(sequence);
      if (i >= 0 && sequence <= segmentLast) {
        try {
          byte[] r = records.get(sequence);
          if (r == null) {
            r = s.readRecord(t, i, sequence, dictionaries, frameTables);
            if (r != null) {
              records.put(sequence, r);
            }
          }
          if (r != null) {
            return JournalRecord.decode(r, 0);
          }
        } catch (ClosedChannelException purged) {
          return null;
        } catch (IOException unreadable) {
          // read the whole block, which says what is damaged
        }
      }
    }
    Block b = read(sequence, true);
    return b == null ? null : b.record(sequence);
  }

  private Block read(long sequence, boolean cached) throws IOException {
    if (sequence > lastSequence) {
      return null;
    }
    DamagedRange known = damage.at(sequence);
    if (known != null) {
      return repaired(sequence, known);
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
    if (sequence > segmentLast) {
      return null;
    }
    if (i < 0) {
      // before the segment's first readable block: damaged bytes whose record was lost
      return repaired(sequence, gap(s, s.firstSequence(), t.sequences()[0] - 1));
    }
    Block b = cached ? cache.get(t.sequences()[i]) : null;
    if (b != null && sequence <= b.lastSequence()) {
      return b;
    }
    ZstdDecompressCtx z = decompressor();
    try {
      b = s.readBlock(t, i, z, dictionaries);
    } catch (ClosedChannelException purged) {
      return null;
    } catch (DamagedBlockException d) {
      long last = i + 1 < t.count() ? t.sequences()[i + 1] - 1 : segmentLast;
      return repaired(sequence, damagedBlock(s, t.sequences()[i], last, d));
    } finally {
      release(z);
    }
    if (sequence > b.lastSequence()) {
      // in no readable block: bytes found damaged before whose record (damage.tsv) was lost
      long last = i + 1 < t.count() ? t.sequences()[i + 1] - 1 : segmentLast;
      return repaired(sequence, gap(s, b.lastSequence() + 1, last));
    }
    if (cached) {
      cache.put(b);
    }
    return b;
  }

  /** Decompresses each record of a block compressed record by record (verify only). */
  private static void checkRecords(Block b, long offset, long extent) throws IOException {
    try {
      b.checkRecords();
    } catch (IOException e) {
      throw new DamagedBlockException(e.getMessage(), offset, extent);
    }
  }

  Dictionaries dictionaries() {
    return dictionaries;
  }

  /**
   * The restored block holding {@code sequence} of a damaged range; else throws, saying where a
   * reader in sequence order goes on.
   */
  private Block repaired(long sequence, DamagedRange range) throws DamagedEventsException {
    if (repairs.holds(sequence)) {
      ZstdDecompressCtx z = decompressor();
      try {
        return repairs.read(sequence, z);
      } catch (IOException e) {
        LOG.error(
            "Journal {}: a restored event {} cannot be read: {}", dir, sequence, e.getMessage());
      } finally {
        release(z);
      }
    }
    long next = repairs.nextRestored(sequence + 1, range.lastSequence());
    throw new DamagedEventsException(
        withRepairs(range), next > 0 ? next : range.lastSequence() + 1);
  }

  /** Records sequences that no readable block of a segment holds (found by a read or a verify). */
  private DamagedRange gap(JournalSegment s, long first, long last) throws IOException {
    synchronized (damage) {
      DamagedRange known = damage.at(first);
      if (known != null) {
        return known;
      }
      lost(
          first,
          last,
          s.path().getFileName().toString(),
          -1,
          0,
          "in no readable block (bytes found damaged before; their record was lost)",
          null);
      return damage.at(first);
    }
  }

  /** A range with the number of its events restored so far. */
  private DamagedRange withRepairs(DamagedRange r) {
    long n = repairs.countIn(r.firstSequence(), r.lastSequence());
    return n == r.repairedEvents()
        ? r
        : new DamagedRange(
            r.firstSequence(),
            r.lastSequence(),
            r.file(),
            r.offset(),
            r.length(),
            r.reason(),
            r.quarantine(),
            r.detectedAt(),
            n);
  }

  /** Records a block found damaged by a read (its bytes are copied aside) and answers its range. */
  private DamagedRange damagedBlock(
      JournalSegment s, long first, long last, DamagedBlockException d) throws IOException {
    synchronized (damage) {
      DamagedRange known = damage.at(first);
      if (known != null) {
        return known;
      }
      String aside = s.path().getFileName() + ".damaged-" + d.offset;
      if (!Files.exists(dir.resolve(aside))) {
        s.copyAside(d.offset, d.length, dir.resolve(aside));
      }
      lost(
          first,
          last,
          s.path().getFileName().toString(),
          d.offset,
          d.length,
          d.getMessage(),
          aside);
      DamagedRange r = damage.at(first);
      return r != null
          ? r
          : new DamagedRange(
              first,
              last,
              s.path().getFileName().toString(),
              d.offset,
              d.length,
              d.getMessage(),
              aside,
              Instant.now(),
              0);
    }
  }

  /** Hears every block of the journal as {@link #verify} reads it. */
  public interface BlockVisitor {
    /** A block that passed its checksum; {@code bytes} on disk. */
    void block(Block block, long bytes) throws IOException;

    /** A range that cannot be read (found now or known before); {@code bytes} on disk, or 0. */
    void damaged(DamagedRange range, long bytes);
  }

  /**
   * Reads every block of every segment from disk (no cache), checks its checksum and records the
   * ones that fail as damaged ranges, copying their bytes aside.
   */
  public void verify(BlockVisitor visitor) throws IOException {
    repairs.verify();
    for (JournalSegment s : segments.values()) {
      long segmentLast = s.lastSequence();
      JournalSegment.BlockTable t = s.table();
      if (t.count() > 0 && t.sequences()[0] > s.firstSequence()) {
        visitor.damaged(withRepairs(gap(s, s.firstSequence(), t.sequences()[0] - 1)), 0);
      }
      for (int i = 0; i < t.count(); i++) {
        long first = t.sequences()[i];
        long last = i + 1 < t.count() ? t.sequences()[i + 1] - 1 : segmentLast;
        long bytes = (i + 1 < t.count() ? t.offsets()[i + 1] : s.size()) - t.offsets()[i];
        DamagedRange known = damage.at(first);
        if (known != null) {
          visitor.damaged(withRepairs(known), bytes);
          continue;
        }
        ZstdDecompressCtx z = decompressor();
        Block b;
        try {
          b = s.readBlock(t, i, z, dictionaries);
          checkRecords(b, t.offsets()[i], bytes);
        } catch (ClosedChannelException purged) {
          break;
        } catch (DamagedBlockException d) {
          visitor.damaged(damagedBlock(s, first, last, d), d.length);
          continue;
        } finally {
          release(z);
        }
        visitor.block(b, bytes);
        if (b.lastSequence() < last) {
          visitor.damaged(withRepairs(gap(s, b.lastSequence() + 1, last)), 0);
        }
      }
    }
    for (DamagedRange r : damaged()) {
      visitor.damaged(r, 0); // found before (at recovery, or lost files): no block to read now
    }
  }

  /**
   * Puts events back into damaged ranges at their original sequences ({@code sequences} ascending,
   * each inside a damaged range and not restored yet; {@code records} their encoded journal
   * records), durably.
   */
  public void restore(long[] sequences, List<byte[]> records) throws IOException {
    repairs.append(sequences, records);
    cache.clear();
  }

  /** True if {@code sequence} is in a damaged range and was restored by a repair. */
  public boolean restored(long sequence) {
    return repairs.holds(sequence);
  }

  /** The damaged ranges of this journal, oldest first. */
  public List<DamagedRange> damaged() {
    return damage.all().stream().map(this::withRepairs).toList();
  }

  /** The damaged range holding {@code sequence}, or {@code null}. */
  public DamagedRange damagedAt(long sequence) {
    DamagedRange r = damage.at(sequence);
    return r == null ? null : withRepairs(r);
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
      frameTables.dropBefore(s.lastSequence() + 1);
      records.dropBefore(s.lastSequence() + 1);
      written.headMap(s.lastSequence(), true).clear();
      s.delete();
      HashChain.deleteAnchor(dir, s.firstSequence());
      n++;
      JournalSegment active = segments.lastEntry().getValue();
      recoveryPoint.purged(s.lastSequence(), active.firstSequence(), active.size(), lastSequence);
      damage.purgedThrough(s.lastSequence());
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
    ZstdDecompressCtx z;
    synchronized (decompressors) {
      z = decompressors.pollFirst();
    }
    return z != null ? z : new ZstdDecompressCtx();
  }

  private void release(ZstdDecompressCtx z) {
    synchronized (decompressors) {
      if (decompressors.size() < 8) {
        decompressors.addFirst(z);
        return;
      }
    }
    z.close();
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** Stops the writer after it has answered everything queued; reads go on until {@link #close}. */
  public void stopWriting() {
    closed = true;
    writer.stop();
  }

  /** Stops the writer after it has answered everything queued, and closes the files. */
  @Override
  public void close() throws IOException {
    closed = true;
    writer.stop();
    if (recoveryPoint != null) {
      recoveryPoint.close();
    }
    if (chainPoint != null) {
      chainPoint.close();
    }
    repairs.close();
    for (JournalSegment s : segments.values()) {
      s.close();
    }
    synchronized (decompressors) {
      for (ZstdDecompressCtx z; (z = decompressors.poll()) != null; ) {
        z.close();
      }
    }
  }
}
