package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.logsearch.LogSearchService;

/**
 * {@code logsearch}: the history holding {@code --events} events is indexed for search (timed until
 * caught up), then 200 searches of varied selectivity ({@code *}, a field value taken from stored
 * events, a wildcard, a negation, a full-text word) each return the newest 100 hits: once cold (the
 * slowest reported), then 1,000 times in shuffled passes (p50/p99), a 24-hour histogram by minute
 * is counted (20 runs), and the SQL analysis ({@code * | SELECT eventName, count(*) GROUP
 * BY eventName ORDER BY 2 DESC LIMIT 10}) runs over every event of the range (10 runs; the first
 * one includes Calcite's warm-up).
 */
final class LogSearchScenario {
  private LogSearchScenario() {}

  /** The newest 100 hits of {@code query} over {@code [from, to)}: how many came back. */
  private static int newest100(
      LogSearchService search, String account, Instant from, Instant to, String query) {
    try {
      return search
          .getLogs(
              account, EventStore.HISTORY, from, to, query, 0, LogSearch.MAX_LINES, true, false)
          .events()
          .size();
    } catch (RuntimeException e) {
      throw new IllegalStateException("the search " + query + " failed: " + e.getMessage(), e);
    }
  }

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    boolean reuse = o.reuse != null;
    Path dataDir = reuse ? o.reuse.toAbsolutePath() : BenchStore.createDataDir(o.dir, "logsearch");
    if (reuse && !Files.isDirectory(dataDir.resolve("store"))) {
      throw new IllegalArgumentException(dataDir + " holds no store: give a kept data directory");
    }
    RunHeader.print(out, "logsearch", o, dataDir);
    Summary s;
    try (BenchStore fixture = BenchStore.open(dataDir, o.storeConfig)) {
      // a reused directory keeps its index too: only what the store gained is indexed
      String note =
          reuse
              ? "reused " + dataDir
              : LookupScenario.load(
                  o,
                  fixture,
                  new ActionTrailEventGenerator(new Populations(), fixture.account),
                  out);
      EventStore store = fixture.store;
      String account = fixture.account;
      long total = store.lastSequence(EventStore.HISTORY);
      s = new Summary("logsearch", Summary.n(total) + " events, " + note);
      long t0 = System.nanoTime();
      LogSearchService search = new LogSearchService(store, dataDir.resolve("logsearch"), 50);
      try {
        if (!search.awaitCaughtUp(Duration.ofHours(2))) {
          throw new IllegalStateException("indexing did not catch up");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(
            Locale.ROOT,
            "index        %,d events in %.1f s (%,.0f events/s)%n",
            total,
            secs,
            total / secs);
        s.add("index events/s", "%,.0f", total / secs);
        List<StoredEvent> sample = store.read(EventStore.HISTORY, 0, 1);
        List<StoredEvent> newest = store.read(EventStore.HISTORY, total - 200, 200);
        Instant to = Instant.ofEpochMilli(newest.get(newest.size() - 1).timeMillis() + 1);
        Instant from = Instant.ofEpochMilli(sample.get(0).timeMillis());
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          StoredEvent e = newest.get(i);
          queries.add(
              switch (i % 5) {
                case 0 -> "*";
                case 1 -> "eventName: \"" + e.event().eventName() + "\"";
                case 2 ->
                    "userIdentity.userName: \"" + e.event().userName() + "\" and eventRW: Write";
                case 3 ->
                    "eventName: "
                        + e.event().eventName().substring(0, 3)
                        + "* and not acsRegion: "
                        + e.event().acsRegion();
                default -> "\"" + e.event().eventName() + "\"";
              });
        }
        // a first pass over every query, timed apart: the cold figures (JIT, page cache); then
        // five passes in a shuffled order give the steady-state percentiles over 1,000 searches
        long coldMax = 0;
        for (String q : queries) {
          long q0 = System.nanoTime();
          newest100(search, account, from, to, q);
          coldMax = Math.max(coldMax, System.nanoTime() - q0);
        }
        List<String> runs = new ArrayList<>();
        java.util.Random shuffle = new java.util.Random(7);
        for (int pass = 0; pass < 5; pass++) {
          List<String> p = new ArrayList<>(queries);
          java.util.Collections.shuffle(p, shuffle);
          runs.addAll(p);
        }
        long[] nanos = new long[runs.size()];
        long hits = 0;
        for (int i = 0; i < runs.size(); i++) {
          long q0 = System.nanoTime();
          hits += newest100(search, account, from, to, runs.get(i));
          nanos[i] = System.nanoTime() - q0;
        }
        out.printf(Locale.ROOT, "cold pass    200 searches: max %.1f ms%n", coldMax / 1e6);
        s.add("cold first pass max ms", "%.1f", coldMax / 1e6);
        Arrays.sort(nanos);
        double p50 = nanos[nanos.length / 2] / 1e6;
        double p99 = nanos[(int) (nanos.length * 0.99)] / 1e6;
        out.printf(
            Locale.ROOT,
            "newest 100   %,d searches, %,d hits: p50 %.1f ms, p99 %.1f ms%n",
            runs.size(),
            hits,
            p50,
            p99);
        s.add("newest 100 hits p50 ms", "%.1f", p50);
        s.add("newest 100 hits p99 ms", "%.1f", p99);
        Instant dayFrom = to.minus(Duration.ofHours(24));
        long[] h = new long[20];
        long counted = 0;
        for (int i = 0; i < h.length; i++) {
          long q0 = System.nanoTime();
          counted =
              search
                  .getHistograms(
                      account, EventStore.HISTORY, dayFrom, to, "*", Duration.ofMinutes(1))
                  .count();
          h[i] = System.nanoTime() - q0;
        }
        Arrays.sort(h);
        out.printf(
            Locale.ROOT,
            "histogram    24 h by minute, %,d events: p50 %.1f ms, max %.1f ms%n",
            counted,
            h[10] / 1e6,
            h[19] / 1e6);
        s.add("24h histogram by minute p50 ms", "%.1f", h[10] / 1e6);
        analysis(search, account, from, to, out, s);
      } finally {
        search.close();
      }
    }
    if (!reuse) {
      IngestScenario.finish(o, dataDir, out);
    }
    s.print(out);
    return s;
  }

  /** The analysis: top 10 event names over every event of the range, 10 runs. */
  static final String TOP_NAMES =
      "* | SELECT eventName, count(*) GROUP BY eventName ORDER BY 2 DESC LIMIT 10";

  /** The analysis over every event of the range, then over its last day. */
  private static void analysis(
      LogSearchService search,
      String account,
      Instant from,
      Instant to,
      PrintStream out,
      Summary s) {
    analysis(search, account, from, to, "every event", "top-10 analysis p50 ms", out, s);
    analysis(
        search,
        account,
        to.minus(Duration.ofDays(1)),
        to,
        "the last day",
        "top-10 analysis, last day, p50 ms",
        out,
        s);
  }

  private static void analysis(
      LogSearchService search,
      String account,
      Instant from,
      Instant to,
      String range,
      String figure,
      PrintStream out,
      Summary s) {
    long[] a = new long[10];
    long fed = 0;
    for (int i = 0; i < a.length; i++) {
      long q0 = System.nanoTime();
      try {
        fed = search.analyze(account, EventStore.HISTORY, from, to, TOP_NAMES).processedRows();
      } catch (org.opentrail.api.OpenTrailException e) {
        out.printf(Locale.ROOT, "analysis     %s: %s: %s%n", range, e.code(), e.getMessage());
        s.add(figure, "%s", e.code());
        return;
      }
      a[i] = System.nanoTime() - q0;
    }
    long first = a[0];
    Arrays.sort(a);
    out.printf(
        Locale.ROOT,
        "analysis     top 10 eventName, %s, %,d events: first %.0f ms, p50 %.0f ms, max %.0f ms%n",
        range,
        fed,
        first / 1e6,
        a[a.length / 2] / 1e6,
        a[a.length - 1] / 1e6);
    s.add(figure, "%.0f", a[a.length / 2] / 1e6);
  }
}
