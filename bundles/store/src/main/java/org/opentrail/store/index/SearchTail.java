package org.opentrail.store.index;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.StoreQuery;

/**
 * The events stored but not yet visible to index searches (the index refreshes every 250 ms by
 * default, and falls behind in bursts), in sequence order: de-duplication finds them by key, and
 * lookups match them here so that an event is found as soon as it is acknowledged
 * (read-your-writes). Each keeps only what matching needs (its lookup attribute values are the
 * arrays the record was encoded from, not copies).
 *
 * <p>The journal writer is the only thread that adds and prunes; lookups read concurrently. A
 * lookup reads {@link #visible()} before it takes its index searchers, matches the tail after it,
 * and runs again if {@link #prunedThrough()} passed that mark meanwhile (a refresh and a prune
 * within one lookup), so that no event is ever in neither.
 */
public final class SearchTail {
  /** An event searches cannot see yet. */
  record Entry(
      long sequence,
      long timeMillis,
      String account,
      String eventId,
      String key,
      LocalDate day,
      byte[] keys,
      String[] values) {
    boolean matches(List<LookupAttribute> attributes) {
      for (LookupAttribute a : attributes) {
        if (a.key() == LookupKey.EVENT_ID ? !a.value().equals(eventId) : !has(a)) {
          return false;
        }
      }
      return true;
    }

    private boolean has(LookupAttribute a) {
      int k = a.key().ordinal();
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] == k && a.value().equals(values[i])) {
          return true;
        }
      }
      return false;
    }
  }

  /** Newest first, as BACKWARD lookups are ordered. */
  public static final Comparator<Position> NEWEST_FIRST =
      Comparator.comparingLong(Position::timeMillis)
          .thenComparingLong(Position::sequence)
          .reversed();

  /** Oldest first, as FORWARD lookups are ordered. */
  public static final Comparator<Position> OLDEST_FIRST = NEWEST_FIRST.reversed();

  private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<Entry> order = new ConcurrentLinkedDeque<>();
  private volatile long visible;
  private volatile long prunedThrough;

  SearchTail(long visible) {
    this.visible = visible;
    this.prunedThrough = visible;
  }

  /** Searches see everything up to here. */
  public long visible() {
    return visible;
  }

  void visibleThrough(long sequence) {
    visible = sequence;
  }

  /** Entries up to here may have been dropped. */
  public long prunedThrough() {
    return prunedThrough;
  }

  void add(Entry e) {
    byKey.put(e.key(), e);
    order.addLast(e);
  }

  Entry get(String key) {
    return byKey.get(key);
  }

  /** Drops the entries searches can see (writer thread). */
  void prune() {
    long v = visible;
    if (v > prunedThrough) {
      prunedThrough = v; // first: a lookup that overlaps this prune runs again
    }
    for (Entry e; (e = order.peekFirst()) != null && e.sequence() <= v; ) {
      order.pollFirst();
      byKey.remove(e.key(), e);
    }
  }

  /** Drops the newest {@code n} entries: a group that did not become durable (writer thread). */
  void dropNewest(int n) {
    for (int i = 0; i < n; i++) {
      Entry e = order.pollLast();
      if (e != null) {
        byKey.remove(e.key(), e);
      }
    }
  }

  void forEachKeyOfDay(LocalDate day, Consumer<String> keys) {
    for (Entry e : order) {
      if (e.day().equals(day)) {
        keys.accept(e.key());
      }
    }
  }

  /**
   * The positions of the events of {@code q} with a sequence in {@code (after, through]}, in the
   * query's order (all of them: the caller merges them with the index's hits).
   */
  public List<Position> matching(StoreQuery q, long after, long through) {
    List<Position> out = new ArrayList<>();
    Position from = q.after();
    boolean backward = q.direction() == Direction.BACKWARD;
    Comparator<Position> order = backward ? NEWEST_FIRST : OLDEST_FIRST;
    for (Iterator<Entry> it = this.order.descendingIterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.sequence() <= after) {
        break;
      }
      if (e.sequence() > through
          || !e.account().equals(q.accountId())
          || e.timeMillis() < q.fromMillis()
          || e.timeMillis() > q.toMillis()
          || !e.matches(q.attributes())) {
        continue;
      }
      Position p = new Position(e.timeMillis(), e.sequence());
      if (from == null || order.compare(p, from) > 0) {
        out.add(p);
      }
    }
    out.sort(order);
    return out;
  }

  int size() {
    return order.size();
  }
}
