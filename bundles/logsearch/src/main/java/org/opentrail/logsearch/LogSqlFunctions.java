package org.opentrail.logsearch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
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
 *   <li>{@code approx_distinct(x)}: the number of distinct non-NULL values, counted exactly
 *   <li>{@code approx_percentile(x, p)}: the {@code p} (0 to 1) percentile of the non-NULL values,
 *       exactly (nearest rank)
 * </ul>
 */
public final class LogSqlFunctions {
  private LogSqlFunctions() {}

  /** Adds the functions to the schema the SQL is validated against. */
  static void register(SchemaPlus schema) {
    schema.add("date_trunc", ScalarFunctionImpl.create(LogSqlFunctions.class, "dateTrunc"));
    schema.add("from_unixtime", ScalarFunctionImpl.create(LogSqlFunctions.class, "fromUnixtime"));
    schema.add("date_format", ScalarFunctionImpl.create(LogSqlFunctions.class, "dateFormat"));
    schema.add("histogram", ScalarFunctionImpl.create(LogSqlFunctions.class, "histogram"));
    schema.add("text_limit", ScalarFunctionImpl.create(LogSqlFunctions.class, "textLimit"));
    schema.add("text_replace", ScalarFunctionImpl.create(LogSqlFunctions.class, "textReplace"));
    schema.add("approx_distinct", AggregateFunctionImpl.create(ApproxDistinct.class));
    schema.add("approx_percentile", AggregateFunctionImpl.create(ApproxPercentile.class));
  }

  static OpenTrailException invalid(String message) {
    return SearchSyntax.invalid(message);
  }

  /** See the class comment; an unknown unit is {@code InvalidQuery}, a NULL time NULL. */
  public static String dateTrunc(String unit, Long seconds) {
    if (unit == null || seconds == null) {
      return null;
    }
    ZonedDateTime t = Instant.ofEpochSecond(seconds).atZone(ZoneOffset.UTC);
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
    return invalid(
        "A string computed by the analysis (with ||, replace or overlay) is longer than "
            + MAX_TEXT
            + " characters, the longest an analysis computes.");
  }

  /** The time of Unix {@code seconds} as ISO-8601 UTC. */
  public static String fromUnixtime(Long seconds) {
    if (seconds == null) {
      return null;
    }
    return Instant.ofEpochSecond(seconds).toString();
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

  /** Unix {@code seconds} in a MySQL-style {@code format}, UTC. */
  public static String dateFormat(Long seconds, String format) {
    if (seconds == null || format == null) {
      return null;
    }
    ZonedDateTime t = Instant.ofEpochSecond(seconds).atZone(ZoneOffset.UTC);
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
    }
    return b.toString();
  }

  /** {@code approx_distinct(x)}: distinct non-NULL values, counted exactly. */
  public static final class ApproxDistinct {
    public ApproxDistinct() {}

    public Set<Object> init() {
      return new HashSet<>();
    }

    public Set<Object> add(Set<Object> seen, Object value) {
      if (value != null && seen.add(value)) {
        GroupLimit.held("approx_distinct");
      }
      return seen;
    }

    public long result(Set<Object> seen) {
      return seen.size();
    }
  }

  /** {@code approx_percentile(x, p)}: the nearest-rank percentile of the non-NULL values. */
  public static final class ApproxPercentile {
    public ApproxPercentile() {}

    /** Values seen so far ({@code v[0..n)}) and the percentile asked. */
    public static final class Values {
      double[] v = new double[64];
      int n;
      double p = Double.NaN;
    }

    public Values init() {
      return new Values();
    }

    /** Takes any numbers: Calcite passes BIGINT, DOUBLE and DECIMAL values as they are. */
    public Values add(Values acc, Object value, Object percentile) {
      double p = percentile instanceof Number n ? n.doubleValue() : Double.NaN;
      if (!(p >= 0 && p <= 1)) {
        throw invalid("approx_percentile needs a percentile from 0 to 1, not " + p + ".");
      }
      acc.p = p;
      if (value instanceof Number n) {
        GroupLimit.held("approx_percentile");
        if (acc.n == acc.v.length) {
          acc.v = Arrays.copyOf(acc.v, acc.n * 2);
        }
        acc.v[acc.n++] = n.doubleValue();
      } else if (value != null) {
        throw invalid("approx_percentile takes numbers, not '" + value + "'.");
      }
      return acc;
    }

    public Double result(Values acc) {
      if (acc.n == 0) {
        return null;
      }
      Arrays.sort(acc.v, 0, acc.n);
      int rank = (int) Math.ceil(acc.p * acc.n);
      return acc.v[Math.max(0, Math.min(acc.n - 1, rank - 1))];
    }
  }
}
