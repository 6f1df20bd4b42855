package org.opentrail.store.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.BytesRef;
import org.opentrail.api.event.LookupKey;
import org.opentrail.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup index of one stream: a Lucene index per UTC day of eventTime, built from the journal
 * behind the acknowledgement path. A checkpoint file records the journal sequence every partition
 * holds everything up to; after a crash the indexer replays the journal from there.
 */
public final class EventIndex implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EventIndex.class);
  private static final String CHECKPOINT = "checkpoint";
  private static final int LOOKUP_KEYS = LookupKey.values().length;

  private final Path dir;
  private final double ramBufferMb;
  private final NavigableSet<LocalDate> days = new ConcurrentSkipListSet<>();
  private final ConcurrentSkipListMap<LocalDate, IndexPartition> open =
      new ConcurrentSkipListMap<>();
  private volatile long checkpoint;
  private Set<LocalDate> committedDays = Set.of();

  /** Held while the indexer writes and while retention drops partitions. */
  private final java.util.concurrent.locks.ReentrantLock writeLock =
      new java.util.concurrent.locks.ReentrantLock();

  /** Events older than this day are past retention: not indexed, their partitions dropped. */
  private volatile LocalDate firstKeptDay = LocalDate.MIN;

  public EventIndex(Path dir, double ramBufferMb) throws IOException {
    this.dir = dir;
    this.ramBufferMb = ramBufferMb;
    org.opentrail.internal.durable.DurableFiles.createPrivateDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p)) {
          try {
            days.add(LocalDate.parse(p.getFileName().toString()));
          } catch (DateTimeParseException e) {
            LOG.warn("Ignoring {} in the index directory: not a partition", p);
          }
        }
      }
    }
    Path cp = dir.resolve(CHECKPOINT);
    long seq = 0;
    Set<LocalDate> manifest = new TreeSet<>();
    if (Files.exists(cp)) {
      try {
        // decoded leniently: a damaged byte is caught by the checksum, not by the decoder
        List<String> lines =
            new String(Files.readAllBytes(cp), StandardCharsets.UTF_8).lines().toList();
        seq = Long.parseLong(lines.get(0).strip());
        if (lines.size() > 1) { // v2: days and a checksum; v1 was the sequence alone
          String crcLine = lines.get(lines.size() - 1);
          String body = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n";
          if (!crcLine.equals("crc=" + crc(body))) {
            throw new IllegalStateException("checksum mismatch");
          }
        }
        for (String line : lines.subList(1, lines.size())) {
          if (line.startsWith("days=") && line.length() > 5) {
            for (String d : line.substring(5).split(",")) {
              manifest.add(LocalDate.parse(d));
            }
          }
        }
      } catch (RuntimeException e) {
        seq = 0;
        manifest.clear();
        LOG.error(
            "Index checkpoint {} is damaged ({}); the whole journal is indexed again from its start",
            cp,
            e.toString());
      }
    }
    checkpoint = seq;
    addedThrough = seq;
    for (LocalDate day : manifest) {
      if (!days.contains(day)) {
        LOG.error(
            "Index partition {} is missing; it is rebuilt from the journal",
            dir.resolve(day.toString()));
        pendingRebuilds.add(day);
      }
    }
    for (LocalDate day : days) {
      Path p = dir.resolve(day.toString());
      if (Files.exists(p.resolve(REBUILDING))) {
        LOG.warn("Index partition {} was being rebuilt; it is rebuilt again", p);
        pendingRebuilds.add(day);
        continue;
      }
      try (Directory d = new NIOFSDirectory(p)) {
        SegmentInfos.readLatestCommit(d);
      } catch (IOException | RuntimeException e) {
        LOG.error(
            "Index partition {} cannot be read ({}); it is rebuilt from the journal",
            p,
            e.toString());
        pendingRebuilds.add(day);
      }
    }
  }

  /** A partition's directory holds this file while it is being rebuilt. */
  static final String REBUILDING = "REBUILDING";

  /** Days found missing or damaged at open, rebuilt once {@link #startRebuilds} is called. */
  private final Set<LocalDate> pendingRebuilds = new TreeSet<>();

  /** Days being rebuilt now. */
  private final Set<LocalDate> rebuilding = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private volatile PartitionRebuilder rebuilder;

  /** The highest sequence passed to {@link #add} (added, or skipped as already in). */
  private volatile long addedThrough;

  /**
   * Starts rebuilding, from {@code journal}, the partitions found missing or damaged at open; later
   * failures of a partition are rebuilt the same way.
   */
  public void startRebuilds(org.opentrail.store.journal.Journal journal, String name)
      throws IOException {
    rebuilder = new PartitionRebuilder(this, journal, name);
    for (LocalDate day : pendingRebuilds) {
      rebuild(day, checkpoint);
    }
    pendingRebuilds.clear();
    rebuilder.scrub();
  }

  /** Checks every partition's files against their Lucene checksums; rebuilds those that fail. */
  void scrub() {
    long started = System.nanoTime();
    int checked = 0;
    for (LocalDate day : partitionDays()) {
      if (rebuilding.contains(day)) {
        continue;
      }
      Path p = dir.resolve(day.toString());
      try (Directory d = new NIOFSDirectory(p);
          DirectoryReader r = DirectoryReader.open(d)) {
        for (LeafReaderContext leaf : r.leaves()) {
          leaf.reader().checkIntegrity();
        }
        if (r.leaves().size() > 1) {
          fragmented.add(day);
        }
        checked++;
      } catch (org.apache.lucene.index.IndexNotFoundException empty) {
        // a partition created but not committed yet
      } catch (IOException | RuntimeException e) {
        partitionFailed(day, e);
      }
    }
    scrubbed = true;
    LOG.debug(
        "Index scrub: {} partitions checked in {} ms",
        checked,
        (System.nanoTime() - started) / 1_000_000);
  }

  private volatile boolean scrubbed;

  /** Partitions the scrub found in more than one segment (merged when the indexer is idle). */
  private final Set<LocalDate> fragmented = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** True once the scrub after opening has finished. */
  public boolean scrubbed() {
    return scrubbed;
  }

  /**
   * A partition failed to open or to search: drop it and rebuild it from the journal in the
   * background; searches go on over the other partitions meanwhile.
   */
  public void partitionFailed(LocalDate day, Exception e) {
    if (rebuilding.contains(day) || rebuilder == null) {
      return;
    }
    LOG.error(
        "Index partition {} failed ({}); it is rebuilt from the journal",
        dir.resolve(day.toString()),
        e.toString());
    try {
      writeLock.lock();
      try {
        rebuild(day, addedThrough);
      } finally {
        writeLock.unlock();
      }
    } catch (IOException ex) {
      LOG.error("Cannot start rebuilding index partition {}", day, ex);
    }
  }

  /** Replaces a day's partition by an empty one marked as rebuilding and queues its rebuild. */
  private void rebuild(LocalDate day, long through) throws IOException {
    synchronized (this) {
      IndexPartition old = open.remove(day);
      if (old != null) {
        try {
          old.close();
        } catch (IOException | RuntimeException e) {
          LOG.debug("closing a failed partition", e);
        }
      }
      Path p = dir.resolve(day.toString());
      deleteTree(p);
      org.opentrail.internal.durable.DurableFiles.createPrivateDirectories(p);
      Files.createFile(p.resolve(REBUILDING));
      org.opentrail.internal.durable.DurableFiles.syncDirectory(p);
      days.add(day);
      rebuilding.add(day);
    }
    rebuilder.submit(day, through);
  }

  /** Adds a record to a day's partition during its rebuild. */
  void addRebuilt(LocalDate day, JournalRecord r, long sequence) throws IOException {
    writeLock.lock();
    try {
      partition(day, true).addRebuilt(document(r, sequence));
    } finally {
      writeLock.unlock();
    }
  }

  /** Ends a day's rebuild: commits it, removes its marker and makes it visible. */
  void rebuilt(LocalDate day) throws IOException {
    writeLock.lock();
    try {
      IndexPartition p = partition(day, true);
      p.refresh();
      p.forceCommit(addedThrough);
      Files.deleteIfExists(p.dir().resolve(REBUILDING));
      org.opentrail.internal.durable.DurableFiles.syncDirectory(p.dir());
      rebuilding.remove(day);
    } finally {
      writeLock.unlock();
    }
  }

  /** A failed rebuild starts over: an empty partition again, the same sequences. */
  void retryRebuild(LocalDate day, long through) {
    writeLock.lock();
    try {
      rebuilding.remove(day);
      rebuild(day, through);
    } catch (IOException e) {
      LOG.error(
          "Cannot restart rebuilding index partition {}; it is rebuilt at the next start", day, e);
      rebuilding.remove(day);
    } finally {
      writeLock.unlock();
    }
  }

  /** A rebuild stopped by an error: the day stays marked and is rebuilt at the next start. */
  void rebuildFailed(LocalDate day) {
    rebuilding.remove(day);
  }

  /**
   * Checks a day's partition: Lucene's checksums of every file, then counts its documents with a
   * sequence in [{@code fromSequence}, {@code throughSequence}] that {@code counted} accepts.
   *
   * @throws IOException if the partition fails its checksums or cannot be read
   */
  public long verifyPartition(
      LocalDate day,
      long fromSequence,
      long throughSequence,
      java.util.function.LongPredicate counted)
      throws IOException {
    IndexPartition p = partition(day, false);
    if (p == null) {
      return 0;
    }
    IndexSearcher searcher = p.acquire();
    try {
      long n = 0;
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        leaf.reader().checkIntegrity();
        NumericDocValues seq = leaf.reader().getNumericDocValues(IndexFields.SEQUENCE);
        if (seq == null) {
          continue;
        }
        for (int doc = seq.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = seq.nextDoc()) {
          long s = seq.longValue();
          if (s >= fromSequence && s <= throughSequence && counted.test(s)) {
            n++;
          }
        }
      }
      return n;
    } finally {
      p.release(searcher);
    }
  }

  /** The first day retention keeps in the index. */
  public LocalDate firstKeptDay() {
    return firstKeptDay;
  }

  /** Days that have a partition, oldest first (a copy). */
  public List<LocalDate> partitionDays() {
    return new ArrayList<>(days);
  }

  /** True while {@code day}'s partition is being rebuilt. */
  public boolean isRebuilding(LocalDate day) {
    return rebuilding.contains(day);
  }

  /** The days being rebuilt that overlap [from, to], as ISO-8601 intervals. */
  public List<String> rebuilding(long fromMillis, long toMillis) {
    if (rebuilding.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (LocalDate day : new TreeSet<>(rebuilding)) {
      long start = startOf(day);
      if (start <= toMillis && start + 86_400_000L > fromMillis) {
        out.add(day.atStartOfDay() + ":00Z/" + day.plusDays(1).atStartOfDay() + ":00Z");
      }
    }
    return out;
  }

  private static String crc(String body) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(body.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(c.getValue());
  }

  /** Every event up to this journal sequence is durably in the index. */
  public long checkpoint() {
    return checkpoint;
  }

  static LocalDate dayOf(long timeMillis) {
    return LocalDate.ofEpochDay(Math.floorDiv(timeMillis, 86_400_000L));
  }

  static long startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The partition for {@code day}, opened if needed; {@code null} if absent and not created. */
  IndexPartition partition(LocalDate day, boolean create) throws IOException {
    IndexPartition p = open.get(day);
    if (p != null) {
      return p;
    }
    synchronized (this) {
      p = open.get(day);
      if (p == null && (create || days.contains(day))) {
        p = IndexPartition.open(dir.resolve(day.toString()), day, ramBufferMb);
        open.put(day, p);
        days.add(day);
      }
      return p;
    }
  }

  /** Days that have a partition, oldest first. */
  NavigableSet<LocalDate> days() {
    return days;
  }

  /**
   * Adds one journal record (called by the single indexer thread, in sequence order). Records older
   * than retention are skipped: their day would only be dropped again.
   */
  public void add(JournalRecord r, long sequence) throws IOException {
    LocalDate day = dayOf(r.timeMillis());
    addedThrough = sequence;
    if (day.isBefore(firstKeptDay)) {
      return;
    }
    writeLock.lock();
    try {
      IndexPartition p;
      try {
        p = partition(day, true);
      } catch (IOException | RuntimeException e) {
        partitionFailed(day, e); // replaced by an empty partition that is rebuilt
        p = partition(day, true);
      }
      if (sequence <= p.committedSequence()) {
        return; // already in this partition's last commit: a replay after a crash
      }
      try {
        p.add(document(r, sequence), sequence);
      } catch (IOException | RuntimeException e) {
        // the rebuild covers every sequence up to this one, so this event is not lost
        partitionFailed(day, e);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Sets the first day retention keeps; older events are no longer indexed. */
  public void retainFrom(LocalDate day) {
    firstKeptDay = day;
  }

  private static Document document(JournalRecord r, long sequence) {
    Document d = new Document();
    String account = r.account();
    d.add(new Field(IndexFields.ACCOUNT, account, IndexFields.KEYWORD));
    d.add(
        new Field(
            IndexFields.field(LookupKey.EVENT_ID),
            IndexFields.value(account, r.eventId()),
            IndexFields.KEYWORD));
    for (int i = 0; i < r.attributeCount(); i++) {
      if (r.attributeKey(i) >= LOOKUP_KEYS) {
        continue; // fields kept for readers, not looked up
      }
      d.add(
          new Field(
              IndexFields.field(r.attributeKey(i)),
              IndexFields.value(account, r.attributeValue(i)),
              IndexFields.KEYWORD));
    }
    d.add(new NumericDocValuesField(IndexFields.TIME, r.timeMillis()));
    d.add(new NumericDocValuesField(IndexFields.SEQUENCE, sequence));
    return d;
  }

  /** Makes everything added so far visible to searches. */
  public void refresh() throws IOException {
    writeLock.lock();
    try {
      for (IndexPartition p : List.copyOf(open.values())) {
        try {
          p.refresh();
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
          partitionFailed(p.day(), e); // its writer hit a tragic error (e.g. a full disk)
        }
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Merges into one segment one partition of a day that is over and that nothing was added to for
   * {@code quietNanos} (the indexer calls this when it has nothing else to do): a lookup looks its
   * terms up once per segment of every partition it searches. Answers whether it merged one; the
   * caller commits.
   */
  public boolean compactOne(long quietNanos) throws IOException {
    LocalDate today = dayOf(System.currentTimeMillis());
    for (LocalDate day : partitionDays()) {
      if (!day.isBefore(today) || isRebuilding(day)) {
        continue;
      }
      IndexPartition p = open.get(day);
      if (p == null && fragmented.remove(day)) {
        p = partition(day, false); // found in several segments by the scrub after opening
      }
      if (p != null && p.compactable(quietNanos)) {
        try {
          p.compact();
        } catch (org.apache.lucene.store.AlreadyClosedException dropped) {
          continue; // dropped by retention or failed meanwhile
        }
        return true;
      }
    }
    return false;
  }

  /**
   * Makes everything added so far (up to {@code sequence}) durable, then records the checkpoint.
   */
  public void commit(long sequence) throws IOException {
    writeLock.lock();
    try {
      commitLocked(sequence);
    } finally {
      writeLock.unlock();
    }
  }

  private void commitLocked(long sequence) throws IOException {
    for (IndexPartition p : List.copyOf(open.values())) {
      try {
        p.commit(sequence);
      } catch (org.apache.lucene.store.AlreadyClosedException e) {
        partitionFailed(p.day(), e); // rebuilt from the journal, up to this sequence too
      }
    }
    if (sequence != checkpoint || !days.equals(committedDays)) {
      Set<LocalDate> now = new TreeSet<>(days);
      StringBuilder b = new StringBuilder().append(sequence).append("\ndays=");
      String sep = "";
      for (LocalDate d : now) {
        b.append(sep).append(d);
        sep = ",";
      }
      String body = b.append('\n').toString();
      org.opentrail.internal.durable.DurableFiles.write(
          dir.resolve(CHECKPOINT),
          (body + "crc=" + crc(body) + "\n").getBytes(StandardCharsets.UTF_8));
      committedDays = now;
      checkpoint = sequence;
    }
  }

  /**
   * The sequence number of the event with this account and eventId in the partitions of the given
   * days (eventTime and, for time-ordered ids, the id's time), or -1. Reads the leaves directly:
   * the Bloom filter answers most of these with no.
   */
  public long findSequence(String account, String eventId, long timeMillis, long idTimeMillis)
      throws IOException {
    long s = findIn(dayOf(timeMillis), account, eventId);
    if (s < 0 && idTimeMillis >= 0 && !dayOf(idTimeMillis).equals(dayOf(timeMillis))) {
      s = findIn(dayOf(idTimeMillis), account, eventId);
    }
    return s;
  }

  /**
   * Like {@link #findSequence} but in every partition: first the days around {@code hintMillis}
   * (the time in a time-ordered eventId, or -1), then all others, newest first.
   */
  public long findSequenceAnywhere(String account, String eventId, long hintMillis)
      throws IOException {
    if (hintMillis >= 0) {
      LocalDate hint = dayOf(hintMillis);
      for (LocalDate day : List.of(hint, hint.minusDays(1), hint.plusDays(1))) {
        long s = findIn(day, account, eventId);
        if (s >= 0) {
          return s;
        }
      }
    }
    for (LocalDate day : days.descendingSet()) {
      long s = findIn(day, account, eventId);
      if (s >= 0) {
        return s;
      }
    }
    return -1;
  }

  /** True if there is a partition for {@code day}. */
  boolean hasPartition(LocalDate day) {
    return days.contains(day);
  }

  /** Feeds the de-duplication key of every event searches can see in the day's partition. */
  void forEachKey(LocalDate day, java.util.function.Consumer<String> keys) throws IOException {
    IndexPartition p = partition(day, false);
    if (p == null) {
      return;
    }
    IndexSearcher searcher = p.acquire();
    try {
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        Terms terms = leaf.reader().terms(IndexFields.field(LookupKey.EVENT_ID));
        if (terms != null) {
          TermsEnum te = terms.iterator();
          for (BytesRef t = te.next(); t != null; t = te.next()) {
            keys.accept(t.utf8ToString());
          }
        }
      }
    } finally {
      p.release(searcher);
    }
  }

  /** The sequence number of the account's eventId in the day's partition, or -1. */
  long findIn(LocalDate day, String account, String eventId) throws IOException {
    if (!days.contains(day)) {
      return -1;
    }
    IndexPartition p = partition(day, false);
    if (p == null) {
      return -1;
    }
    BytesRef term =
        new BytesRef(IndexFields.value(account, eventId).getBytes(StandardCharsets.UTF_8));
    IndexSearcher searcher;
    try {
      searcher = p.acquire();
    } catch (org.apache.lucene.store.AlreadyClosedException dropped) {
      return -1;
    }
    try {
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        Terms terms = leaf.reader().terms(IndexFields.field(LookupKey.EVENT_ID));
        if (terms == null) {
          continue;
        }
        TermsEnum te = terms.iterator();
        if (!te.seekExact(term)) {
          continue;
        }
        PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
        int doc = pe.nextDoc();
        if (doc == DocIdSetIterator.NO_MORE_DOCS) {
          continue;
        }
        NumericDocValues seq = leaf.reader().getNumericDocValues(IndexFields.SEQUENCE);
        if (seq != null && seq.advanceExact(doc)) {
          return seq.longValue();
        }
      }
      return -1;
    } finally {
      p.release(searcher);
    }
  }

  /** Deletes the partitions of days before {@code firstKeptDay}; answers the days dropped. */
  public List<LocalDate> dropBefore(LocalDate firstKeptDay) throws IOException {
    retainFrom(firstKeptDay);
    List<LocalDate> dropped = new ArrayList<>();
    writeLock.lock();
    try {
      for (LocalDate day : new ArrayList<>(days.headSet(firstKeptDay))) {
        synchronized (this) {
          IndexPartition p = open.remove(day);
          days.remove(day);
          if (p != null) {
            p.close();
          }
        }
        deleteTree(dir.resolve(day.toString()));
        dropped.add(day);
      }
    } finally {
      writeLock.unlock();
    }
    return dropped;
  }

  private volatile long sizeBytes = -1;
  private volatile long sizeMeasuredAt;

  /** Bytes of all partitions on disk, measured at most every ten seconds. */
  public long sizeBytes() {
    long now = System.nanoTime();
    if (sizeBytes < 0 || now - sizeMeasuredAt > 10_000_000_000L) {
      try (Stream<Path> files = Files.walk(dir)) {
        sizeBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      } catch (IOException | UncheckedIOException e) {
        sizeBytes = 0;
      }
      sizeMeasuredAt = now;
    }
    return sizeBytes;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** Closes every partition; the caller commits first. */
  @Override
  public void close() throws IOException {
    if (rebuilder != null) {
      rebuilder.close();
    }
    IOException first = null;
    for (IndexPartition p : open.values()) {
      try {
        p.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }
}
