package org.opentrail.logsearch;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.QueryTimeoutImpl;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.AlreadyClosedException;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.logsearch.ScanConsumer;
import org.opentrail.api.logsearch.SearchResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.trail.Logstores;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogSearch} over a Lucene index per store stream, kept in {@code <data>/logsearch/index/}
 * by an {@link Indexer}, with index configurations in {@code <data>/logsearch/config/}. Logstore
 * names are resolved per account as stream consumption does; a search of the history sees only the
 * caller's events. A search runs at most {@link #TIMEOUT_MILLIS}; one cut short answers what it
 * found, marked incomplete. An analysis ({@code search | SQL}) runs the SQL in Apache Calcite over
 * the matching events ({@link SqlAnalysis}, {@link LogTable}) for at most {@link
 * Config#analysisTimeoutSeconds}, then answers {@code QueryTimeout}.
 */
@Component(service = LogSearch.class)
@Designate(ocd = LogSearchService.Config.class)
public final class LogSearchService implements LogSearch {
  private static final Logger LOG = LoggerFactory.getLogger(LogSearchService.class);
  static final long TIMEOUT_MILLIS = 10_000;

  /** Most events a search pages through (offset + line), as Log Service limits GetLogs paging. */
  static final int MAX_OFFSET = 1_000_000;

  private final EventStore store;
  private final IndexConfigs configs;
  private final Indexer indexer;
  private final Analyzer analyzer = StreamIndex.analyzer();

  private final long analysisTimeoutMillis;

  /** Bounds the analyses running at once: each may hold a large GROUP BY in memory. */
  final Semaphore analyses;

  /** Configuration of logstore search ({@code org.opentrail.logsearch.LogSearchService}). */
  @ObjectClassDefinition(
      name = "OpenTrail logstore search",
      description = "Limits of Log Service-style search and SQL analysis")
  public @interface Config {
    @AttributeDefinition(
        description =
            "Longest an analysis (the SQL after '|') runs, in seconds, before it is stopped and"
                + " answers QueryTimeout")
    int analysisTimeoutSeconds() default 10;

    @AttributeDefinition(
        description =
            "Most analyses running at once; more wait for a turn within their time limit, then"
                + " answer ServerBusy")
    int analysisConcurrency() default 2;

    @AttributeDefinition(
        description =
            "Most groups one GROUP BY of an analysis holds in memory; more answer InvalidQuery")
    int analysisMaxGroups() default MAX_GROUPS;
  }

  /** Groups a GROUP BY holds at most by default: enough for any dashboard, a few MB of keys. */
  static final int MAX_GROUPS = 100_000;

  private final int analysisMaxGroups;

  @Activate
  public LogSearchService(@Reference EventStore store, BundleContext context, Config config)
      throws IOException {
    this(
        store,
        dataDir(context),
        200,
        Math.max(1, config.analysisTimeoutSeconds()) * 1000L,
        config.analysisConcurrency(),
        Math.max(1, config.analysisMaxGroups()));
  }

  /** A search service outside OSGi (tests, benchmarks), indexing every {@code periodMillis}. */
  public LogSearchService(EventStore store, Path dir, long periodMillis) throws IOException {
    this(store, dir, periodMillis, TIMEOUT_MILLIS, 2);
  }

  /**
   * A search service outside OSGi whose analyses stop after {@code analysisTimeoutMillis}, at most
   * {@code concurrency} at once (tests).
   */
  public LogSearchService(
      EventStore store, Path dir, long periodMillis, long analysisTimeoutMillis, int concurrency)
      throws IOException {
    this(store, dir, periodMillis, analysisTimeoutMillis, concurrency, MAX_GROUPS);
  }

  /** As above, a GROUP BY holding at most {@code maxGroups} groups (tests). */
  public LogSearchService(
      EventStore store,
      Path dir,
      long periodMillis,
      long analysisTimeoutMillis,
      int concurrency,
      int maxGroups)
      throws IOException {
    this.store = store;
    this.analysisMaxGroups = maxGroups;
    this.analysisTimeoutMillis = analysisTimeoutMillis;
    this.analyses = new Semaphore(Math.max(1, concurrency), true);
    this.configs = new IndexConfigs(dir.resolve("config"));
    this.indexer = new Indexer(store, dir.resolve("index"), configs, periodMillis);
    LOG.info("Logstore search ready, indexes in {}", dir);
  }

  private static Path dataDir(BundleContext context) {
    String data = context.getProperty("opentrail.data");
    return data != null ? Paths.get(data, "logsearch") : context.getDataFile("logsearch").toPath();
  }

  @Deactivate
  public void close() {
    indexer.close();
  }

  /** Waits until every stream's index shows what the store holds (tests, benchmarks). */
  public boolean awaitCaughtUp(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!indexer.caughtUp()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public SearchResult getLogs(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      int offset,
      int line,
      boolean reverse,
      boolean exactCount) {
    return replacedIndexRetried(
        logstore,
        () -> getLogsOnce(accountId, logstore, from, to, query, offset, line, reverse, exactCount));
  }

  private SearchResult getLogsOnce(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      int offset,
      int line,
      boolean reverse,
      boolean exactCount) {
    if (line < 1 || line > MAX_LINES) {
      throw new InvalidParameterException(
          "Line", "The parameter Line must be from 1 to " + MAX_LINES + ", not " + line + ".");
    }
    if (offset < 0 || offset > MAX_OFFSET - line) {
      throw new InvalidParameterException(
          "Offset",
          "The parameter Offset must be from 0 to "
              + (MAX_OFFSET - line)
              + ", not "
              + offset
              + ".");
    }
    Search s = search(accountId, logstore, from, to, query);
    if (s.index == null) {
      return new SearchResult(List.of(), 0, false);
    }
    try {
      IndexSearcher searcher = s.index.acquire();
      try {
        IndexSearcher timed = timed(searcher);
        TopDocs top =
            timed.search(
                s.query,
                new TopFieldCollectorManager(
                    reverse ? StreamIndex.NEWEST_FIRST : StreamIndex.OLDEST_FIRST,
                    offset + line,
                    null,
                    offset + line));
        boolean complete = !timed.timedOut();
        // the collector stops counting once it holds the page (the index is in time order)
        long count = top.totalHits.value;
        if (exactCount && top.totalHits.relation != TotalHits.Relation.EQUAL_TO) {
          count = timed.count(s.query);
          complete &= !timed.timedOut();
        }
        List<StoredEvent> events = new ArrayList<>();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (int i = offset; i < top.scoreDocs.length; i++) {
          ScoreDoc d = top.scoreDocs[i];
          LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(d.doc, leaves));
          NumericDocValues seqs = DocValues.getNumeric(leaf.reader(), StreamIndex.SEQUENCE);
          if (!seqs.advanceExact(d.doc - leaf.docBase)) {
            continue;
          }
          long seq = seqs.longValue();
          List<StoredEvent> read = store.read(s.stream, seq - 1, 1);
          if (!read.isEmpty() && read.get(0).sequence() == seq) {
            events.add(read.get(0));
          }
        }
        return new SearchResult(events, count, complete && s.complete);
      } finally {
        s.index.release(searcher);
      }
    } catch (IOException e) {
      throw unavailable(logstore, e);
    }
  }

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

  @Override
  public AnalysisResult analyze(
      String accountId, String logstore, Instant from, Instant to, String query) {
    try {
      if (!analyses.tryAcquire(analysisTimeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new OpenTrailException(
            "ServerBusy", "Too many analyses are running; try again shortly.", 503);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpenTrailException("ServerBusy", "The analysis was interrupted.", 503);
    }
    try {
      return replacedIndexRetried(
          logstore, () -> analyzeOnce(accountId, logstore, from, to, query));
    } finally {
      analyses.release();
    }
  }

  private AnalysisResult analyzeOnce(
      String accountId, String logstore, Instant from, Instant to, String query) {
    SqlAnalysis.Split split = SqlAnalysis.split(query);
    if (split.sql() == null) {
      throw SearchSyntax.invalid(
          "The query has no analysis: write 'search | SQL', e.g. '* | SELECT count(*)'.");
    }
    Search s = search(accountId, logstore, from, to, split.search());
    long deadline = System.nanoTime() + analysisTimeoutMillis * 1_000_000;
    if (s.index == null) {
      // not opened yet: the SQL still gets checked, over no rows, and the answer is incomplete
      LogTable empty = new LogTable(null, s.query, configs.get(s.stream), deadline);
      return SqlAnalysis.run(
          split.sql(), empty, deadline, analysisTimeoutMillis, false, analysisMaxGroups);
    }
    try {
      IndexSearcher searcher = s.index.acquire();
      try {
        LogTable table = new LogTable(searcher, s.query, s.index.config, deadline);
        return SqlAnalysis.run(
            split.sql(), table, deadline, analysisTimeoutMillis, s.complete, analysisMaxGroups);
      } finally {
        s.index.release(searcher);
      }
    } catch (IOException e) {
      throw unavailable(logstore, e);
    }
  }

  @Override
  public long scan(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      ScanConsumer consumer) {
    java.util.Objects.requireNonNull(consumer, "consumer");
    Search s = search(accountId, logstore, from, to, query);
    // an export wants what the store holds now: give the index a moment to open and catch up
    long target = store.lastSequence(s.stream);
    long deadline = System.nanoTime() + SCAN_CATCH_UP_MILLIS * 1_000_000;
    while ((s.index == null || s.index.visible() < target) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      s = search(accountId, logstore, from, to, query);
    }
    if (s.index != null && s.index.visible() < target) {
      LOG.warn(
          "Scan of logstore {}: the index is behind the store (sequence {} of {}); scanning what it"
              + " holds",
          logstore,
          s.index.visible(),
          target);
    }
    if (s.index == null) {
      throw new OpenTrailException(
          "ServiceUnavailable",
          "The index of logstore " + logstore + " is being built; try again shortly.",
          503);
    }
    boolean shared = LogFields.shared(s.stream);
    try {
      long upTo = s.index.visible(); // the searcher acquired next holds at least this much
      IndexSearcher searcher = s.index.acquire();
      try {
        long total = searcher.count(s.query);
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
                  .add(s.query, Occur.MUST)
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
          java.util.Arrays.sort(window.sequences, 0, window.size);
          List<StoredEvent> chunk = readRuns(s.stream, window.sequences, window.size);
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
        s.index.release(searcher);
      }
    } catch (IOException | AlreadyClosedException e) {
      throw unavailable(logstore, e);
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

  @Override
  public Histogram getHistograms(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      Duration interval) {
    return replacedIndexRetried(
        logstore, () -> getHistogramsOnce(accountId, logstore, from, to, query, interval));
  }

  /**
   * Runs a search again on the logstore's current index when the one it started on was closed under
   * it (re-indexed after a configuration change, or rebuilt): a few tries, then {@code
   * unavailable}.
   */
  private <T> T replacedIndexRetried(String logstore, java.util.function.Supplier<T> once) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once.get();
      } catch (AlreadyClosedException e) {
        if (attempt == 3) {
          throw unavailable(logstore, e);
        }
      }
    }
  }

  private Histogram getHistogramsOnce(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      Duration interval) {
    Search s = search(accountId, logstore, from, to, query);
    long start = from.toEpochMilli();
    long end = to.toEpochMilli();
    long step = interval == null ? autoInterval(end - start) : interval.toMillis();
    if (step < 1000) {
      throw new InvalidParameterException(
          "Interval", "The bucket interval must be at least 1 second.");
    }
    if ((end - start + step - 1) / step > MAX_BUCKETS) {
      throw new InvalidParameterException(
          "Interval",
          "The range and interval make more than "
              + MAX_BUCKETS
              + " buckets; choose a longer interval.");
    }
    if (s.index == null) {
      return new Histogram(List.of(), 0, false);
    }
    try {
      IndexSearcher searcher = s.index.acquire();
      try {
        IndexSearcher timed = timed(searcher);
        BucketCounter counter = new BucketCounter(start, end, step);
        timed.search(s.query, counter);
        List<Histogram.Bucket> buckets = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < counter.counts.length; i++) {
          long b = start + i * step;
          buckets.add(
              new Histogram.Bucket(
                  Instant.ofEpochMilli(b),
                  Instant.ofEpochMilli(Math.min(end, b + step)),
                  counter.counts[i]));
          total += counter.counts[i];
        }
        return new Histogram(buckets, total, s.complete && !timed.timedOut());
      } finally {
        s.index.release(searcher);
      }
    } catch (IOException e) {
      throw unavailable(logstore, e);
    }
  }

  /** The shortest of 1s, 10s, 1m, 5m, 15m, 1h, 6h, 1d giving at most 60 buckets. */
  static long autoInterval(long rangeMillis) {
    for (long s : new long[] {1, 10, 60, 300, 900, 3600, 21600, 86400}) {
      if (rangeMillis / (s * 1000) <= 60) {
        return s * 1000;
      }
    }
    return 86_400_000L * Math.max(1, rangeMillis / 86_400_000L / 60 + 1);
  }

  @Override
  public IndexConfig indexConfig(String accountId, String logstore) {
    return configs.get(stream(accountId, logstore));
  }

  @Override
  public IndexConfig setIndexConfig(String accountId, String logstore, IndexConfig config) {
    String stream = stream(accountId, logstore);
    if (EventStore.HISTORY.equals(stream)) {
      throw new OpenTrailException(
          "Unauthorized",
          "The index configuration of the history is fixed; it is shared by every account.",
          403);
    }
    IndexConfig checked =
        IndexConfigs.parse(
            org.opentrail.api.event.EventJson.read(
                org.opentrail.api.event.EventJson.write(IndexConfigs.toJson(config))));
    try {
      configs.set(stream, checked);
    } catch (IOException e) {
      throw new OpenTrailException(
          "InternalError", "The index configuration could not be saved: " + e.getMessage(), 500, e);
    }
    indexer.reindex(stream);
    LOG.info(
        "Account {} changed the index configuration of logstore {}; re-indexing it",
        accountId,
        logstore);
    return checked;
  }

  private record Search(String stream, StreamIndex index, Query query, boolean complete) {}

  private Search search(String accountId, String logstore, Instant from, Instant to, String text) {
    String stream = stream(accountId, logstore);
    if (from == null || to == null || !from.isBefore(to)) {
      throw new InvalidParameterException(
          "From", "The time range needs From before To, not " + from + " to " + to + ".");
    }
    // not opened yet by the indexer (just started, or re-indexing): an empty, incomplete answer
    StreamIndex index = indexer.index(stream);
    Query q =
        SearchSyntax.parse(text, index == null ? configs.get(stream) : index.config, analyzer);
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(q, Occur.MUST);
    b.add(
        LongPoint.newRangeQuery(StreamIndex.TIME, from.toEpochMilli(), to.toEpochMilli() - 1),
        Occur.FILTER);
    if (LogFields.shared(stream)) {
      b.add(new TermQuery(new Term(StreamIndex.ACCOUNT, accountId)), Occur.FILTER);
    }
    boolean complete = index != null && index.visible() >= store.lastSequence(stream);
    return new Search(stream, index, b.build(), complete);
  }

  private static IndexSearcher timed(IndexSearcher searcher) {
    IndexSearcher s = new IndexSearcher(searcher.getIndexReader());
    s.setTimeout(new QueryTimeoutImpl(TIMEOUT_MILLIS));
    return s;
  }

  private static OpenTrailException unavailable(String logstore, Exception e) {
    return new OpenTrailException(
        "ServiceUnavailable",
        "The index of logstore " + logstore + " cannot be searched right now: " + e.getMessage(),
        503,
        e);
  }

  /**
   * The store stream behind an account's logstore, as {@code LogConsumerService} resolves it:
   * {@code history}, or the account's own {@code actiontrail_*} / {@code innertrail_*}; anything
   * else is {@code LogStoreNotExist} (404).
   */
  String stream(String accountId, String logstore) {
    if (accountId == null
        || !org.opentrail.api.auth.IdentityService.ACCOUNT_ID.matcher(accountId).matches()) {
      throw new InvalidParameterException(
          "AccountId", "An account id is 12 to 16 digits, not '" + accountId + "'.");
    }
    if (logstore == null || logstore.isEmpty()) {
      throw InvalidParameterException.missing("LogStore");
    }
    if (EventStore.HISTORY.equals(logstore)) {
      return EventStore.HISTORY;
    }
    String stream = Logstores.stream(accountId, logstore);
    if (stream.equals(logstore) || store.stream(stream).isEmpty()) {
      throw new OpenTrailException(
          "LogStoreNotExist", "The logstore " + logstore + " does not exist.", 404);
    }
    return stream;
  }
}
