package org.opentrail.store.index;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.IndexSortSortedNumericDocValuesRangeQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.StoreQuery;

/**
 * Runs a lookup over the day partitions in the query's direction and stops as soon as the page is
 * full. Newest-first follows each partition's sort order, so Lucene stops after the first hits;
 * oldest-first probes growing time windows from the start of the range, so it only ever sorts the
 * few events near where the page begins.
 */
public final class IndexSearch {
  private static final long DAY = 86_400_000L;
  private static final long FIRST_WINDOW = 60_000L;

  private final EventIndex index;

  public IndexSearch(EventIndex index) {
    this.index = index;
  }

  /** Positions of up to {@code q.limit()} matching events, in the query's order. */
  public List<Position> search(StoreQuery q) throws IOException {
    return search(q, Long.MAX_VALUE);
  }

  /**
   * Like {@link #search(StoreQuery)}, among events with a sequence up to {@code maxSequence} only
   * (what a lookup merges with the events searches could not see yet: newer hits of a searcher
   * refreshed meanwhile must not take places in the page).
   */
  public List<Position> search(StoreQuery q, long maxSequence) throws IOException {
    long lo = q.fromMillis();
    long hi = q.toMillis();
    if (q.after() != null) {
      if (q.direction() == Direction.BACKWARD) {
        hi = Math.min(hi, q.after().timeMillis());
      } else {
        lo = Math.max(lo, q.after().timeMillis());
      }
    }
    List<Position> out = new ArrayList<>(q.limit());
    if (lo > hi) {
      return out;
    }
    FieldDoc after =
        q.after() == null
            ? null
            : new FieldDoc(
                Integer.MAX_VALUE,
                Float.NaN,
                new Object[] {q.after().timeMillis(), q.after().sequence()});
    NavigableSet<LocalDate> days =
        index.days().subSet(EventIndex.dayOf(lo), true, EventIndex.dayOf(hi), true);
    for (LocalDate day : q.direction() == Direction.BACKWARD ? days.descendingSet() : days) {
      if (index.isRebuilding(day)) {
        continue; // answered for the other days; the answer names this one as being rebuilt
      }
      IndexPartition p;
      try {
        p = index.partition(day, false);
      } catch (IOException | RuntimeException e) {
        index.partitionFailed(day, e);
        continue;
      }
      if (p == null) {
        continue;
      }
      long dayStart = EventIndex.startOf(day);
      long from = Math.max(lo, dayStart);
      long to = Math.min(hi, dayStart + DAY - 1);
      IndexSearcher searcher;
      try {
        searcher = p.acquire();
      } catch (org.apache.lucene.store.AlreadyClosedException dropped) {
        continue; // dropped by retention meanwhile
      }
      int before = out.size();
      Exception failed = null;
      try {
        if (q.direction() == Direction.BACKWARD) {
          collect(
              searcher,
              query(q, from, to, dayStart, maxSequence),
              IndexFields.NEWEST_FIRST,
              after,
              q.limit() - out.size(),
              out);
        } else {
          long width = FIRST_WINDOW;
          for (long w = from; w <= to && out.size() < q.limit(); w += width, width *= 8) {
            long end = Math.min(to, w + width - 1);
            collect(
                searcher,
                query(q, w, end, dayStart, maxSequence),
                IndexFields.OLDEST_FIRST,
                after,
                q.limit() - out.size(),
                out);
            if (end == to) {
              break;
            }
          }
        }
      } catch (org.apache.lucene.index.CorruptIndexException
          | java.nio.file.NoSuchFileException
          | java.io.EOFException e) {
        out.subList(before, out.size()).clear();
        failed = e;
      } finally {
        p.release(searcher);
      }
      if (failed != null) {
        index.partitionFailed(day, failed);
        continue;
      }
      if (out.size() >= q.limit()) {
        break;
      }
    }
    return out;
  }

  private static void collect(
      IndexSearcher searcher, Query query, Sort sort, FieldDoc after, int n, List<Position> out)
      throws IOException {
    TopFieldDocs top = searcher.search(query, new TopFieldCollectorManager(sort, n, after, n));
    for (ScoreDoc sd : top.scoreDocs) {
      Object[] f = ((FieldDoc) sd).fields;
      out.add(new Position((Long) f[0], (Long) f[1]));
    }
  }

  private static Query query(StoreQuery q, long from, long to, long dayStart, long maxSequence) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (q.attributes().isEmpty()) {
      b.add(
          new TermQuery(new Term(IndexFields.ACCOUNT, q.accountId())), BooleanClause.Occur.FILTER);
    }
    for (LookupAttribute a : q.attributes()) {
      b.add(
          new TermQuery(IndexFields.term(a.key(), q.accountId(), a.value())),
          BooleanClause.Occur.FILTER);
    }
    if (from > dayStart || to < dayStart + DAY - 1) {
      b.add(
          new IndexSortSortedNumericDocValuesRangeQuery(
              IndexFields.TIME,
              from,
              to,
              NumericDocValuesField.newSlowRangeQuery(IndexFields.TIME, from, to)),
          BooleanClause.Occur.FILTER);
    }
    if (maxSequence != Long.MAX_VALUE) {
      b.add(
          NumericDocValuesField.newSlowRangeQuery(IndexFields.SEQUENCE, 0, maxSequence),
          BooleanClause.Occur.FILTER);
    }
    return b.build();
  }
}
