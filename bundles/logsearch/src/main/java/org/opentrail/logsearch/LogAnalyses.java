package org.opentrail.logsearch;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.IndexSearcher;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.AnalysisResult;

/**
 * The analyses ({@code search | SQL}) of {@link LogSearchService}: the SQL run by Apache Calcite
 * ({@link SqlAnalysis}) over the events the search matches ({@link LogTable}), at most a configured
 * number at once (each may hold a large GROUP BY in memory), each for at most a configured time.
 */
final class LogAnalyses {
  private final SearchScope scope;
  private final long timeoutMillis;
  private final int maxGroups;

  /** Bounds the analyses running at once: a turn is taken for the whole of one analysis. */
  final Semaphore turns;

  /**
   * @param timeoutMillis longest an analysis waits for a turn, then runs, in milliseconds
   * @param concurrency most analyses running at once (at least 1)
   * @param maxGroups most groups one GROUP BY holds
   */
  LogAnalyses(SearchScope scope, long timeoutMillis, int concurrency, int maxGroups) {
    this.scope = scope;
    this.timeoutMillis = timeoutMillis;
    this.maxGroups = maxGroups;
    this.turns = new Semaphore(Math.max(1, concurrency), true);
  }

  /**
   * The analysis, as {@link org.opentrail.api.logsearch.LogSearch#analyze} describes it.
   *
   * @throws OpenTrailException {@code ServerBusy} (503) when no turn came within the time limit,
   *     {@code InvalidQuery} for a query without SQL or with bad SQL, {@code QueryTimeout} when it
   *     ran too long, and as {@link SearchScope#search} does
   */
  AnalysisResult analyze(SearchScope.Request r) {
    try {
      if (!turns.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new OpenTrailException(
            "ServerBusy", "Too many analyses are running; try again shortly.", 503);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpenTrailException("ServerBusy", "The analysis was interrupted.", 503);
    }
    try {
      // one time limit for the analysis: a try again on a replaced index gets only what is left
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
      return SearchScope.replacedIndexRetried(r.logstore(), () -> analyzeOnce(r, deadline));
    } finally {
      turns.release();
    }
  }

  private AnalysisResult analyzeOnce(SearchScope.Request r, long deadline) {
    SqlAnalysis.Split split = SqlAnalysis.split(r.query());
    if (split.sql() == null) {
      throw SearchSyntax.invalid(
          "The query has no analysis: write 'search | SQL', e.g. '* | SELECT count(*)'.");
    }
    SearchScope.Search s = scope.search(r.withQuery(split.search()));
    if (s.index() == null) {
      // not opened yet: the SQL still gets checked, over no rows, and the answer is incomplete
      LogTable empty = new LogTable(null, s.query(), scope.config(s.stream()), deadline);
      return SqlAnalysis.run(split.sql(), empty, deadline, timeoutMillis, false, maxGroups);
    }
    try {
      IndexSearcher searcher = s.index().acquire();
      try {
        LogTable table = new LogTable(searcher, s.query(), s.index().config, deadline);
        return SqlAnalysis.run(
            split.sql(), table, deadline, timeoutMillis, s.complete(), maxGroups);
      } finally {
        s.index().release(searcher);
      }
    } catch (IOException e) {
      throw SearchScope.unavailable(r.logstore(), e);
    }
  }
}
