package org.opentrail.logsearch;

import java.time.Instant;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.QueryTimeoutImpl;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.Logstores;

/**
 * What every search of {@link LogSearchService} starts with: the store stream behind an account's
 * logstore (the account may see only its own logstores, and only its own events of the history),
 * the query in Log Service's search syntax ({@link SearchSyntax}) limited to a time range, and the
 * index to run it on. Also the errors and limits every kind of search shares: {@code
 * ServiceUnavailable} (503) when the index cannot be searched, a retry when the index was replaced
 * under a search, and the {@link LogSearchService#TIMEOUT_MILLIS} of a search.
 */
final class SearchScope {
  private final EventStore store;
  private final IndexConfigs configs;
  private final Indexer indexer;
  private final Analyzer analyzer = StreamIndex.analyzer();

  /**
   * One search ready to run.
   *
   * @param stream the store stream searched
   * @param index its index, null while the indexer has not opened it (just started, re-indexing)
   * @param query the search within the time range (and the account, on a shared stream)
   * @param complete whether the index held every event of the stream when the search was built
   */
  record Search(String stream, StreamIndex index, Query query, boolean complete) {}

  /**
   * What a search asks for: {@code query} in Log Service's search syntax over {@code [from, to)} in
   * an account's logstore ({@code history} or one of its own).
   */
  record Request(String accountId, String logstore, Instant from, Instant to, String query) {
    /** The same request with another query text (the search part of {@code search | SQL}). */
    Request withQuery(String text) {
      return new Request(accountId, logstore, from, to, text);
    }
  }

  SearchScope(EventStore store, IndexConfigs configs, Indexer indexer) {
    this.store = store;
    this.configs = configs;
    this.indexer = indexer;
  }

  /**
   * The search a request asks for.
   *
   * @throws InvalidParameterException for a missing or reversed time range, a bad account id or
   *     logstore name, or a query that does not parse
   * @throws OpenTrailException {@code LogStoreNotExist} (404) for a logstore the account lacks
   */
  Search search(Request r) {
    String accountId = r.accountId();
    Instant from = r.from();
    Instant to = r.to();
    String stream = stream(accountId, r.logstore());
    if (from == null || to == null || !from.isBefore(to)) {
      throw new InvalidParameterException(
          "From", "The time range needs From before To, not " + from + " to " + to + ".");
    }
    // not opened yet by the indexer (just started, or re-indexing): an empty, incomplete answer
    StreamIndex index = indexer.index(stream);
    Query q =
        SearchSyntax.parse(r.query(), index == null ? configs.get(stream) : index.config, analyzer);
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

  /** The store searched: indexes give sequence numbers, the store the events. */
  EventStore store() {
    return store;
  }

  /** The index configuration in force for a store stream (its default if none was set). */
  IndexConfig config(String stream) {
    return configs.get(stream);
  }

  /**
   * The store stream behind an account's logstore, as {@code LogConsumerService} resolves it:
   * {@code history}, or the account's own {@code actiontrail_*} / {@code innertrail_*}; anything
   * else is {@code LogStoreNotExist} (404).
   */
  String stream(String accountId, String logstore) {
    return Logstores.readableStream(store, accountId, logstore);
  }

  /**
   * Runs a search again on the logstore's current index when the one it started on was closed under
   * it (re-indexed after a configuration change, or rebuilt): a few tries, then {@code
   * unavailable}.
   */
  static <T> T replacedIndexRetried(String logstore, Supplier<T> once) {
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

  /** A searcher over the same reader that stops after {@link LogSearchService#TIMEOUT_MILLIS}. */
  static IndexSearcher timed(IndexSearcher searcher) {
    IndexSearcher s = new IndexSearcher(searcher.getIndexReader());
    s.setTimeout(new QueryTimeoutImpl(LogSearchService.TIMEOUT_MILLIS));
    return s;
  }

  /** {@code ServiceUnavailable} (503): the logstore's index failed under a search. */
  static OpenTrailException unavailable(String logstore, Exception e) {
    return new OpenTrailException(
        "ServiceUnavailable",
        "The index of logstore " + logstore + " cannot be searched right now: " + e.getMessage(),
        503,
        e);
  }
}
