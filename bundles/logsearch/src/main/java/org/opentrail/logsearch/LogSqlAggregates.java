package org.opentrail.logsearch;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.opentrail.api.OpenTrailException;

/**
 * Log Service's approximate aggregates ("Approximate functions" of Simple Log Service), computed
 * exactly, as Calcite user-defined aggregates: {@code approx_distinct(x)} and {@code
 * approx_percentile(x, p)}. Log Service's {@code count_if}, {@code arbitrary}, {@code max_by} and
 * {@code min_by} are Calcite's own COUNTIF, ANY_VALUE, MAX_BY and MIN_BY ({@link SqlRewrites}).
 */
public final class LogSqlAggregates {
  private LogSqlAggregates() {}

  static OpenTrailException invalid(String message) {
    return LogSqlFunctions.invalid(message);
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
