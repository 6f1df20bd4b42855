package org.opentrail.logsearch;

import static org.opentrail.api.logsearch.LogSearch.SCAN_CHUNK;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.AlreadyClosedException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.ScanConsumer;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scan of every match of a search in sequence order (what an export reads): the matching
 * sequence numbers taken from the index in windows of at most {@link
 * org.opentrail.api.logsearch.LogSearch#SCAN_CHUNK}, their events read from the store in runs, so
 * memory stays bounded however many events match.
 */
final class LogScan {
  // logs as LogSearchService, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(LogSearchService.class);

  /** Most sequences past the first one of a run read from the store in one call. */
  static final int MAX_RUN = 4096;

  /**
   * Largest gap between two matching sequences still read in one call: reading a few unwanted
   * events costs less than another store read.
   */
  static final int MAX_GAP = 32;

  /** Longest a scan waits for the index to open and catch up with the store. */
  static final long SCAN_CATCH_UP_MILLIS = 30_000;

  /** Widest sequence window one scan query covers. */
  static final long MAX_WINDOW = 1L << 22;

  private final EventStore store;
  private final SearchScope scope;

  LogScan(SearchScope scope) {
    this.store = scope.store();
    this.scope = scope;
  }

  /**
   * The scan, as {@link org.opentrail.api.logsearch.LogSearch#scan} describes it: waits up to
   * {@link #SCAN_CATCH_UP_MILLIS} for the index to hold what the store holds now.
   *
   * @return the events handed to {@code consumer}
   * @throws OpenTrailException {@code ServiceUnavailable} (503) while the index is being built or
   *     when it fails, and as {@link SearchScope#search} does
   */
  long scan(SearchScope.Request r, ScanConsumer consumer) {
    Objects.requireNonNull(consumer, "consumer");
    SearchScope.Search s = scope.search(r);
    // an export wants what the store holds now: give the index a moment to open and catch up
    long target = store.lastSequence(s.stream());
    long deadline = System.nanoTime() + SCAN_CATCH_UP_MILLIS * 1_000_000;
    while ((s.index() == null || s.index().visible() < target) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      s = scope.search(r);
    }
    if (s.index() != null && s.index().visible() < target) {
      LOG.warn(
          "Scan of logstore {}: the index is behind the store (sequence {} of {}); scanning what it"
              + " holds",
          r.logstore(),
          s.index().visible(),
          target);
    }
    if (s.index() == null) {
      throw new OpenTrailException(
          "ServiceUnavailable",
          "The index of logstore " + r.logstore() + " is being built; try again shortly.",
          503);
    }
    try {
      return scanIndex(r.accountId(), s, consumer);
    } catch (IOException | AlreadyClosedException e) {
      throw SearchScope.unavailable(r.logstore(), e);
    }
  }

  private long scanIndex(String accountId, SearchScope.Search s, ScanConsumer consumer)
      throws IOException {
    boolean shared = LogFields.shared(s.stream());
    long upTo = s.index().visible(); // the searcher acquired next holds at least this much
    IndexSearcher searcher = s.index().acquire();
    try {
      long total = searcher.count(s.query());
      long done = 0;
      SequenceWindow window = new SequenceWindow(SCAN_CHUNK);
      long cursor = 0;
      long width = SCAN_CHUNK;
      // walk the sequences in windows [cursor + 1, cursor + width]: a window holds at most
      // width matches, so one of at most SCAN_CHUNK sequences always fits; the width grows over
      // sparse matches and shrinks when a window overflows
      while (cursor < upTo) {
        long hi = Math.min(upTo, cursor + width);
        Query q =
            new BooleanQuery.Builder()
                .add(s.query(), Occur.MUST)
                .add(LongPoint.newRangeQuery(StreamIndex.SEQUENCE, cursor + 1, hi), Occur.FILTER)
                .build();
        window.reset();
        searcher.search(q, window);
        if (window.overflow) {
          width = Math.max(1, width / 2);
          continue;
        }
        cursor = hi;
        if (window.size < SCAN_CHUNK / 4 && width < MAX_WINDOW) {
          width *= 2;
        }
        if (window.size == 0) {
          continue;
        }
        Arrays.sort(window.sequences, 0, window.size);
        List<StoredEvent> chunk = readRuns(s.stream(), window.sequences, window.size);
        if (shared) {
          chunk.removeIf(e -> !accountId.equals(e.event().recipientAccountId()));
        }
        done += chunk.size();
        if (!chunk.isEmpty() && !consumer.accept(chunk, done, total)) {
          return done;
        }
      }
      return done;
    } finally {
      s.index().release(searcher);
    }
  }

  /**
   * The stored events of the ascending sequences {@code seqs[0..n)}, read in runs: one {@link
   * EventStore#read} per stretch of sequences with gaps of at most {@link #MAX_GAP}, rather than
   * one per sequence. Sequences purged from the store meanwhile are left out.
   */
  List<StoredEvent> readRuns(String stream, long[] seqs, int n) {
    List<StoredEvent> out = new ArrayList<>(n);
    int i = 0;
    while (i < n) {
      long first = seqs[i];
      int j = i;
      while (j + 1 < n && seqs[j + 1] - seqs[j] <= MAX_GAP && seqs[j + 1] - first < MAX_RUN) {
        j++;
      }
      int k = i;
      long cursor = first - 1;
      // a store may answer fewer than asked: read on from the last event answered
      while (k <= j) {
        List<StoredEvent> read = store.read(stream, cursor, (int) (seqs[j] - cursor));
        if (read.isEmpty()) {
          break;
        }
        for (StoredEvent e : read) {
          while (k <= j && seqs[k] < e.sequence()) {
            k++;
          }
          if (k <= j && seqs[k] == e.sequence()) {
            out.add(e);
            k++;
          }
        }
        cursor = read.get(read.size() - 1).sequence();
        if (cursor >= seqs[j]) {
          break;
        }
      }
      i = j + 1;
    }
    return out;
  }
}
