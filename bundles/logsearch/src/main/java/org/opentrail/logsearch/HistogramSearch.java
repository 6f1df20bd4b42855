package org.opentrail.logsearch;

import static org.opentrail.api.logsearch.LogSearch.MAX_BUCKETS;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.IndexSearcher;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.logsearch.Histogram;

/**
 * The histogram of a search (Log Service's GetHistograms): the number of matches per time bucket of
 * {@code [from, to)}, counted from the index alone ({@link BucketCounter}), in buckets of a given
 * interval or of one chosen to draw about 60 bars.
 */
final class HistogramSearch {
  private final SearchScope scope;

  HistogramSearch(SearchScope scope) {
    this.scope = scope;
  }

  /**
   * The histogram, as {@link org.opentrail.api.logsearch.LogSearch#getHistograms} describes it, on
   * the index the logstore has now ({@link SearchScope#replacedIndexRetried} runs it again on a new
   * one).
   *
   * @param interval the bucket width, at least 1 s; null for {@link #autoInterval}
   * @throws InvalidParameterException for an interval under 1 s or one making more than {@link
   *     org.opentrail.api.logsearch.LogSearch#MAX_BUCKETS} buckets, and as {@link
   *     SearchScope#search} does
   */
  Histogram getHistograms(SearchScope.Request r, Duration interval) {
    SearchScope.Search s = scope.search(r);
    long start = r.from().toEpochMilli();
    long end = r.to().toEpochMilli();
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
    if (s.index() == null) {
      return new Histogram(List.of(), 0, false);
    }
    try {
      IndexSearcher searcher = s.index().acquire();
      try {
        IndexSearcher timed = SearchScope.timed(searcher);
        BucketCounter counter = new BucketCounter(start, end, step);
        timed.search(s.query(), counter);
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
        return new Histogram(buckets, total, s.complete() && !timed.timedOut());
      } finally {
        s.index().release(searcher);
      }
    } catch (IOException e) {
      throw SearchScope.unavailable(r.logstore(), e);
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
}
