package org.opentrail.http;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Times as ActionTrail's API writes them: ISO-8601 in UTC to the second, e.g. {@code
 * 2020-10-14T08:09:58Z}.
 */
final class Times {
  private Times() {}

  /** The time, or {@code null} for none. */
  static String format(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
