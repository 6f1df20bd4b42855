package org.opentrail.logsearch;

import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/**
 * Collects the sequence numbers (doc values) of matching documents into a fixed array of {@code
 * capacity}, segment by segment; one more match sets {@link #overflow} and stops collecting (the
 * caller then asks again over a narrower sequence window). It never holds more than {@code
 * capacity} sequences, whatever the number of matches.
 */
final class SequenceWindow extends SimpleCollector {
  final long[] sequences;
  int size;
  boolean overflow;
  private NumericDocValues seqs;

  SequenceWindow(int capacity) {
    this.sequences = new long[capacity];
  }

  void reset() {
    size = 0;
    overflow = false;
  }

  @Override
  protected void doSetNextReader(LeafReaderContext context) throws IOException {
    if (overflow) {
      throw new CollectionTerminatedException();
    }
    seqs = DocValues.getNumeric(context.reader(), StreamIndex.SEQUENCE);
  }

  @Override
  public void collect(int doc) throws IOException {
    if (seqs.advanceExact(doc)) {
      if (size == sequences.length) {
        overflow = true;
        throw new CollectionTerminatedException();
      }
      sequences[size++] = seqs.longValue();
    }
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }
}
