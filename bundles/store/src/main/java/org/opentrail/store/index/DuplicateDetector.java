package org.opentrail.store.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.store.journal.DuplicateCheck;
import org.opentrail.store.journal.PreparedEvent;

/**
 * Tells the journal writer whether an (account, eventId) is already stored. Events appended but not
 * yet visible to index searches are remembered here; everything older is asked of the index. The
 * writer is the only thread that adds and prunes, which keeps "check, then append" atomic.
 */
public final class DuplicateDetector implements DuplicateCheck {
  private final EventIndex index;
  private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
  private final ArrayDeque<String> order = new ArrayDeque<>();
  private final ArrayDeque<Long> orderSequences = new ArrayDeque<>();
  private int groupAccepted;
  private volatile long visible;

  public DuplicateDetector(EventIndex index) {
    this.index = index;
    this.visible = index.checkpoint();
  }

  /**
   * Remembers an event that is in the journal but may not be in the index (used at startup for the
   * journal's unindexed tail; only before the writer starts).
   */
  public void remember(String key, long sequence) {
    pending.put(key, sequence);
    order.add(key);
    orderSequences.add(sequence);
  }

  /** Searches now see everything up to {@code sequence} (called after each index refresh). */
  public void visibleThrough(long sequence) {
    visible = sequence;
  }

  /** The sequence of a stored event not yet visible to searches, or {@code null}. */
  public Long pendingSequence(String key) {
    return pending.get(key);
  }

  /** How many events are remembered here. */
  public int pendingCount() {
    return pending.size();
  }

  @Override
  public void groupStarted() {
    long v = visible;
    while (!orderSequences.isEmpty() && orderSequences.peekFirst() <= v) {
      orderSequences.pollFirst();
      pending.remove(order.pollFirst());
    }
    groupAccepted = 0;
  }

  @Override
  public long existing(PreparedEvent e) {
    Long s = pending.get(e.key());
    if (s != null) {
      return s;
    }
    try {
      return index.findSequence(e.account(), e.eventId(), e.timeMillis(), e.idTimeMillis());
    } catch (IOException ex) {
      throw new UncheckedIOException("could not check the index for duplicates", ex);
    }
  }

  @Override
  public void accepted(PreparedEvent e, long sequence) {
    String key = e.key();
    pending.put(key, sequence);
    order.add(key);
    orderSequences.add(sequence);
    groupAccepted++;
  }

  @Override
  public void groupFailed() {
    for (int i = 0; i < groupAccepted; i++) {
      orderSequences.pollLast();
      pending.remove(order.pollLast());
    }
    groupAccepted = 0;
  }

  @Override
  public void groupEnded() {
    groupAccepted = 0;
  }
}
