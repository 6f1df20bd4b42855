package org.opentrail.store.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;

/**
 * The Lucene index of one UTC day of eventTime. Retention drops a whole partition by deleting its
 * directory. Each commit records the journal sequence it holds everything up to, so a replay after
 * a crash skips what the partition already has.
 */
final class IndexPartition implements Closeable {
  private final LocalDate day;
  private final Path dir;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final long committedSequence;
  private volatile boolean unrefreshed;
  private volatile boolean uncommitted;
  private volatile long lastAddNanos;
  private volatile boolean addedSinceOpen;
  private volatile boolean compacted;

  private IndexPartition(LocalDate day, Path dir, Directory directory, IndexWriter writer)
      throws IOException {
    this.day = day;
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, null);
    long seq = 0;
    Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
    if (data != null) {
      for (Map.Entry<String, String> e : data) {
        if (IndexFields.COMMIT_SEQUENCE.equals(e.getKey())) {
          seq = Long.parseLong(e.getValue());
        }
      }
    }
    this.committedSequence = seq;
    this.lastAdded = seq;
  }

  private long lastAdded;

  static IndexPartition open(Path dir, LocalDate day, double ramBufferMb) throws IOException {
    org.opentrail.internal.durable.DurableFiles.createPrivateDirectories(dir);
    Directory d = new MMapDirectory(dir);
    IndexWriterConfig c = new IndexWriterConfig();
    c.setIndexSort(IndexFields.NEWEST_FIRST);
    c.setCodec(new PartitionCodec());
    c.setRAMBufferSizeMB(ramBufferMb);
    c.setCommitOnClose(false);
    c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
    merges.setMaxMergesAndThreads(2, 1);
    c.setMergeScheduler(merges);
    try {
      return new IndexPartition(day, dir, d, new IndexWriter(d, c));
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  LocalDate day() {
    return day;
  }

  /** Everything up to this journal sequence was in the partition when it was opened. */
  long committedSequence() {
    return committedSequence;
  }

  /** Adds a document of a rebuild (sequences below those the live indexer adds). */
  void addRebuilt(Document doc) throws IOException {
    writer.addDocument(doc);
    added();
  }

  /**
   * Adds an event's document unless this partition already has that sequence (an indexer retrying a
   * block after an error adds its events again; sequences arrive in increasing order).
   */
  void add(Document doc, long sequence) throws IOException {
    if (sequence <= lastAdded) {
      return;
    }
    writer.addDocument(doc);
    lastAdded = sequence;
    added();
  }

  private void added() {
    unrefreshed = true;
    uncommitted = true;
    compacted = false;
    lastAddNanos = System.nanoTime();
    addedSinceOpen = true;
  }

  /**
   * Whether nothing was added for {@code quietNanos} and the partition is in more than one segment:
   * a lookup then looks its terms up once per segment, so a day that is over is best in one.
   */
  boolean compactable(long quietNanos) throws IOException {
    if (compacted || (addedSinceOpen && System.nanoTime() - lastAddNanos < quietNanos)) {
      return false;
    }
    IndexSearcher s = searchers.acquire();
    try {
      compacted = s.getIndexReader().leaves().size() <= 1;
    } finally {
      searchers.release(s);
    }
    return !compacted;
  }

  /**
   * Merges the partition into one segment and makes that visible; the next commit makes it durable
   * (until then a restart opens the segments as they were).
   */
  void compact() throws IOException {
    writer.forceMerge(1);
    compacted = true;
    uncommitted = true;
    unrefreshed = true;
    refresh();
  }

  /** Makes added documents visible to searches. */
  void refresh() throws IOException {
    if (unrefreshed) {
      unrefreshed = false;
      searchers.maybeRefreshBlocking();
    }
  }

  /** Makes added documents durable, recording that everything up to {@code sequence} is in. */
  void commit(long sequence) throws IOException {
    if (uncommitted) {
      uncommitted = false;
      writer.setLiveCommitData(
          Map.of(IndexFields.COMMIT_SEQUENCE, Long.toString(sequence)).entrySet());
      writer.commit();
    }
  }

  /** Commits even if nothing was added since the last commit (ends a rebuild). */
  void forceCommit(long sequence) throws IOException {
    uncommitted = true;
    commit(sequence);
  }

  boolean uncommitted() {
    return uncommitted;
  }

  IndexSearcher acquire() throws IOException {
    return searchers.acquire();
  }

  void release(IndexSearcher s) throws IOException {
    searchers.release(s);
  }

  long sizeBytes() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  Path dir() {
    return dir;
  }

  /** Closes without committing: callers commit first if they want the last additions kept. */
  @Override
  public void close() throws IOException {
    try {
      searchers.close();
    } finally {
      try {
        writer.rollback();
      } finally {
        directory.close();
      }
    }
  }
}
