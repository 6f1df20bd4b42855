package org.opentrail.store.index;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.store.journal.JournalRecord;

/**
 * The events stored but not yet visible to index searches (the index refreshes every 250 ms by
 * default, and falls behind in bursts), in sequence order: de-duplication finds them by key, and
 * lookups match them here so that an event is found as soon as it is acknowledged
 * (read-your-writes).
 *
 * <p>The journal writer is the only thread that adds and prunes; lookups read concurrently (a
 * read-write lock: in the steady state the tail holds the events of one refresh interval). A lookup
 * reads {@link #visible()} before it takes its index searchers, matches the tail after it, and runs
 * again if {@link #prunedThrough()} passed that mark meanwhile (a refresh and a prune within one
 * lookup), so that no event is ever in neither.
 */
public final class SearchTail {
  /**
   * An event searches cannot see yet: its de-duplication key ({@code account:eventId}) and its
   * lookup terms as 64-bit hashes ({@link #term}), 8 bytes each, so that a burst the index is far
   * behind on costs little heap. A hash match is a candidate the caller checks against the record.
   */
  record Entry(long sequence, long timeMillis, String key, LocalDate day, long[] terms) {
    boolean mayMatch(String account, List<LookupAttribute> attributes) {
      if (!key.startsWith(account)
          || key.length() <= account.length()
          || key.charAt(account.length()) != ':') {
        return false;
      }
      for (LookupAttribute a : attributes) {
        if (a.key() == LookupKey.EVENT_ID) {
          if (key.length() != account.length() + 1 + a.value().length()
              || !key.endsWith(a.value())) {
            return false;
          }
        } else if (!has(term(a.key().ordinal(), a.value()))) {
          return false;
        }
      }
      return true;
    }

    private boolean has(long t) {
      for (long x : terms) {
        if (x == t) {
          return true;
        }
      }
      return false;
    }
  }

  /** A lookup term's 64-bit hash (FNV-1a over the key's ordinal and the value's chars). */
  public static long term(int keyOrdinal, String value) {
    long h = 0xcbf29ce484222325L ^ keyOrdinal;
    h *= 0x100000001b3L;
    for (int i = 0; i < value.length(); i++) {
      h ^= value.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The lookup terms of a record's attributes (keys below {@code limit} are lookup keys). */
  public static long[] terms(byte[] keys, String[] values, int limit) {
    int n = 0;
    for (byte k : keys) {
      n += k >= 0 && k < limit ? 1 : 0;
    }
    long[] t = new long[n];
    int j = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] >= 0 && keys[i] < limit) {
        t[j++] = term(keys[i], values[i]);
      }
    }
    return t;
  }

  /** The lookup terms of a record read back from the journal. */
  public static long[] terms(JournalRecord r) {
    byte[] keys = new byte[r.attributeCount()];
    String[] values = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = (byte) r.attributeKey(i);
      values[i] = keys[i] >= 0 && keys[i] < LookupKey.values().length ? r.attributeValue(i) : null;
    }
    return terms(keys, values, LookupKey.values().length);
  }

  /** Whether a record read back matches a lookup exactly (the check of a hash match). */
  public static boolean matches(JournalRecord r, StoreQuery q) {
    if (!r.account().equals(q.accountId())
        || r.timeMillis() < q.fromMillis()
        || r.timeMillis() > q.toMillis()) {
      return false;
    }
    for (LookupAttribute a : q.attributes()) {
      boolean found = a.key() == LookupKey.EVENT_ID && a.value().equals(r.eventId());
      for (int i = 0; i < r.attributeCount() && !found; i++) {
        found = r.attributeKey(i) == a.key().ordinal() && a.value().equals(r.attributeValue(i));
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Newest first, as BACKWARD lookups are ordered. */
  public static final Comparator<Position> NEWEST_FIRST =
      Comparator.comparingLong(Position::timeMillis)
          .thenComparingLong(Position::sequence)
          .reversed();

  /** Oldest first, as FORWARD lookups are ordered. */
  public static final Comparator<Position> OLDEST_FIRST = NEWEST_FIRST.reversed();

  private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
  private final ArrayDeque<Entry> order = new ArrayDeque<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
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
    lock.writeLock().lock();
    try {
      order.addLast(e);
    } finally {
      lock.writeLock().unlock();
    }
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
    lock.writeLock().lock();
    try {
      for (Entry e; (e = order.peekFirst()) != null && e.sequence() <= v; ) {
        order.pollFirst();
        byKey.remove(e.key(), e);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Drops the newest {@code n} entries: a group that did not become durable (writer thread). */
  void dropNewest(int n) {
    lock.writeLock().lock();
    try {
      for (int i = 0; i < n; i++) {
        Entry e = order.pollLast();
        if (e != null) {
          byKey.remove(e.key(), e);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  void forEachKeyOfDay(LocalDate day, Consumer<String> keys) {
    lock.readLock().lock();
    try {
      for (Entry e : order) {
        if (e.day().equals(day)) {
          keys.accept(e.key());
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The positions of the events that may match {@code q} with a sequence in {@code (after,
   * through]}, in the query's order (all of them: the caller checks them with {@link #matches} and
   * merges them with the index's hits).
   */
  public List<Position> matching(StoreQuery q, long after, long through) {
    List<Position> out = new ArrayList<>();
    Position from = q.after();
    boolean backward = q.direction() == Direction.BACKWARD;
    Comparator<Position> order = backward ? NEWEST_FIRST : OLDEST_FIRST;
    lock.readLock().lock();
    try {
      for (Iterator<Entry> it = this.order.descendingIterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (e.sequence() <= after) {
          break;
        }
        if (e.sequence() > through
            || e.timeMillis() < q.fromMillis()
            || e.timeMillis() > q.toMillis()
            || !e.mayMatch(q.accountId(), q.attributes())) {
          continue;
        }
        Position p = new Position(e.timeMillis(), e.sequence());
        if (from == null || order.compare(p, from) > 0) {
          out.add(p);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    out.sort(order);
    return out;
  }
}
