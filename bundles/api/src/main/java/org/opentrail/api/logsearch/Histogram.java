package org.opentrail.api.logsearch;

import java.time.Instant;
import java.util.List;

/**
 * Counts per time bucket, as Log Service's GetHistograms answers them.
 *
 * @param buckets consecutive buckets, oldest first
 * @param count the sum of the buckets' counts
 * @param complete {@code false} while the index has not caught up with the store, or when the count
 *     ran out of time
 */
public record Histogram(List<Bucket> buckets, long count, boolean complete) {
  public Histogram {
    buckets = List.copyOf(buckets);
  }

  /**
   * One bucket.
   *
   * @param from its start, inclusive
   * @param to its end, exclusive
   * @param count matching events with eventTime in {@code [from, to)}
   */
  public record Bucket(Instant from, Instant to, long count) {}
}
