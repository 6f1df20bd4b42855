package org.opentrail.console;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.LookupRequest;

/**
 * The history's time range and filters, from a page's query parameters: {@code range} (a preset,
 * {@code 15m 1h 1d 7d 30d 90d}, or {@code custom} with {@code start} and {@code end}, ISO-8601 with
 * a zone or {@code yyyy-MM-ddTHH:mm} in UTC), one parameter per LookupEvents key named as
 * ActionTrail names it ({@code EventName}, {@code User}, ...) and {@code ErrorCode}. Every value is
 * checked here; errors are {@link InvalidParameterException}s naming the form field.
 */
final class Filters {
  /** The presets, in the order the page offers them. */
  static final Map<String, Duration> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put("15m", Duration.ofMinutes(15));
    PRESETS.put("1h", Duration.ofHours(1));
    PRESETS.put("1d", Duration.ofDays(1));
    PRESETS.put("7d", Duration.ofDays(7));
    PRESETS.put("30d", Duration.ofDays(30));
    PRESETS.put("90d", Duration.ofDays(90));
  }

  /** The error code filter's field (LookupEvents has no such key; the search has). */
  static final String ERROR_CODE = "ErrorCode";

  /** Log Service search field of each LookupEvents key, in the history's index. */
  private static final Map<LookupKey, String> SEARCH_FIELD =
      Map.of(
          LookupKey.EVENT_NAME, "eventName",
          LookupKey.USER, "userIdentity.userName",
          LookupKey.RESOURCE_TYPE, "resourceType",
          LookupKey.RESOURCE_NAME, "resourceName",
          LookupKey.EVENT_RW, "eventRW",
          LookupKey.SERVICE_NAME, "serviceName",
          LookupKey.EVENT_ACCESS_KEY_ID, "userIdentity.accessKeyId",
          LookupKey.EVENT_ID, "eventId");

  final String range;
  final Instant start;
  final Instant end;
  final Map<LookupKey, String> attributes = new LinkedHashMap<>();
  final String errorCode;

  private Filters(String range, Instant start, Instant end, String errorCode) {
    this.range = range;
    this.start = start;
    this.end = end;
    this.errorCode = errorCode;
  }

  /** Reads the filters from {@code param} (a request's parameters), checking each. */
  static Filters parse(Function<String, String> param, Instant now) {
    String range = blankToNull(param.apply("range"));
    range = range == null ? "7d" : range;
    Instant start;
    Instant end;
    if (range.equals("custom")) {
      start = time("start", param.apply("start"));
      end = time("end", param.apply("end"));
      if (!start.isBefore(end)) {
        throw new InvalidParameterException("end", "The end must be after the start.");
      }
    } else {
      Duration d = PRESETS.get(range);
      if (d == null) {
        throw new InvalidParameterException(
            "range",
            "The range must be one of "
                + String.join(", ", PRESETS.keySet())
                + " or custom, not '"
                + Text.quote(range)
                + "'.");
      }
      Instant second = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      end = second.plusSeconds(1);
      start = second.minus(d);
    }
    String error = value(ERROR_CODE, param.apply(ERROR_CODE));
    Filters f = new Filters(range, start, end, error);
    for (LookupKey k : LookupKey.values()) {
      String v = value(k.actionTrailName(), param.apply(k.actionTrailName()));
      if (v != null) {
        if (k == LookupKey.EVENT_RW && !v.equals("Read") && !v.equals("Write")) {
          throw new InvalidParameterException(
              "EventRW", "EventRW must be Read or Write, not '" + Text.quote(v) + "'.");
        }
        f.attributes.put(k, v);
      }
    }
    return f;
  }

  /** A LookupEvents request for one page of these filters. */
  LookupRequest.Builder lookup(String accountId) {
    LookupRequest.Builder b = LookupRequest.builder(accountId).startTime(start).endTime(end);
    attributes.forEach(b::attribute);
    return b;
  }

  /**
   * The same filters as a Log Service search of the history ({@code key: "value" and ...}), for
   * exports and charts.
   *
   * @throws InvalidParameterException for a value holding a double quote, which a search phrase
   *     cannot hold
   */
  String search() {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<LookupKey, String> e : attributes.entrySet()) {
      term(q, e.getKey().actionTrailName(), SEARCH_FIELD.get(e.getKey()), e.getValue());
    }
    if (errorCode != null) {
      term(q, ERROR_CODE, "errorCode", errorCode);
    }
    return q.length() == 0 ? "*" : q.toString();
  }

  /** These filters as a query string (without NextToken), to link to this view. */
  String query() {
    return query(range.equals("custom"));
  }

  /**
   * These filters with the range pinned to its absolute start and end: what the next pages of a
   * result link to, so that a NextToken is always used with the range it was made for.
   */
  String pinned() {
    return query(true);
  }

  private String query(boolean absolute) {
    StringBuilder b = new StringBuilder("range=").append(absolute ? "custom" : Text.url(range));
    if (absolute) {
      b.append("&start=").append(Text.url(start.toString()));
      b.append("&end=").append(Text.url(end.toString()));
    }
    attributes.forEach(
        (k, v) -> b.append('&').append(k.actionTrailName()).append('=').append(Text.url(v)));
    if (errorCode != null) {
      b.append("&ErrorCode=").append(Text.url(errorCode));
    }
    return b.toString();
  }

  /** The value of a filter field, as given ({@code null} if absent). */
  String get(String field) {
    if (field.equals(ERROR_CODE)) {
      return errorCode;
    }
    return attributes.get(LookupKey.fromActionTrailName(field, field));
  }

  /** The filter fields, in the order the page shows them. */
  static List<String> fields() {
    List<String> out = new java.util.ArrayList<>();
    for (LookupKey k : LookupKey.values()) {
      out.add(k.actionTrailName());
    }
    out.add(ERROR_CODE);
    return out;
  }

  private static void term(StringBuilder q, String field, String searchField, String value) {
    if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
      throw new InvalidParameterException(
          field,
          "The "
              + field
              + " filter cannot be searched with a double quote or a backslash in it (charts and"
              + " exports use Log Service's search, whose phrases cannot hold them).");
    }
    if (q.length() > 0) {
      q.append(" and ");
    }
    q.append(searchField).append(": \"").append(value).append('"');
  }

  private static String value(String field, String v) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    if (v.length() > LookupKey.MAX_VALUE_LENGTH) {
      throw new InvalidParameterException(
          field,
          "The " + field + " filter is longer than " + LookupKey.MAX_VALUE_LENGTH + " characters.");
    }
    return v;
  }

  private static Instant time(String field, String v) {
    v = blankToNull(v);
    if (v == null) {
      throw new InvalidParameterException(field, "A custom range needs a " + field + " time.");
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new InvalidParameterException(
            field,
            "The "
                + field
                + " time must be ISO-8601 such as 2026-11-30T08:00:00Z (or 2026-11-30T08:00 in UTC),"
                + " not '"
                + Text.quote(v)
                + "'.");
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
