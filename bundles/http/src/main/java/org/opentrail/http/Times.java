package org.opentrail.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.opentrail.api.InvalidParameterException;

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

  /**
   * A time parameter: ISO-8601 in UTC ({@code 2020-10-14T08:09:58Z}) or Unix seconds; {@code
   * orElse} when absent. A malformed value is an {@code InvalidParameter} naming the parameter.
   */
  static Instant parse(ApiRequest r, String name, Instant orElse) {
    String v = r.optional(name);
    if (v == null) {
      return orElse;
    }
    try {
      return v.chars().allMatch(Character::isDigit) && v.length() <= 12
          ? Instant.ofEpochSecond(Long.parseLong(v))
          : Instant.parse(v);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidParameterException(
          name,
          "The parameter "
              + name
              + " is a time in ISO-8601 UTC (e.g. 2020-10-14T08:09:58Z) or Unix seconds, not '"
              + ApiRequest.clip(FormCodec.printable(v))
              + "'.");
    }
  }
}
