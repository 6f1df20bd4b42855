package org.opentrail.logsearch;

import static org.opentrail.api.logsearch.LogSearch.MAX_LINES;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.logsearch.SearchResult;
import org.opentrail.api.store.StoredEvent;

/**
 * One page of a search (Log Service's GetLogs): the events at {@code [offset, offset + line)} of
 * the matches in time order, newest first when reversed, read from the store by the sequence
 * numbers the index holds, with the number of matches (exact only when asked: counting every match
 * costs a second pass over the index).
 */
final class PageSearch {
  /** Most events a search pages through (offset + line), as Log Service limits GetLogs paging. */
  static final int MAX_OFFSET = 1_000_000;

  private final SearchScope scope;

  PageSearch(SearchScope scope) {
    this.scope = scope;
  }

  /**
   * The page, as {@link org.opentrail.api.logsearch.LogSearch#getLogs} describes it, on the index
   * the logstore has now ({@link SearchScope#replacedIndexRetried} runs it again on a new one).
   *
   * @throws InvalidParameterException for {@code line} outside 1 to {@link
   *     org.opentrail.api.logsearch.LogSearch#MAX_LINES} or {@code offset} outside 0 to {@link
   *     #MAX_OFFSET} - line, and as {@link SearchScope#search} does
   */
  SearchResult getLogs(
      SearchScope.Request r, int offset, int line, boolean reverse, boolean exactCount) {
    if (line < 1 || line > MAX_LINES) {
      throw new InvalidParameterException(
          "Line", "The parameter Line must be from 1 to " + MAX_LINES + ", not " + line + ".");
    }
    if (offset < 0 || offset > MAX_OFFSET - line) {
      throw new InvalidParameterException(
          "Offset",
          "The parameter Offset must be from 0 to "
              + (MAX_OFFSET - line)
              + ", not "
              + offset
              + ".");
    }
    SearchScope.Search s = scope.search(r);
    if (s.index() == null) {
      return new SearchResult(List.of(), 0, false);
    }
    try {
      IndexSearcher searcher = s.index().acquire();
      try {
        IndexSearcher timed = SearchScope.timed(searcher);
        TopDocs top =
            timed.search(
                s.query(),
                new TopFieldCollectorManager(
                    reverse ? StreamIndex.NEWEST_FIRST : StreamIndex.OLDEST_FIRST,
                    offset + line,
                    null,
                    offset + line));
        boolean complete = !timed.timedOut();
        // the collector stops counting once it holds the page (the index is in time order)
        long count = top.totalHits.value;
        if (exactCount && top.totalHits.relation != TotalHits.Relation.EQUAL_TO) {
          count = timed.count(s.query());
          complete &= !timed.timedOut();
        }
        List<StoredEvent> events = new ArrayList<>();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (int i = offset; i < top.scoreDocs.length; i++) {
          ScoreDoc d = top.scoreDocs[i];
          LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(d.doc, leaves));
          NumericDocValues seqs = DocValues.getNumeric(leaf.reader(), StreamIndex.SEQUENCE);
          if (!seqs.advanceExact(d.doc - leaf.docBase)) {
            continue;
          }
          long seq = seqs.longValue();
          List<StoredEvent> read = scope.store().read(s.stream(), seq - 1, 1);
          if (!read.isEmpty() && read.get(0).sequence() == seq) {
            events.add(read.get(0));
          }
        }
        return new SearchResult(events, count, complete && s.complete());
      } finally {
        s.index().release(searcher);
      }
    } catch (IOException e) {
      throw SearchScope.unavailable(r.logstore(), e);
    }
  }
}
