package org.opentrail.api.event;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Reads eventTime values: ISO-8601 with a zone or offset. The forms events almost always carry,
 * {@code 2024-01-31T08:00:00Z} and {@code 2024-01-31T08:00:00.123Z}, are read directly; anything
 * else goes through {@link OffsetDateTime#parse}.
 */
final class EventTimes {
  private EventTimes() {}

  static long parseMillis(String s) {
    int n = s.length();
    if ((n == 20 || n == 24)
        && s.charAt(n - 1) == 'Z'
        && s.charAt(4) == '-'
        && s.charAt(7) == '-'
        && s.charAt(10) == 'T'
        && s.charAt(13) == ':'
        && s.charAt(16) == ':'
        && (n == 20 || s.charAt(19) == '.')) {
      int year = digits(s, 0, 4);
      int month = digits(s, 5, 2);
      int day = digits(s, 8, 2);
      int hour = digits(s, 11, 2);
      int minute = digits(s, 14, 2);
      int second = digits(s, 17, 2);
      int millis = n == 24 ? digits(s, 20, 3) : 0;
      if (year >= 0
          && month >= 1
          && month <= 12
          && day >= 1
          && day <= 31
          && hour >= 0
          && hour <= 23
          && minute >= 0
          && minute <= 59
          && second >= 0
          && second <= 59
          && millis >= 0) {
        try {
          long days = LocalDate.of(year, month, day).toEpochDay();
          return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
        } catch (java.time.DateTimeException noSuchDay) {
          // e.g. February 30th: let the full parser say what is wrong
        }
      }
    }
    return OffsetDateTime.parse(s).toInstant().toEpochMilli(); // other forms, and errors
  }

  /** The decimal number in {@code s[from, from + len)}, or -1 if it is not all digits. */
  private static int digits(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
