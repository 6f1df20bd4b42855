package org.opentrail.trail;

/**
 * Where one destination is: every event up to {@code cursor} is delivered (or not for this trail);
 * a batch {@code [pendingFirst, pendingLast]} about to be delivered is written here first, so that
 * after a crash exactly that batch (same range, same key) is delivered again.
 */
record CursorState(
    long cursor, long pendingFirst, long pendingLast, long delivered, long lastDeliveryMillis) {
  boolean hasPending() {
    return pendingFirst > 0;
  }

  CursorState pending(long first, long last) {
    return new CursorState(cursor, first, last, delivered, lastDeliveryMillis);
  }

  CursorState delivered(long through, int events, long now) {
    return new CursorState(through, 0, 0, delivered + events, now);
  }

  CursorState skipped(long through) {
    return new CursorState(through, 0, 0, delivered, lastDeliveryMillis);
  }
}
