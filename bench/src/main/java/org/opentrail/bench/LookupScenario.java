package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.StreamInfo;

/**
 * {@code lookup}: LookupEvents latency through the real {@code LookupEventsService} at a store
 * size. Loads {@code --events} events spread evenly over the last 7 days (or opens {@code --reuse
 * DIR}), waits for the index to commit, closes the store and opens it again (so a loaded and a
 * reused directory are measured alike: a freshly opened store), then times each {@link
 * LookupWorkload} query type. Ends with disk bytes per event and the JVM's resident memory.
 */
final class LookupScenario {
  static final Duration SPAN = Duration.ofDays(7);

  /** The summary and the data directory (which {@code all} hands on to startup). */
  record Outcome(Summary summary, Path dataDir) {}

  private LookupScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    return runForAll(o, out).summary();
  }

  static Outcome runForAll(BenchOptions o, PrintStream out) throws Exception {
    boolean reuse = o.reuse != null;
    Path dataDir = reuse ? o.reuse.toAbsolutePath() : BenchStore.createDataDir(o.dir, "lookup");
    if (reuse && !Files.isDirectory(dataDir.resolve("store"))) {
      throw new IllegalArgumentException(dataDir + " has no store/: not a bench data directory");
    }
    RunHeader.print(out, "lookup", o, dataDir);
    Populations pop = new Populations();
    String loadNote;
    BenchStore fixture;
    if (reuse) {
      loadNote = "reused " + dataDir;
      fixture = BenchStore.open(dataDir, o.storeConfig);
    } else {
      BenchStore loading = BenchStore.open(dataDir, o.storeConfig);
      loadNote = load(o, loading, new ActionTrailEventGenerator(pop, loading.account), out);
      loading.close();
      fixture = BenchStore.open(dataDir, o.storeConfig);
    }
    ActionTrailEventGenerator gen = new ActionTrailEventGenerator(pop, fixture.account);
    StreamInfo info = fixture.history();
    out.printf(
        Locale.ROOT,
        "store        opened in %.2f s: %,d events, eventTime %s .. %s%n",
        fixture.openNanos / 1e9,
        info.eventCount(),
        info.oldestEventTime(),
        info.newestEventTime());
    long waited = fixture.awaitIndexed(3600);
    if (waited > 1_000_000_000L) {
      out.printf(Locale.ROOT, "index        replayed the journal tail in %.1f s%n", waited / 1e9);
    }
    long merged = fixture.awaitCompacted(600);
    out.printf(
        Locale.ROOT,
        "index        past days' partitions merged into one segment each after %.1f s%n",
        merged / 1e9);
    DiskFigures disk = DiskFigures.of(info, fixture.storeDir());
    disk.print(out, "settled store");

    Instant end = info.newestEventTime().plusMillis(1);
    Instant start = end.minus(SPAN);
    out.printf(
        Locale.ROOT,
        "queries      StartTime %s, EndTime %s (the loaded 7 days), MaxResults 50; per type"
            + " %,d warm-up then %,d timed, one at a time%n",
        start,
        end,
        o.warmup,
        o.queries);
    out.println(
        "query type                        p50 ms   p99 ms   max ms  avg hits  empty  full"
            + "  GCs (ms)   warm-up p50/p99 ms");
    out.flush();
    LookupWorkload workload =
        new LookupWorkload(fixture.query::lookup, fixture.account, gen, start, end);
    List<LookupWorkload.Figures> results = new ArrayList<>();
    for (LookupWorkload.QueryType type : LookupWorkload.TYPES) {
      LookupWorkload.Figures f = workload.run(type, o.warmup, o.queries, o.seed);
      results.add(f);
      out.printf(
          Locale.ROOT,
          "  %-30s %8s %8s %8s %9.1f %5.1f%% %4.0f%% %4d (%3d)   %s / %s%s%n",
          type.label(),
          Latencies.ms(f.timed().p50Millis()),
          Latencies.ms(f.timed().p99Millis()),
          Latencies.ms(f.timed().maxMillis()),
          f.avgHits(),
          100.0 * f.empty() / f.timed().count(),
          100.0 * f.fullPages() / f.timed().count(),
          f.gcCount(),
          f.gcMillis(),
          Latencies.ms(f.warmup().p50Millis()),
          Latencies.ms(f.warmup().p99Millis()),
          f.redraws() > 0 ? "  (" + f.redraws() + " users redrawn: no page 2)" : "");
      out.flush();
    }
    long pid = SystemProbes.selfPid();
    long rss = SystemProbes.rssBytes(pid);
    long peak = SystemProbes.peakRssBytes(pid);
    long heapUsed = SystemProbes.heapUsedBytes();
    long heapCommitted = SystemProbes.heapCommittedBytes();
    long heapLive = SystemProbes.heapLiveBytes();
    long rssAfterGc = SystemProbes.rssBytes(pid);
    out.printf(
        "memory       VmRSS %s (peak %s); heap used %s, committed %s (-Xmx %s);"
            + " after a full GC: heap live %s, committed %s, VmRSS %s%n",
        SystemProbes.mib(rss),
        SystemProbes.mib(peak),
        SystemProbes.mib(heapUsed),
        SystemProbes.mib(heapCommitted),
        SystemProbes.mib(Runtime.getRuntime().maxMemory()),
        SystemProbes.mib(heapLive),
        SystemProbes.mib(SystemProbes.heapCommittedBytes()),
        SystemProbes.mib(rssAfterGc));
    fixture.close();
    if (!reuse) {
      IngestScenario.finish(o, dataDir, out);
    }

    Summary s =
        new Summary(
            "lookup",
            String.format(
                Locale.ROOT,
                "%s events over 7 days (%s), MaxResults 50, %s timed queries per type",
                Summary.n(info.eventCount()),
                loadNote,
                Summary.n(o.queries)));
    for (LookupWorkload.Figures f : results) {
      s.add(
          f.type().label(),
          "p50 %s, p99 %s, max %s ms; %.1f hits avg",
          Latencies.ms(f.timed().p50Millis()),
          Latencies.ms(f.timed().p99Millis()),
          Latencies.ms(f.timed().maxMillis()),
          f.avgHits());
    }
    s.add("disk per event", disk.describe());
    s.add("store open", "%.2f s", fixture.openNanos / 1e9);
    s.add(
        "JVM memory (-Xmx4g)",
        "VmRSS %s, heap used %s; after a full GC live %s, VmRSS %s",
        SystemProbes.mib(rss),
        SystemProbes.mib(heapUsed),
        SystemProbes.mib(heapLive),
        SystemProbes.mib(rssAfterGc));
    s.print(out);
    return new Outcome(s, dataDir);
  }

  /**
   * Loads {@code o.events} events with eventTime {@code now - 7 days + i * 7 days / N}, generated
   * by the loader threads themselves; answers a one-line description of the load.
   */
  static String load(
      BenchOptions o, BenchStore fixture, ActionTrailEventGenerator gen, PrintStream out)
      throws Exception {
    long n = o.events;
    long t0 = System.currentTimeMillis() - SPAN.toMillis();
    double step = SPAN.toMillis() / (double) n;
    out.println("events       " + gen.describeSkew());
    out.printf(
        Locale.ROOT,
        "loading      %,d events over 7 days, %d threads x %,d events per record()"
            + " (generated by the loader threads: the rate is not an ingest figure)%n",
        n,
        o.loadThreads,
        o.loadBatch);
    out.flush();
    Producers loader =
        new Producers(
            fixture,
            o.loadThreads,
            o.loadBatch,
            n,
            (first, size, r) -> {
              List<Event> batch = new ArrayList<>(size);
              for (int i = 0; i < size; i++) {
                batch.add(gen.next(r, t0 + (long) ((first + i) * step), o.clientIds));
              }
              return batch;
            },
            o.seed);
    Producers.Result result = loader.runReporting(fixture, out, 10);
    if (result.failure() != null) {
      throw new IllegalStateException("loading failed: " + result.failure());
    }
    double seconds = (result.lastAckNanos() - result.startNanos()) / 1e9;
    fixture.awaitIndexed(3600);
    double indexed = (System.nanoTime() - result.startNanos()) / 1e9;
    fixture.awaitCommitted(600);
    double committed = (System.nanoTime() - result.startNanos()) / 1e9;
    out.printf(
        Locale.ROOT,
        "loaded       %,d events in %.1f s (%,.0f events/s); indexed after %.1f s, committed"
            + " after %.1f s%n",
        result.acked(),
        seconds,
        result.ackedPerSecond(),
        indexed,
        committed);
    return String.format(Locale.ROOT, "loaded at %,.0f events/s", result.ackedPerSecond());
  }
}
