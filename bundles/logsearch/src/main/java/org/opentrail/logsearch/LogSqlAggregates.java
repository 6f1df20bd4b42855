package org.opentrail.logsearch;

/**
 * Log Service's aggregate functions that Calcite lacks by these names (Simple Log Service,
 * "Aggregate functions", Presto's), each holding one value or two per group, never a list of rows:
 *
 * <ul>
 *   <li>{@code count_if(condition)}: the rows where the condition is true (BIGINT)
 *   <li>{@code arbitrary(x)}: one non-NULL value of {@code x} (here the first one read), NULL if
 *       none
 *   <li>{@code max_by(x, y)} / {@code min_by(x, y)}: the {@code x} of the row with the largest /
 *       smallest non-NULL {@code y} (the first such row on ties), NULL if none
 * </ul>
 *
 * Calcite passes values as they are (BIGINT as Long, VARCHAR as String, DOUBLE as Double); {@code
 * y}s of one column compare with each other.
 */
public final class LogSqlAggregates {
  private LogSqlAggregates() {}

  /** {@code count_if(condition)}. */
  public static final class CountIf {
    public CountIf() {}

    public long[] init() {
      return new long[1];
    }

    public long[] add(long[] count, Boolean condition) {
      if (Boolean.TRUE.equals(condition)) {
        count[0]++;
      }
      return count;
    }

    public long result(long[] count) {
      return count[0];
    }
  }

  /** {@code arbitrary(x)}: the first non-NULL {@code x}. */
  public static final class Arbitrary {
    public Arbitrary() {}

    public Object[] init() {
      return new Object[1];
    }

    public Object[] add(Object[] kept, Object value) {
      if (kept[0] == null) {
        kept[0] = value;
      }
      return kept;
    }

    public Object result(Object[] kept) {
      return kept[0];
    }
  }

  /** {@code max_by(x, y)}. */
  public static final class MaxBy {
    public MaxBy() {}

    public Object[] init() {
      return new Object[2];
    }

    public Object[] add(Object[] kept, Object x, Object y) {
      return keep(kept, x, y, 1);
    }

    public Object result(Object[] kept) {
      return kept[0];
    }
  }

  /** {@code min_by(x, y)}. */
  public static final class MinBy {
    public MinBy() {}

    public Object[] init() {
      return new Object[2];
    }

    public Object[] add(Object[] kept, Object x, Object y) {
      return keep(kept, x, y, -1);
    }

    public Object result(Object[] kept) {
      return kept[0];
    }
  }

  /** Keeps {@code (x, y)} when {@code y} is the first non-NULL or compares {@code sign} to kept. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object[] keep(Object[] kept, Object x, Object y, int sign) {
    if (y == null) {
      return kept;
    }
    if (kept[1] == null) {
      kept[0] = x;
      kept[1] = y;
      return kept;
    }
    int c;
    if (y instanceof Number a && kept[1] instanceof Number b) {
      c = Double.compare(a.doubleValue(), b.doubleValue());
    } else if (y instanceof Comparable a && a.getClass() == kept[1].getClass()) {
      c = a.compareTo(kept[1]);
    } else {
      c = y.toString().compareTo(kept[1].toString());
    }
    if (Integer.signum(c) == sign) {
      kept[0] = x;
      kept[1] = y;
    }
    return kept;
  }
}
