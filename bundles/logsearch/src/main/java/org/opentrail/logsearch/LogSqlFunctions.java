package org.opentrail.logsearch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Locale;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.opentrail.api.OpenTrailException;

/**
 * Log Service's SQL functions that Calcite's standard library lacks ("Date and time functions",
 * "Approximate functions" and "Mathematical statistics functions" of Simple Log Service), as
 * Calcite user-defined functions of the {@code log} table's schema. Times are Unix seconds (as
 * {@code __time__}); timestamps answered are ISO-8601 UTC text ({@code 2026-12-01T10:05:00Z}),
 * which sorts and groups in time order. A NULL argument (a field an event lacks) makes NULL.
 *
 * <ul>
 *   <li>{@code date_trunc(unit, seconds)}: the start of the {@code second}, {@code minute}, {@code
 *       hour}, {@code day}, {@code week} (Monday), {@code month}, {@code quarter} or {@code year}
 *       holding the time
 *   <li>{@code from_unixtime(seconds)}: the time as a timestamp
 *   <li>{@code date_format(seconds, format)}: MySQL-style format ({@code %Y %m %d %H %i %s %f %b %a
 *       %j %%}), as Log Service's date_format
 *   <li>{@code histogram(x, n)}: {@code x} rounded down to a multiple of {@code n}
 *   <li>{@code to_unixtime(time)}, {@code now()}
 * </ul>
 *
 * {@code date_trunc} and {@code date_format} also take a time as text or TIMESTAMP. It registers
 * the other families too: {@link LogSqlStrings}, {@link LogSqlRegex}, {@link LogSqlJson}, {@link
 * LogSqlAggregates}.
 */
public final class LogSqlFunctions {
  private LogSqlFunctions() {}

  /** Adds the functions to the schema the SQL is validated against. */
  static void register(SchemaPlus schema) {
    schema.add("date_trunc", ScalarFunctionImpl.create(LogSqlFunctions.class, "dateTrunc"));
    schema.add("date_trunc", ScalarFunctionImpl.create(LogSqlFunctions.class, "dateTruncTime"));
    schema.add("from_unixtime", ScalarFunctionImpl.create(LogSqlFunctions.class, "fromUnixtime"));
    schema.add("date_format", ScalarFunctionImpl.create(LogSqlFunctions.class, "dateFormat"));
    schema.add("date_format", ScalarFunctionImpl.create(LogSqlFunctions.class, "dateFormatTime"));
    schema.add("histogram", ScalarFunctionImpl.create(LogSqlFunctions.class, "histogram"));
    schema.add("text_limit", ScalarFunctionImpl.create(LogSqlFunctions.class, "textLimit"));
    schema.add("text_replace", ScalarFunctionImpl.create(LogSqlFunctions.class, "textReplace"));
    schema.add(
        "approx_distinct", AggregateFunctionImpl.create(LogSqlAggregates.ApproxDistinct.class));
    schema.add(
        "approx_percentile", AggregateFunctionImpl.create(LogSqlAggregates.ApproxPercentile.class));
    schema.add("to_unixtime", ScalarFunctionImpl.create(LogSqlFunctions.class, "toUnixtime"));
    schema.add("now", ScalarFunctionImpl.create(LogSqlFunctions.class, "now"));
    scalars(
        schema,
        LogSqlStrings.class,
        "substr=substrFrom,substr,strpos,split_part=splitPart,length,reverse,lpad,rpad,"
            + "url_extract_host=urlExtractHost,url_extract_path=urlExtractPath,"
            + "url_extract_port=urlExtractPort,url_extract_protocol=urlExtractProtocol,"
            + "url_extract_query=urlExtractQuery,url_extract_parameter=urlExtractParameter");
    scalars(
        schema,
        LogSqlRegex.class,
        "regexp_like=regexpLike,regexp_extract=regexpExtract,regexp_extract=regexpExtractGroup,"
            + "regexp_replace=regexpRemove,regexp_replace=regexpReplace");
    scalars(
        schema, LogSqlJson.class, "json_extract=jsonExtract,json_extract_scalar=jsonExtractScalar");
  }

  /** Adds {@code sqlName=javaMethod} (or {@code name} for both) of {@code c}, comma-separated. */
  private static void scalars(SchemaPlus schema, Class<?> c, String list) {
    for (String entry : list.split(",")) {
      int eq = entry.indexOf('=');
      String sql = eq < 0 ? entry : entry.substring(0, eq);
      String method = eq < 0 ? entry : entry.substring(eq + 1);
      schema.add(sql, ScalarFunctionImpl.create(c, method));
    }
  }

  static OpenTrailException invalid(String message) {
    return SearchSyntax.invalid(message);
  }

  /** See the class comment; an unknown unit is {@code InvalidQuery}, a NULL time NULL. */
  public static String dateTrunc(String unit, Long seconds) {
    if (unit == null || seconds == null) {
      return null;
    }
    ZonedDateTime t = time("date_trunc", seconds);
    ZonedDateTime r =
        switch (unit.toLowerCase(Locale.ROOT)) {
          case "second" -> t;
          case "minute" -> t.truncatedTo(ChronoUnit.MINUTES);
          case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
          case "day" -> t.truncatedTo(ChronoUnit.DAYS);
          case "week" -> t.truncatedTo(ChronoUnit.DAYS).minusDays(t.getDayOfWeek().getValue() - 1);
          case "month" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
          case "quarter" -> t.truncatedTo(ChronoUnit.DAYS).with(IsoFields.DAY_OF_QUARTER, 1);
          case "year" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
          default ->
              throw invalid(
                  "date_trunc does not know the unit '"
                      + unit
                      + "'; use second, minute, hour, day, week, month, quarter or year.");
        };
    return r.toInstant().toString();
  }

  /** The longest string an analysis computes, as long as the longest text value it reads. */
  static final int MAX_TEXT = StreamIndex.MAX_VALUE_BYTES;

  /** {@code s}, if at most {@link #MAX_TEXT} long (what {@code ||} and overlay made). */
  public static String textLimit(String s) {
    if (s != null && s.length() > MAX_TEXT) {
      throw tooLong();
    }
    return s;
  }

  /**
   * {@code replace(s, from, to)} as Calcite's, refused before it makes more than {@link #MAX_TEXT}.
   */
  public static String textReplace(String s, String from, String to) {
    if (s == null || from == null || to == null) {
      return null;
    }
    long count = 0;
    if (from.isEmpty()) {
      count = s.length() + 1L;
    } else {
      for (int i = s.indexOf(from); i >= 0; i = s.indexOf(from, i + from.length())) {
        count++;
      }
    }
    if (s.length() + count * (to.length() - from.length()) > MAX_TEXT) {
      throw tooLong();
    }
    return s.replace(from, to);
  }

  private static OpenTrailException tooLong() {
    return tooLong("||, replace or overlay");
  }

  /** {@code InvalidQuery}: {@code function} would make a string longer than {@link #MAX_TEXT}. */
  static OpenTrailException tooLong(String function) {
    return invalid(
        "A string computed by the analysis (with "
            + function
            + ") is longer than "
            + MAX_TEXT
            + " characters, the longest an analysis computes.");
  }

  /** {@code s} if at most {@link #MAX_TEXT} long, else {@link #tooLong(String)}. */
  static String limited(String s, String function) {
    if (s != null && s.length() > MAX_TEXT) {
      throw tooLong(function);
    }
    return s;
  }

  /**
   * {@code to_unixtime(timestamp)}: Unix seconds (DOUBLE, with milliseconds) of an ISO-8601 time
   * ({@code 2026-12-01T10:05:00Z}, as {@code from_unixtime}, {@code date_trunc} and {@code now()}
   * answer) or of Log Service's {@code 2026-12-01 10:05:00[.123]} (UTC); a TIMESTAMP ({@code
   * current_timestamp}, {@code cast(__time__ as timestamp)}) arrives as that text. Text that is no
   * time is {@code InvalidQuery}.
   */
  public static Double toUnixtime(String time) {
    if (time == null) {
      return null;
    }
    String t = time.strip();
    try {
      Instant i =
          t.endsWith("Z") || t.endsWith("z")
              ? Instant.parse(t.replace(' ', 'T').toUpperCase(Locale.ROOT))
              : java.time.LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      return i.getEpochSecond() + i.getNano() / 1e9;
    } catch (java.time.format.DateTimeParseException bad) {
      throw invalid(
          "to_unixtime takes a time such as '2026-12-01 10:05:00' or '2026-12-01T10:05:00Z', not '"
              + LogSqlRegex.shown(time)
              + "'.");
    }
  }

  /** {@code now()}: the current time to the second, ISO-8601 UTC as {@code from_unixtime}. */
  public static String now() {
    return Instant.ofEpochSecond(System.currentTimeMillis() / 1000).toString();
  }

  /** The time of Unix {@code seconds} as ISO-8601 UTC. */
  public static String fromUnixtime(Long seconds) {
    if (seconds == null) {
      return null;
    }
    return time("from_unixtime", seconds).toInstant().toString();
  }

  /** The first and last Unix seconds Java's dates hold (years -999999999 to 999999999). */
  private static final long FIRST_SECOND = LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC);

  private static final long LAST_SECOND = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);

  /** The UTC time of Unix {@code seconds}; beyond what a date holds, InvalidQuery naming both. */
  private static ZonedDateTime time(String function, long seconds) {
    if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
      throw invalid(
          function
              + " takes Unix seconds from "
              + FIRST_SECOND
              + " to "
              + LAST_SECOND
              + ", not "
              + seconds
              + ".");
    }
    return Instant.ofEpochSecond(seconds).atZone(ZoneOffset.UTC);
  }

  /** {@code x} rounded down to a multiple of {@code n} (positive). */
  public static Long histogram(Long x, Long n) {
    if (x == null || n == null) {
      return null;
    }
    if (n <= 0) {
      throw invalid("histogram needs a positive bucket width, not " + n + ".");
    }
    return Math.floorDiv(x, n) * n;
  }

  /**
   * {@code date_trunc(unit, time)} of a time as text or TIMESTAMP ({@code from_unixtime(__time__)},
   * {@code cast(__time__ as timestamp)}; see {@link #toUnixtime}).
   */
  public static String dateTruncTime(String unit, String time) {
    Double seconds = toUnixtime(time);
    return seconds == null ? null : dateTrunc(unit, (long) Math.floor(seconds));
  }

  /**
   * {@code date_format(time, format)} of a time as text or TIMESTAMP, as {@link #dateTruncTime}.
   */
  public static String dateFormatTime(String time, String format) {
    Double seconds = toUnixtime(time);
    return seconds == null ? null : dateFormat((long) Math.floor(seconds), format);
  }

  /** Unix {@code seconds} in a MySQL-style {@code format}, UTC. */
  public static String dateFormat(Long seconds, String format) {
    if (seconds == null || format == null) {
      return null;
    }
    ZonedDateTime t = time("date_format", seconds);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 == format.length()) {
        b.append(c);
        continue;
      }
      char f = format.charAt(++i);
      switch (f) {
        case 'Y' -> b.append(String.format(Locale.ROOT, "%04d", t.getYear()));
        case 'm' -> b.append(String.format(Locale.ROOT, "%02d", t.getMonthValue()));
        case 'd' -> b.append(String.format(Locale.ROOT, "%02d", t.getDayOfMonth()));
        case 'H' -> b.append(String.format(Locale.ROOT, "%02d", t.getHour()));
        case 'i' -> b.append(String.format(Locale.ROOT, "%02d", t.getMinute()));
        case 's', 'S' -> b.append(String.format(Locale.ROOT, "%02d", t.getSecond()));
        case 'f' -> b.append("000000");
        case 'j' -> b.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
        case 'b' -> b.append(DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH).format(t));
        case 'a' -> b.append(DateTimeFormatter.ofPattern("EEE", Locale.ENGLISH).format(t));
        case '%' -> b.append('%');
        default -> b.append('%').append(f);
      }
      if (b.length() > MAX_TEXT) {
        throw tooLong("date_format");
      }
    }
    return b.toString();
  }
}
