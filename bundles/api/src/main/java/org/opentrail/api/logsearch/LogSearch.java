package org.opentrail.api.logsearch;

import java.time.Duration;
import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Searches an account's logstores ({@code actiontrail_<trail>}, {@code innertrail_<name>}) and the
 * event history ({@code history}, only the caller's own events) with Log Service's search syntax,
 * executed by an index.
 *
 * <p>Search syntax (Log Service, "Search syntax"): {@code key: value}, {@code and}/{@code or}/
 * {@code not} in any case, parentheses, {@code *} and {@code ?} wildcards, phrases in double
 * quotes, ranges on long and double fields ({@code key > n}, {@code >=}, {@code <}, {@code <=},
 * {@code key in [a b]} inclusive), nested keys such as {@code userIdentity.userName}, a bare word
 * or phrase searches the full text, {@code *} alone matches everything. Matching is
 * case-insensitive, as Log Service's default ({@code caseSensitive: false}).
 *
 * <p>Errors are {@link org.opentrail.api.OpenTrailException}s: {@code InvalidQuery} (400) for a
 * query that does not parse (saying at which character and why), names a field the logstore does
 * not index, or has an analysis part; {@code InvalidParameter} (400) for bad ranges, offsets or
 * page sizes; {@code LogStoreNotExist} (404) for a logstore the account does not have.
 */
@ProviderType
public interface LogSearch {
  /** Most events one {@link #getLogs} page answers (Log Service's GetLogs {@code line} limit). */
  int MAX_LINES = 100;

  /** Most events one {@link ScanConsumer#accept} chunk holds. */
  int SCAN_CHUNK = 1000;

  /** Most buckets one histogram answers. */
  int MAX_BUCKETS = 10_000;

  /** Most rows one {@link #analyze} answers; a larger {@code LIMIT} is refused. */
  int MAX_ROWS = 10_000;

  /**
   * Events with eventTime in {@code [from, to)} matching {@code query}, in the order {@code
   * reverse} asks for, after skipping {@code offset} of them, with the exact number of matching
   * events: {@link #getLogs(String, String, Instant, Instant, String, int, int, boolean, boolean)}
   * with {@code exactCount} true.
   *
   * @return the page and the total number of matching events
   */
  default SearchResult getLogs(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      int offset,
      int line,
      boolean reverse) {
    return getLogs(accountId, logstore, from, to, query, offset, line, reverse, true);
  }

  /**
   * Events with eventTime in {@code [from, to)} matching {@code query}, in the order {@code
   * reverse} asks for, after skipping {@code offset} of them.
   *
   * <p>Counting every match of a broad search costs more than finding the newest page (it visits
   * each match, where the page stops early on the index's time order), so the exact count is
   * optional; Log Service's GetLogs answers no total either (its {@code count} is the page's).
   *
   * @param query the search; empty or {@code *} matches every event
   * @param offset events to skip, 0 or more
   * @param line events to answer, 1 to {@link #MAX_LINES}
   * @param reverse {@code true} (Log Service's default) for newest first, {@code false} for oldest
   *     first
   * @param exactCount {@code true} to count every matching event; {@code false} answers in {@link
   *     SearchResult#count} only a lower bound (at least the events skipped and answered, when
   *     there are that many)
   * @return the page and how many events match
   * @since 1.3
   */
  SearchResult getLogs(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      int offset,
      int line,
      boolean reverse,
      boolean exactCount);

  /**
   * Counts of matching events per time bucket over {@code [from, to)}, as Log Service's
   * GetHistograms: buckets start at {@code from} and are {@code interval} long (the last one may be
   * shorter).
   *
   * @param interval the bucket length, at least one second; {@code null} picks one giving at most
   *     60 buckets
   */
  Histogram getHistograms(
      String accountId, String logstore, Instant from, Instant to, String query, Duration interval);

  /**
   * Every event with eventTime in {@code [from, to)} matching {@code query}, with no limit on their
   * number, delivered to {@code consumer} in chunks of at most {@link #SCAN_CHUNK} in sequence
   * (oldest-first, as stored) order. Memory use is bounded by the chunk, not by the number of
   * matches: sequence numbers are taken from the index a chunk at a time and the events read back
   * from the store in runs of consecutive sequences. The scan sees the index as it was when it
   * started, after waiting up to 30 seconds for it to catch up with what the store held when the
   * scan was asked (events stored later are not delivered); on the history only the caller's own
   * events.
   *
   * @param consumer receives the chunks; returning {@code false} stops the scan
   * @return the number of events delivered
   * @throws org.opentrail.api.OpenTrailException as {@link #getLogs}; {@code ServiceUnavailable}
   *     (503) when the logstore's index did not open within those 30 seconds
   */
  long scan(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      ScanConsumer consumer);

  /**
   * Runs Log Service's {@code search | SQL} query shape over events with eventTime in {@code [from,
   * to)}: the search part (as {@link #getLogs}; empty or {@code *} for all) selects the events, the
   * SQL part (after the first {@code |} outside quotes) analyses them as the table {@code log} (Log
   * Service's {@code FROM log}, which may be left out). Columns are the logstore's indexed fields
   * under their search names (quoted with double quotes when they hold a dot, e.g. {@code
   * "event.eventName"}), plus {@code __time__} (eventTime, Unix seconds). A query without a {@code
   * LIMIT} answers at most 100 rows, as Log Service does.
   *
   * @return the rows; never more than {@link #MAX_ROWS}
   * @throws org.opentrail.api.OpenTrailException {@code InvalidQuery} (400) for a search or SQL
   *     that does not parse or names an unknown column (saying where and why), for a {@code LIMIT}
   *     above {@link #MAX_ROWS}, or for a query without an analysis part; {@code QueryTimeout}
   *     (400) when the analysis ran longer than its limit; {@code ServerBusy} (503) when too many
   *     analyses were running to start this one within that limit; {@code LogStoreNotExist} (404)
   *     as {@link #getLogs}
   */
  AnalysisResult analyze(String accountId, String logstore, Instant from, Instant to, String query);

  /** The logstore's index configuration (a default one until its owner sets one). */
  IndexConfig indexConfig(String accountId, String logstore);

  /**
   * Replaces the logstore's index configuration, durably; the logstore is re-indexed from the store
   * in the background (searches are incomplete until that is done).
   *
   * @throws org.opentrail.api.OpenTrailException {@code InvalidParameter} (400) for a bad
   *     configuration; {@code Unauthorized} (403) for the history, whose configuration is fixed
   */
  IndexConfig setIndexConfig(String accountId, String logstore, IndexConfig config);
}
