package org.opentrail.consume;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opentrail.api.consume.LostRange;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;

/**
 * Sequential reads of one store stream for a consumer: where cursors start, and pulls that notice
 * every sequence number the store passed over (purged by retention, or damaged) and report it as a
 * {@link LostRange}. On the history only one account's events are returned.
 */
final class StreamReader {
  /** Most events of other accounts a history pull passes over before it answers. */
  private static final int MAX_SCAN = 20_000;

  /** What a pull read, and where the cursor stands after it. */
  record Read(
      List<StoredEvent> events, long bytes, List<LostRange> lost, long sequence, long timeMillis) {}

  private final EventStore store;

  StreamReader(EventStore store) {
    this.store = store;
  }

  /** The oldest readable event, if any. */
  StoredEvent oldest(String stream) {
    List<StoredEvent> first = store.read(stream, 0, 1);
    return first.isEmpty() ? null : first.get(0);
  }

  /** The newest event's (sequence, eventTime), or (last, -1) if it cannot be read. */
  long[] end(String stream) {
    long last = store.lastSequence(stream);
    if (last == 0) {
      return new long[] {0, -1};
    }
    List<StoredEvent> e = store.read(stream, last - 1, 1);
    return new long[] {last, e.isEmpty() ? -1 : e.get(0).timeMillis()};
  }

  /**
   * The sequence number to read after so that the first event read is the first whose eventTime is
   * at or after {@code timeMillis}: a binary search over sequence numbers, as eventTimes grow with
   * them (the recorder stamps them as it appends). After the newest event if none is that recent.
   */
  long[] at(String stream, long timeMillis) {
    StoredEvent first = oldest(stream);
    long[] end = end(stream);
    if (first == null) {
      return end;
    }
    if (first.timeMillis() >= timeMillis) {
      return new long[] {first.sequence() - 1, -1};
    }
    long lo = first.sequence(); // eventTime < timeMillis
    long hi = end[0] + 1; // first candidate at or after timeMillis (end+1: none)
    long loTime = first.timeMillis();
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      List<StoredEvent> e = store.read(stream, mid - 1, 1);
      if (e.isEmpty() || e.get(0).sequence() >= hi) {
        hi = mid; // nothing readable in [mid, hi): search below
      } else if (e.get(0).timeMillis() >= timeMillis) {
        hi = e.get(0).sequence();
      } else {
        lo = e.get(0).sequence();
        loTime = e.get(0).timeMillis();
      }
    }
    return new long[] {lo, loTime};
  }

  /**
   * Up to {@code max} events after {@code after} (whose event has {@code afterTime}, -1 if
   * unknown), no more than {@code maxBytes} but at least one, only {@code account}'s if given.
   */
  Read pull(String stream, long after, long afterTime, int max, long maxBytes, String account) {
    long last = store.lastSequence(stream);
    List<StoredEvent> out = new ArrayList<>(Math.min(max, 1000));
    List<long[]> gaps = new ArrayList<>(); // {first, last, afterTime, beforeTime}
    long s = after;
    long sTime = afterTime;
    long bytes = 0;
    int scanned = 0;
    boolean full = false;
    while (!full && out.size() < max && s < last && scanned < MAX_SCAN) {
      int n = account == null ? max - out.size() : Math.min(1000, MAX_SCAN - scanned);
      List<StoredEvent> batch = store.read(stream, s, n);
      if (batch.isEmpty()) {
        gaps.add(new long[] {s + 1, last, sTime, -1});
        s = last;
        break;
      }
      for (StoredEvent e : batch) {
        if (e.sequence() > s + 1) {
          gaps.add(new long[] {s + 1, e.sequence() - 1, sTime, e.timeMillis()});
        }
        boolean mine = account == null || account.equals(e.event().recipientAccountId());
        if (mine) {
          int size = e.event().jsonSize();
          if (!out.isEmpty() && bytes + size > maxBytes) {
            if (e.sequence() > s + 1) {
              s = e.sequence() - 1; // the gap before it is reported: do not report it again
            }
            full = true;
            break;
          }
          out.add(e);
          bytes += size;
        }
        s = e.sequence();
        sTime = e.timeMillis();
        scanned++;
        if (out.size() >= max) {
          break;
        }
      }
    }
    return new Read(out, bytes, lost(stream, gaps), s, sTime);
  }

  /** The gaps as lost ranges, each split into what the store has as damaged and the rest. */
  private List<LostRange> lost(String stream, List<long[]> gaps) {
    if (gaps.isEmpty()) {
      return List.of();
    }
    List<DamagedRange> damaged = store.damaged(stream);
    List<LostRange> out = new ArrayList<>();
    for (long[] g : gaps) {
      Instant after = g[2] < 0 ? null : Instant.ofEpochMilli(g[2]);
      Instant before = g[3] < 0 ? null : Instant.ofEpochMilli(g[3]);
      long from = g[0];
      for (DamagedRange d : damaged) {
        if (!d.overlaps(from, g[1])) {
          continue;
        }
        if (d.firstSequence() > from) {
          out.add(new LostRange(from, d.firstSequence() - 1, after, before, LostRange.RETENTION));
        }
        long to = Math.min(g[1], d.lastSequence());
        out.add(
            new LostRange(Math.max(from, d.firstSequence()), to, after, before, LostRange.DAMAGED));
        from = to + 1;
      }
      if (from <= g[1]) {
        out.add(new LostRange(from, g[1], after, before, LostRange.RETENTION));
      }
    }
    return out;
  }
}
