package org.opentrail.logsearch;

import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/**
 * Counts matching documents per time bucket from the eventTime doc values: bucket {@code i} holds
 * times in {@code [from + i * interval, from + (i + 1) * interval)}; times outside {@code [from,
 * to)} are not counted (the query filters them already).
 */
final class BucketCounter extends SimpleCollector {
  final long[] counts;
  private final long from;
  private final long to;
  private final long interval;
  private NumericDocValues times;

  BucketCounter(long from, long to, long interval) {
    this.from = from;
    this.to = to;
    this.interval = interval;
    this.counts = new long[(int) ((to - from + interval - 1) / interval)];
  }

  @Override
  protected void doSetNextReader(LeafReaderContext context) throws IOException {
    times = DocValues.getNumeric(context.reader(), StreamIndex.TIME);
  }

  @Override
  public void collect(int doc) throws IOException {
    if (times.advanceExact(doc)) {
      long t = times.longValue();
      if (t >= from && t < to) {
        counts[(int) ((t - from) / interval)]++;
      }
    }
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }
}
