package org.opentrail.trail;

import java.util.List;

/**
 * Where one destination is: every event up to {@code cursor} is delivered (or not for this trail),
 * except those in {@code gaps}, which the store could not read; a batch {@code [pendingFirst,
 * pendingLast]} about to be delivered is written here first, so that after a crash exactly that
 * batch (same range, same key) is delivered again.
 */
record CursorState(
    long cursor,
    long pendingFirst,
    long pendingLast,
    long delivered,
    long lastDeliveryMillis,
    List<Gap> gaps) {

  CursorState {
    gaps = gaps == null ? List.of() : List.copyOf(gaps);
  }

  /** A cursor with no gaps. */
  CursorState(
      long cursor, long pendingFirst, long pendingLast, long delivered, long lastDeliveryMillis) {
    this(cursor, pendingFirst, pendingLast, delivered, lastDeliveryMillis, List.of());
  }

  boolean hasPending() {
    return pendingFirst > 0;
  }

  CursorState pending(long first, long last) {
    return new CursorState(cursor, first, last, delivered, lastDeliveryMillis, gaps);
  }

  CursorState delivered(long through, int events, long now) {
    return new CursorState(through, 0, 0, delivered + events, now, gaps);
  }

  CursorState skipped(long through) {
    return new CursorState(through, 0, 0, delivered, lastDeliveryMillis, gaps);
  }

  /** The same place, with these gaps. */
  CursorState withGaps(List<Gap> g) {
    return new CursorState(cursor, pendingFirst, pendingLast, delivered, lastDeliveryMillis, g);
  }

  /** Events delivered again out of order (a repaired gap). */
  CursorState redelivered(int events, long now) {
    return new CursorState(cursor, pendingFirst, pendingLast, delivered + events, now, gaps);
  }
}
