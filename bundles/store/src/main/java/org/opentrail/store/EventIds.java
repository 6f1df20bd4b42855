package org.opentrail.store;

/** Reads the time out of time-ordered (UUID version 7) event ids. */
final class EventIds {
  private EventIds() {}

  /** The millisecond timestamp of a UUIDv7 eventId, or -1 for any other id. */
  static long timeOf(String id) {
    if (id.length() != 36
        || id.charAt(8) != '-'
        || id.charAt(13) != '-'
        || id.charAt(14) != '7'
        || id.charAt(18) != '-'
        || id.charAt(23) != '-') {
      return -1;
    }
    long t = 0;
    for (int i = 0; i < 13; i++) {
      if (i == 8) {
        continue;
      }
      int d = Character.digit(id.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      t = (t << 4) | d;
    }
    return t;
  }
}
