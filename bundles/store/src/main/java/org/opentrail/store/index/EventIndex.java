package org.opentrail.store.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
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

  /** Held while the indexer writes and while retention drops partitions. */
  private final java.util.concurrent.locks.ReentrantLock writeLock =
      new java.util.concurrent.locks.ReentrantLock();

  /** Events older than this day are past retention: not indexed, their partitions dropped. */
  private volatile LocalDate firstKeptDay = LocalDate.MIN;

  public EventIndex(Path dir, double ramBufferMb) throws IOException {
    this.dir = dir;
    this.ramBufferMb = ramBufferMb;
    Files.createDirectories(dir);
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
    checkpoint = Files.exists(cp) ? Long.parseLong(Files.readString(cp).strip()) : 0;
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
    if (day.isBefore(firstKeptDay)) {
      return;
    }
    writeLock.lock();
    try {
      IndexPartition p = partition(day, true);
      if (sequence <= p.committedSequence()) {
        return; // already in this partition's last commit: a replay after a crash
      }
      p.add(document(r, sequence));
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
      for (IndexPartition p : open.values()) {
        p.refresh();
      }
    } finally {
      writeLock.unlock();
    }
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
    for (IndexPartition p : open.values()) {
      p.commit(sequence);
    }
    if (sequence != checkpoint) {
      Path tmp = dir.resolve(CHECKPOINT + ".tmp");
      Files.writeString(tmp, Long.toString(sequence));
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(
          tmp,
          dir.resolve(CHECKPOINT),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
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
