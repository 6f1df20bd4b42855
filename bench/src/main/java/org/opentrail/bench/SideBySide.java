package org.opentrail.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;

/**
 * Times every {@link LookupWorkload} query type on two implementations of LookupEvents in the same
 * sitting: for each client count, {@link #ROUNDS} rounds, each running every type on the first
 * side, then on the second (OpenTrail, PostgreSQL, OpenTrail, ...), with the same draws on both;
 * then prints per type the medians of the rounds' p50, p99 and throughput, and their ratios
 * (first/second: below 1 the first is faster).
 */
final class SideBySide {
  static final int ROUNDS = 3;

  /** One side: a name and its lookups. */
  record Side(String name, Function<LookupRequest, LookupResult> lookups) {}

  /** The medians of one type on one side. */
  record Medians(double p50, double p99, double perSecond, double avgHits) {}

  private final List<Side> sides;
  private final ConcurrentLookups[] runners;

  SideBySide(
      List<Side> sides,
      String account,
      ActionTrailEventGenerator gen,
      java.time.Instant start,
      java.time.Instant end) {
    this.sides = sides;
    this.runners = new ConcurrentLookups[sides.size()];
    for (int s = 0; s < sides.size(); s++) {
      runners[s] = new ConcurrentLookups(sides.get(s).lookups(), account, gen, start, end);
    }
  }

  /**
   * Runs the rounds with {@code clients} threads and prints them; answers the medians, indexed
   * [side][type].
   */
  Medians[][] run(int clients, BenchOptions o, PrintStream out) throws InterruptedException {
    List<LookupWorkload.QueryType> types = LookupWorkload.TYPES;
    ConcurrentLookups.Result[][][] r =
        new ConcurrentLookups.Result[sides.size()][ROUNDS][types.size()];
    out.printf(
        Locale.ROOT,
        "%d client%s     per round and side: %,d warm-up then %,d timed queries per type; p50 ms"
            + " per type (%s)%n",
        clients,
        clients == 1 ? " " : "s",
        o.warmup,
        o.queries,
        abbreviations());
    for (int round = 0; round < ROUNDS; round++) {
      for (int s = 0; s < sides.size(); s++) {
        long t0 = System.nanoTime();
        StringBuilder line = new StringBuilder();
        for (int t = 0; t < types.size(); t++) {
          r[s][round][t] = runners[s].run(types.get(t), clients, o.warmup, o.queries, o.seed);
          line.append(
              String.format(Locale.ROOT, " %7s", Latencies.ms(r[s][round][t].timed().p50Millis())));
        }
        out.printf(
            Locale.ROOT,
            "  round %d  %-11s %5.1f s %s%n",
            round + 1,
            sides.get(s).name(),
            (System.nanoTime() - t0) / 1e9,
            line);
        out.flush();
      }
    }
    Medians[][] m = new Medians[sides.size()][types.size()];
    for (int s = 0; s < sides.size(); s++) {
      for (int t = 0; t < types.size(); t++) {
        double[] p50 = new double[ROUNDS];
        double[] p99 = new double[ROUNDS];
        double[] rate = new double[ROUNDS];
        double[] hits = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
          ConcurrentLookups.Result x = r[s][round][t];
          p50[round] = x.timed().p50Millis();
          p99[round] = x.timed().p99Millis();
          rate[round] = x.perSecond();
          hits[round] = x.avgHits();
        }
        m[s][t] = new Medians(median(p50), median(p99), median(rate), median(hits));
      }
    }
    print(clients, m, out);
    return m;
  }

  private void print(int clients, Medians[][] m, PrintStream out) {
    String a = sides.get(0).name();
    String b = sides.get(1).name();
    out.printf(
        Locale.ROOT,
        "%-33s%-21s%-21s%-36s%s%n",
        String.format(
            Locale.ROOT,
            "%d client%s, medians of %d rounds",
            clients,
            clients == 1 ? "" : "s",
            ROUNDS),
        "  " + a + " p50/p99",
        "  " + b + " p50/p99",
        a + "/" + b + ", goal <= 0.33",
        "avg hits" + (clients > 1 ? "          lookups/s (ratio)" : ""));
    for (int t = 0; t < LookupWorkload.TYPES.size(); t++) {
      Medians x = m[0][t];
      Medians y = m[1][t];
      String rate =
          clients > 1
              ? String.format(
                  Locale.ROOT,
                  "   %,8.0f / %,8.0f (%.2f)",
                  x.perSecond(),
                  y.perSecond(),
                  ratio(x.perSecond(), y.perSecond()))
              : "";
      out.printf(
          Locale.ROOT,
          "  %-30s %7s / %-7s    %7s / %-7s    p50 %5.2f  p99 %5.2f"
              + "                %4.1f / %4.1f%s%n",
          LookupWorkload.TYPES.get(t).label(),
          Latencies.ms(x.p50()),
          Latencies.ms(x.p99()),
          Latencies.ms(y.p50()),
          Latencies.ms(y.p99()),
          ratio(x.p50(), y.p50()),
          ratio(x.p99(), y.p99()),
          x.avgHits(),
          y.avgHits(),
          rate);
    }
    out.flush();
  }

  /** The short names of the types, in the order of the per-round lines. */
  private static String abbreviations() {
    StringBuilder b = new StringBuilder();
    for (LookupWorkload.QueryType t : LookupWorkload.TYPES) {
      b.append(b.length() == 0 ? "" : ", ").append(t.label());
    }
    return b.toString();
  }

  static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
