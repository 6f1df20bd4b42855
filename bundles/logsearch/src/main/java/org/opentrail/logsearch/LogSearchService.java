package org.opentrail.logsearch;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.logsearch.ScanConsumer;
import org.opentrail.api.logsearch.SearchResult;
import org.opentrail.api.store.EventStore;
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
 * caller's events ({@link SearchScope}). A search runs at most {@link #TIMEOUT_MILLIS}; one cut
 * short answers what it found, marked incomplete. An analysis ({@code search | SQL}) runs the SQL
 * in Apache Calcite over the matching events ({@link LogAnalyses}) for at most {@link
 * Config#analysisTimeoutSeconds}, then answers {@code QueryTimeout}. Pages ({@link PageSearch}),
 * scans ({@link LogScan}), histograms ({@link HistogramSearch}) and index configurations ({@link
 * IndexSettings}) each have their own part; this component wires them and holds the lifecycle.
 */
@Component(service = LogSearch.class)
@Designate(ocd = LogSearchService.Config.class)
public final class LogSearchService implements LogSearch {
  private static final Logger LOG = LoggerFactory.getLogger(LogSearchService.class);
  static final long TIMEOUT_MILLIS = 10_000;

  private final Indexer indexer;
  private final PageSearch pages;
  private final HistogramSearch histograms;

  /** The scans (package-private: tests read runs of sequences through it). */
  final LogScan scans;

  private final IndexSettings indexSettings;

  /** The analyses, at most {@link Config#analysisConcurrency} at once. */
  final LogAnalyses analyses;

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
    IndexConfigs configs = new IndexConfigs(dir.resolve("config"));
    this.indexer = new Indexer(store, dir.resolve("index"), configs, periodMillis);
    SearchScope scope = new SearchScope(store, configs, indexer);
    this.pages = new PageSearch(scope);
    this.histograms = new HistogramSearch(scope);
    this.scans = new LogScan(scope);
    this.indexSettings = new IndexSettings(scope, configs, indexer);
    this.analyses = new LogAnalyses(scope, analysisTimeoutMillis, concurrency, maxGroups);
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
    return SearchScope.replacedIndexRetried(
        logstore,
        () ->
            pages.getLogs(
                request(accountId, logstore, from, to, query), offset, line, reverse, exactCount));
  }

  @Override
  public AnalysisResult analyze(
      String accountId, String logstore, Instant from, Instant to, String query) {
    return analyses.analyze(request(accountId, logstore, from, to, query));
  }

  @Override
  public long scan(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      ScanConsumer consumer) {
    return scans.scan(request(accountId, logstore, from, to, query), consumer);
  }

  @Override
  public Histogram getHistograms(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      Duration interval) {
    return SearchScope.replacedIndexRetried(
        logstore,
        () -> histograms.getHistograms(request(accountId, logstore, from, to, query), interval));
  }

  @Override
  public IndexConfig indexConfig(String accountId, String logstore) {
    return indexSettings.get(accountId, logstore);
  }

  @Override
  public IndexConfig setIndexConfig(String accountId, String logstore, IndexConfig config) {
    return indexSettings.set(accountId, logstore, config);
  }

  private static SearchScope.Request request(
      String accountId, String logstore, Instant from, Instant to, String query) {
    return new SearchScope.Request(accountId, logstore, from, to, query);
  }
}
