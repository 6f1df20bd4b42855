package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opentrail.api.store.StreamInfo;

/**
 * {@code sustained}: producers held to {@code --rate} events/s for {@code --seconds}, while a
 * {@link QueryableDelayProbe} measures how soon a new event can be looked up. Every second it
 * prints the acknowledged rate, the index lag in events and the probes' delays; at the end whether
 * the index kept up: the producers met the rate, the lag stayed bounded (the last third of the run
 * peaked no higher than the first third plus half a second of events) and no probe waited more than
 * a second.
 */
final class SustainedScenario {
  private static final long PROBE_PERIOD_MILLIS = 200;
  private static final long RECENT_MILLIS = 10 * 60_000L;

  private SustainedScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path dataDir = BenchStore.createDataDir(o.dir, "sustained");
    RunHeader.print(out, "sustained", o, dataDir);
    BenchStore fixture = BenchStore.open(dataDir, o.storeConfig);
    ActionTrailEventGenerator gen =
        new ActionTrailEventGenerator(new Populations(), fixture.account);
    out.println("events       " + gen.describeSkew());
    long total = (long) o.rate * o.seconds;
    int poolSize = o.poolSize(total);
    long now = System.currentTimeMillis();
    EventPool pool =
        EventPool.generate(
            gen,
            poolSize,
            o.seed,
            o.clientIds,
            i -> now - RECENT_MILLIS + i * RECENT_MILLIS / poolSize);
    out.printf(
        Locale.ROOT,
        "generated    %,d distinct events in %.1f s (before timing), avg JSON %.0f B%s%n",
        poolSize,
        pool.generateNanos / 1e9,
        pool.avgJsonBytes,
        total > poolSize ? ", cycled" : "");
    out.printf(
        Locale.ROOT,
        "run          %,d events/s for %d s: %d producers x %d events per record(); a probe"
            + " every %d ms (LookupEvents polled every %d ms)%n",
        o.rate,
        o.seconds,
        o.threads,
        o.batch,
        PROBE_PERIOD_MILLIS,
        QueryableDelayProbe.POLL_MILLIS);
    out.println(
        "     t   acked/s   index lag (events)   probes seen  delay max ms  oldest unseen ms");
    out.flush();

    IngestScenario.warmUp(o, fixture, pool, out);
    Producers producers = new Producers(fixture, o.threads, o.batch, total, pool.batches(), o.seed);
    QueryableDelayProbe probe = new QueryableDelayProbe(fixture, gen, PROBE_PERIOD_MILLIS);
    producers.rate(o.rate).duration(o.seconds * 1_000_000_000L);
    long cpu0 = SystemProbes.processCpuNanos();
    CpuBreakdown threads = CpuBreakdown.start();
    producers.start();
    long start = producers.startNanos();
    probe.start();
    List<Long> lags = new ArrayList<>();
    List<QueryableDelayProbe.Sample> allSamples = new ArrayList<>();
    long lastCount = 0;
    long lastTime = start;
    for (int sec = 1; sec <= o.seconds; sec++) {
      long due = start + sec * 1_000_000_000L;
      while (System.nanoTime() < due) {
        Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
      }
      long t = System.nanoTime();
      long count = producers.acked.get();
      StreamInfo info = fixture.history();
      long lag = info.lastSequence() - info.indexedSequence();
      lags.add(lag);
      List<QueryableDelayProbe.Sample> samples = probe.drain();
      allSamples.addAll(samples);
      long maxDelay = 0;
      int lost = 0;
      for (QueryableDelayProbe.Sample s : samples) {
        if (s.visibleNanos() < 0) {
          lost++;
        }
        maxDelay = Math.max(maxDelay, s.visibleNanos());
      }
      long waiting = probe.oldestWaitingNanos();
      out.printf(
          Locale.ROOT,
          "  %4d %9.0f   %,18d   %11d  %12s  %16s%s%n",
          sec,
          (count - lastCount) * 1e9 / (t - lastTime),
          lag,
          samples.size(),
          samples.isEmpty() ? "-" : Latencies.ms(maxDelay / 1e6),
          waiting == 0 ? "-" : Latencies.ms(waiting / 1e6),
          lost > 0 ? "  (" + lost + " never visible)" : "");
      out.flush();
      lastCount = count;
      lastTime = t;
    }
    long cpu = SystemProbes.processCpuNanos() - cpu0;
    probe.stopSending(); // markers sent after the run would be measured on an idle store
    StreamInfo atEnd = fixture.history();
    long endLag = atEnd.lastSequence() - atEnd.indexedSequence();
    Producers.Result result = producers.join();
    String threadCpu =
        threads.describe(Map.of("bench-producer-N (recorder calls)", result.cpuNanos()));
    long caughtUp = fixture.awaitIndexed(3600);
    double catchUp = (System.nanoTime() - result.lastAckNanos()) / 1e9;
    probe.stop();
    allSamples.addAll(probe.drain());
    Latencies secondHalf = new Latencies();
    int secondHalfLost = 0;
    for (QueryableDelayProbe.Sample p : allSamples) {
      if (p.sentNanos() >= start + o.seconds * 500_000_000L) {
        if (p.visibleNanos() < 0) {
          secondHalfLost++;
        } else {
          secondHalf.add(p.visibleNanos());
        }
      }
    }

    double achieved = result.acked() * 1e9 / (o.seconds * 1_000_000_000L);
    boolean rateMet = result.acked() >= 0.98 * total;
    int third = Math.max(1, lags.size() / 3);
    long firstPeak = lags.subList(0, third).stream().mapToLong(Long::longValue).max().orElse(0);
    long lastPeak =
        lags.subList(lags.size() - third, lags.size()).stream()
            .mapToLong(Long::longValue)
            .max()
            .orElse(0);
    long maxLag = lags.stream().mapToLong(Long::longValue).max().orElse(0);
    boolean lagBounded = lastPeak <= firstPeak + o.rate / 2;
    Latencies delay = probe.visible();
    boolean delayOk = probe.timeouts() == 0 && delay.maxMillis() <= 1000;
    boolean keptUp = rateMet && lagBounded && delayOk && result.failure() == null;

    out.printf(
        Locale.ROOT,
        "acked        %,d of %,d scheduled events = %,.0f events/s over %d s%s%n",
        result.acked(),
        total,
        achieved,
        o.seconds,
        result.maxLatenessNanos() > 0
            ? String.format(
                Locale.ROOT,
                "; producers fell behind schedule by up to %.2f s",
                result.maxLatenessNanos() / 1e9)
            : "");
    out.println("record()     p50/p99/max " + result.latencies().summaryMillis());
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        Locale.ROOT,
        "cpu          %.0f%% of %d cores over the run (JVM total, probe included)%n",
        100 * cpu / 1e9 / o.seconds / cores,
        cores);
    out.println("cpu threads  " + threadCpu);
    out.printf(
        Locale.ROOT,
        "index lag    max %,d events (%.2f s of input); peak in first third %,d, last third %,d;"
            + " %,d at the end, caught up %.2f s after the last ack%s%n",
        maxLag,
        maxLag / (double) o.rate,
        firstPeak,
        lastPeak,
        endLag,
        catchUp,
        caughtUp < 0 ? " (TIMED OUT)" : "");
    out.printf(
        Locale.ROOT,
        "queryable    %d probes: send->visible p50/p99/max %s; send->ack p50/p99 %s / %s ms;"
            + " %d never visible; %,d probe lookups%n",
        delay.count(),
        delay.summaryMillis(),
        Latencies.ms(probe.ack().p50Millis()),
        Latencies.ms(probe.ack().p99Millis()),
        probe.timeouts(),
        probe.lookups());
    out.printf(
        Locale.ROOT,
        "queryable    second half only (%d probes sent after %d s, JIT warmer):"
            + " p50/p99/max %s; %d never visible%n",
        secondHalf.count(),
        o.seconds / 2,
        secondHalf.summaryMillis(),
        secondHalfLost);
    out.printf(
        Locale.ROOT,
        "kept up      %s (rate met: %s, lag bounded: %s, every probe visible within 1 s: %s)%n",
        keptUp ? "YES" : "NO",
        yes(rateMet),
        yes(lagBounded),
        yes(delayOk));
    if (result.failure() != null || probe.failure() != null) {
      out.println("FAILED: " + (result.failure() != null ? result.failure() : probe.failure()));
    }
    fixture.close();
    IngestScenario.finish(o, dataDir, out);

    Summary s =
        new Summary(
            "sustained",
            String.format(
                Locale.ROOT,
                "%s events/s target for %d s, %d producers x %d/record()",
                Summary.n(o.rate),
                o.seconds,
                o.threads,
                o.batch));
    s.add(
        "acked rate",
        "%s events/s (%s)",
        Summary.perSecond(achieved),
        rateMet ? "target met" : "BELOW target");
    s.add(
        "record() p50/p99",
        "%s / %s ms",
        Latencies.ms(result.latencies().p50Millis()),
        Latencies.ms(result.latencies().p99Millis()));
    s.add(
        "index lag",
        "max %s events (%.2f s of input), %s at the end",
        Summary.n(maxLag),
        maxLag / (double) o.rate,
        Summary.n(endLag));
    s.add(
        "queryable delay",
        "p50/p99/max %s (%d probes, %d never visible)",
        delay.summaryMillis(),
        delay.count(),
        probe.timeouts());
    s.add("  second half", "p50/p99/max %s", secondHalf.summaryMillis());
    s.add("index kept up", keptUp ? "yes" : "NO");
    s.print(out);
    return s;
  }

  private static String yes(boolean b) {
    return b ? "yes" : "no";
  }
}
