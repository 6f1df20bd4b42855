package org.opentrail.source.minio;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * MinIO's entry {@code time} as ActionTrail's {@code eventTime}. MinIO writes Go's {@code
 * time.Time} in UTC, RFC 3339 with up to nine fraction digits ({@code
 * 2024-05-09T07:38:10.449688982Z}); ActionTrail's eventTime is whole seconds, {@code
 * YYYY-MM-DDThh:mm:ssZ}, so the fraction is cut off (never rounded up: {@code :10.999} stays {@code
 * :10}). Times with an offset are converted to UTC first.
 *
 * @param eventTime whole seconds, UTC, {@code 2024-05-09T07:38:10Z}
 * @param epochMillis the time to the millisecond, for the event id
 */
record EntryTime(String eventTime, long epochMillis) {
  /**
   * The time of an entry.
   *
   * @throws DateTimeException if {@code s} is not an RFC 3339 time with a zone
   */
  static EntryTime parse(String s) {
    int n = s.length();
    if (n >= 20
        && s.charAt(4) == '-'
        && s.charAt(7) == '-'
        && (s.charAt(10) == 'T' || s.charAt(10) == 't')
        && s.charAt(13) == ':'
        && s.charAt(16) == ':'
        && (s.charAt(n - 1) == 'Z' || s.charAt(n - 1) == 'z')) {
      int millis = fractionMillis(s, n);
      int year = digits(s, 0, 4);
      int month = digits(s, 5, 2);
      int day = digits(s, 8, 2);
      int hour = digits(s, 11, 2);
      int minute = digits(s, 14, 2);
      int second = digits(s, 17, 2);
      if (millis >= 0
          && year >= 0
          && hour >= 0
          && hour <= 23
          && minute >= 0
          && minute <= 59
          && second >= 0
          && second <= 59) {
        long days = LocalDate.of(year, month, day).toEpochDay(); // checks month and day
        long seconds = ((days * 24 + hour) * 60 + minute) * 60 + second;
        String whole =
            s.charAt(10) == 'T'
                ? s.substring(0, 19)
                : s.substring(0, 10) + 'T' + s.substring(11, 19);
        return new EntryTime(whole + 'Z', seconds * 1000 + millis);
      }
    }
    Instant t = OffsetDateTime.parse(s).toInstant(); // offsets, and the error for the rest
    Instant whole = t.truncatedTo(ChronoUnit.SECONDS);
    return new EntryTime(whole.toString(), t.toEpochMilli());
  }

  /** The milliseconds of the fraction between second and 'Z', 0 if none, -1 if malformed. */
  private static int fractionMillis(String s, int n) {
    if (n == 20) {
      return 0;
    }
    if (s.charAt(19) != '.' || n == 21) {
      return -1;
    }
    int millis = 0;
    for (int i = 20; i < n - 1; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (i < 23) {
        millis = millis * 10 + (c - '0');
      }
    }
    for (int i = Math.min(n - 1, 23); i < 23; i++) {
      millis *= 10;
    }
    return millis;
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
