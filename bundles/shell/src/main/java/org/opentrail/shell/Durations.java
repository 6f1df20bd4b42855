package org.opentrail.shell;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --since} values such as {@code 90s}, {@code 30m}, {@code 1h} and {@code 7d}, and
 * ISO-8601 times.
 */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

  private Durations() {}

  static Duration parse(String option, String value) {
    Matcher m = DURATION.matcher(value.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          option + " takes a duration such as 90s, 30m, 1h or 7d, not '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /**
   * An option's ISO-8601 time with its offset, such as {@code 2026-03-01T00:00:00Z}.
   *
   * @throws IllegalArgumentException naming the option, for anything else
   */
  static java.time.Instant time(String option, String value) {
    try {
      return java.time.OffsetDateTime.parse(value.strip()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + " takes an ISO-8601 time such as 2026-03-01T00:00:00Z, not '" + value + "'");
    }
  }

  /** Bytes for people: 1.2 MB. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }
}
