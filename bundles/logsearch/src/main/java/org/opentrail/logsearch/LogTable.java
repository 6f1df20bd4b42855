package org.opentrail.logsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.NumericUtils;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.IndexConfig.FieldType;

/**
 * The table {@code log} of an analysis: one row per event the search matched, streamed from the
 * index's doc values (nothing is copied into memory, nothing read from the store). Columns are the
 * logstore's indexed fields under their search names ({@code text}/{@code keyword} as VARCHAR,
 * {@code long} as BIGINT, {@code double} as DOUBLE; a field absent from an event is NULL, a list
 * field shows its smallest value), {@code __time__}, the eventTime in Unix seconds (BIGINT), and in
 * {@code actiontrail_*} logstores {@code event} ({@link EventColumn}). Only the columns a query
 * uses are read. A scan stops with {@link TimeoutException} once the deadline passed.
 */
final class LogTable extends AbstractTable implements ProjectableFilterableTable {
  /** The column of eventTime in Unix seconds, as Log Service names it. */
  static final String TIME = "__time__";

  /** Thrown by a scan past its deadline. */
  static final class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimeoutException() {
      super("the analysis ran past its time limit", null, false, false);
    }
  }

  private final IndexSearcher searcher;
  private final Query query;
  private final List<String> names = new ArrayList<>();
  private final List<FieldType> types = new ArrayList<>();
  private final long deadlineNanos;
  private final AtomicLong fed = new AtomicLong();
  private final EventColumn event;
  private final int eventColumn;

  /**
   * @param searcher the index to read, {@code null} for an empty table (index not open yet)
   * @param query the events to answer (search, time range and account already in it)
   * @param deadlineNanos {@link System#nanoTime} after which a scan throws {@link TimeoutException}
   */
  LogTable(IndexSearcher searcher, Query query, IndexConfig config, long deadlineNanos) {
    this.searcher = searcher;
    this.query = query;
    this.deadlineNanos = deadlineNanos;
    names.add(TIME);
    types.add(null);
    for (Map.Entry<String, FieldType> f : config.fields().entrySet()) {
      if (!TIME.equals(f.getKey())) {
        names.add(f.getKey());
        types.add(f.getValue());
      }
    }
    event = EventColumn.of(config);
    eventColumn = event == null ? -1 : names.size();
    if (event != null) {
      names.add(EventColumn.NAME);
      types.add(FieldType.TEXT);
    }
  }

  /** Rows fed to the SQL so far by the scan of the table that read most (a UNION reads twice). */
  long fed() {
    return fed.get();
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (int i = 0; i < names.size(); i++) {
      FieldType t = types.get(i);
      SqlTypeName s =
          t == null || t == FieldType.LONG
              ? SqlTypeName.BIGINT
              : t == FieldType.DOUBLE ? SqlTypeName.DOUBLE : SqlTypeName.VARCHAR;
      b.add(names.get(i), s).nullable(t != null);
    }
    return b.build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, int[] projects) {
    int[] columns = projects;
    if (columns == null) {
      columns = new int[names.size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = i;
      }
    }
    int[] cols = columns;
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return new Scan(cols);
      }
    };
  }

  /** The doc values of a configured field in a leaf (sorted numbers or sorted strings). */
  static Object open(LeafReader r, String field, FieldType t) throws IOException {
    String dv = StreamIndex.VALUES_PREFIX + field;
    return t == FieldType.LONG || t == FieldType.DOUBLE
        ? DocValues.getSortedNumeric(r, dv)
        : DocValues.getSortedSet(r, dv);
  }

  /**
   * A cache of decoded strings for a string column with few distinct values (eventName, regions) in
   * a leaf, null for numbers or many values.
   */
  static String[] cache(Object reader) {
    return reader instanceof SortedSetDocValues v && v.getValueCount() <= 65_536
        ? new String[(int) v.getValueCount()]
        : null;
  }

  /** A document's value from {@link #open}'s doc values (the smallest of a list), or null. */
  static Object read(Object reader, FieldType t, int doc, String[] cache) throws IOException {
    if (t == FieldType.LONG || t == FieldType.DOUBLE) {
      SortedNumericDocValues v = (SortedNumericDocValues) reader;
      if (!v.advanceExact(doc)) {
        return null;
      }
      long n = v.nextValue();
      return t == FieldType.LONG ? (Object) n : NumericUtils.sortableLongToDouble(n);
    }
    SortedSetDocValues v = (SortedSetDocValues) reader;
    if (!v.advanceExact(doc)) {
      return null;
    }
    long ord = v.nextOrd();
    if (cache == null) {
      return v.lookupOrd(ord).utf8ToString();
    }
    String s = cache[(int) ord];
    if (s == null) {
      s = v.lookupOrd(ord).utf8ToString();
      cache[(int) ord] = s;
    }
    return s;
  }

  /** Walks the matching documents leaf by leaf, in index order, reading their doc values. */
  private final class Scan implements Enumerator<Object[]> {
    private final int[] cols;
    private final Object[] readers;
    private final String[][] cache;
    private List<LeafReaderContext> leaves;
    private Weight weight;
    private int leaf = -1;
    private DocIdSetIterator docs;
    private Bits live;
    private Object[] current;
    private long rows;
    private long served;

    Scan(int[] cols) {
      this.cols = cols;
      this.readers = new Object[cols.length];
      this.cache = new String[cols.length][];
    }

    @Override
    public Object[] current() {
      return current;
    }

    @Override
    public boolean moveNext() {
      if (searcher == null) {
        return false;
      }
      if ((++rows & 1023) == 0 && System.nanoTime() > deadlineNanos) {
        throw new TimeoutException();
      }
      try {
        while (true) {
          if (docs == null && !nextLeaf()) {
            return false;
          }
          int doc = docs.nextDoc();
          if (doc == DocIdSetIterator.NO_MORE_DOCS) {
            docs = null;
            continue;
          }
          if (live != null && !live.get(doc)) {
            continue;
          }
          current = row(doc);
          fed.accumulateAndGet(++served, Math::max);
          return true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private boolean nextLeaf() throws IOException {
      if (weight == null) {
        weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        leaves = searcher.getIndexReader().leaves();
      }
      while (++leaf < leaves.size()) {
        LeafReaderContext ctx = leaves.get(leaf);
        Scorer s = weight.scorer(ctx);
        if (s == null) {
          continue;
        }
        LeafReader r = ctx.reader();
        live = r.getLiveDocs();
        for (int i = 0; i < cols.length; i++) {
          FieldType t = types.get(cols[i]);
          if (t == null) {
            readers[i] = DocValues.getNumeric(r, StreamIndex.TIME);
          } else if (cols[i] == eventColumn) {
            readers[i] = event.open(r);
          } else {
            readers[i] = open(r, names.get(cols[i]), t);
            cache[i] = cache(readers[i]);
          }
        }
        docs = s.iterator();
        return true;
      }
      return false;
    }

    private Object[] row(int doc) throws IOException {
      Object[] row = new Object[cols.length];
      for (int i = 0; i < cols.length; i++) {
        FieldType t = types.get(cols[i]);
        if (t == null) {
          NumericDocValues v = (NumericDocValues) readers[i];
          row[i] = v.advanceExact(doc) ? Math.floorDiv(v.longValue(), 1000L) : null;
        } else if (cols[i] == eventColumn) {
          row[i] = ((EventColumn.Reader) readers[i]).json(doc);
        } else {
          row[i] = read(readers[i], t, doc, cache[i]);
        }
      }
      return row;
    }

    @Override
    public void reset() {
      leaf = -1;
      docs = null;
      served = 0;
    }

    @Override
    public void close() {
      docs = null;
    }
  }
}
