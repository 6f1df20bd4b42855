package org.opentrail.store.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.store.journal.DuplicateCheck;
import org.opentrail.store.journal.JournalRecord;
import org.opentrail.store.journal.PreparedEvent;

/**
 * Tells the journal writer whether an (account, eventId) is already stored. Events appended but not
 * yet visible to index searches are remembered in its {@link SearchTail} (which lookups also
 * search). For the rest, a Bloom filter per day partition answers "certainly not stored" for almost
 * every event; only a "maybe" is looked up in the index. The writer is the only thread that adds,
 * prunes and filters, which keeps "check, then append" atomic.
 */
public final class DuplicateDetector implements DuplicateCheck {
  private static final int MAX_FILTERS = 8;

  private final EventIndex index;
  private final SearchTail pending;
  private final LinkedHashMap<LocalDate, IdFilter> filters =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<LocalDate, IdFilter> eldest) {
          return size() > MAX_FILTERS; // an evicted day is rebuilt from the index when needed again
        }
      };
  private int groupAccepted;

  public DuplicateDetector(EventIndex index) {
    this.index = index;
    this.pending = new SearchTail(index.checkpoint());
  }

  /** The events stored but not yet visible to searches. */
  public SearchTail tail() {
    return pending;
  }

  /**
   * Remembers an event that is in the journal but may not be in the index (used at startup for the
   * journal's unindexed tail; only before the writer starts).
   */
  public void remember(JournalRecord r, long sequence) {
    pending.add(
        new SearchTail.Entry(
            sequence,
            r.timeMillis(),
            PreparedEvent.key(r.account(), r.eventId()),
            EventIndex.dayOf(r.timeMillis()),
            SearchTail.terms(r)));
  }

  /** Searches now see everything up to {@code sequence} (called after each index refresh). */
  public void visibleThrough(long sequence) {
    pending.visibleThrough(sequence);
  }

  /** The sequence of a stored event not yet visible to searches, or {@code null}. */
  public Long pendingSequence(String key) {
    SearchTail.Entry p = pending.get(key);
    return p == null ? null : p.sequence();
  }

  @Override
  public void groupStarted() {
    pending.prune();
    groupAccepted = 0;
  }

  @Override
  public long existing(PreparedEvent e) {
    String key = e.key();
    SearchTail.Entry p = pending.get(key);
    if (p != null) {
      return p.sequence();
    }
    try {
      LocalDate day = EventIndex.dayOf(e.timeMillis());
      long s = existingIn(day, key, e);
      if (s < 0 && e.idTimeMillis() >= 0 && !EventIndex.dayOf(e.idTimeMillis()).equals(day)) {
        s = existingIn(EventIndex.dayOf(e.idTimeMillis()), key, e);
      }
      return s;
    } catch (IOException ex) {
      throw new UncheckedIOException("could not check the index for duplicates", ex);
    }
  }

  private long existingIn(LocalDate day, String key, PreparedEvent e) throws IOException {
    if (!index.hasPartition(day)) {
      return -1;
    }
    if (!filter(day).mightContain(e.keyHash())) {
      return -1;
    }
    return index.findIn(day, e.account(), e.eventId());
  }

  /** The day's filter, built from the index's eventIds and the pending events of that day. */
  private IdFilter filter(LocalDate day) throws IOException {
    IdFilter f = filters.get(day);
    if (f == null) {
      IdFilter built = new IdFilter();
      index.forEachKey(day, key -> built.add(PreparedEvent.hash(key)));
      pending.forEachKeyOfDay(day, key -> built.add(PreparedEvent.hash(key)));
      filters.put(day, built);
      f = built;
    }
    return f;
  }

  @Override
  public void accepted(PreparedEvent e, long sequence) {
    LocalDate day = EventIndex.dayOf(e.timeMillis());
    pending.add(new SearchTail.Entry(sequence, e.timeMillis(), e.key(), day, e.lookupTerms()));
    IdFilter f = filters.get(day);
    if (f != null) {
      f.add(e.keyHash());
    }
    groupAccepted++;
  }

  @Override
  public void groupFailed() {
    // filters may keep the failed keys: a false "maybe" only costs an index lookup
    pending.dropNewest(groupAccepted);
    groupAccepted = 0;
  }

  @Override
  public void groupEnded() {
    groupAccepted = 0;
  }
}
