package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;

/**
 * {@code ingest}: durable, acknowledged ingest in-process through the real recorder and embedded
 * store (default configuration) in a fresh data directory. Events are generated before the clock
 * starts; producers then call {@code record()} as fast as it answers. Afterwards: how long the
 * index needs to catch up with the last acknowledgement and to commit, and the bytes on disk per
 * stored event.
 */
final class IngestScenario {
  private static final long HOURS = 2;

  private IngestScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path dataDir = BenchStore.createDataDir(o.dir, "ingest");
    RunHeader.print(out, "ingest", o, dataDir);
    Populations pop = new Populations();
    BenchStore fixture = BenchStore.open(dataDir, o.storeConfig);
    ActionTrailEventGenerator gen = new ActionTrailEventGenerator(pop, fixture.account);
    out.println("events       " + gen.describeSkew());

    int poolSize = o.poolSize(o.events);
    long now = System.currentTimeMillis();
    long span = HOURS * 3_600_000L;
    EventPool pool =
        EventPool.generate(
            gen, poolSize, o.seed, o.clientIds, i -> now - span + i * span / poolSize);
    out.printf(
        Locale.ROOT,
        "generated    %,d distinct events in %.1f s (before timing): avg JSON %.0f B,"
            + " eventTime over the last %d h, %s eventIds%s%n",
        poolSize,
        pool.generateNanos / 1e9,
        pool.avgJsonBytes,
        HOURS,
        o.clientIds ? "client" : "recorder-made",
        o.events > poolSize ? "; cycled to " + Summary.n(o.events) + " events" : "");
    out.printf(
        Locale.ROOT,
        "run          %,d events, %d producers x %d events per record() call%n",
        o.events,
        o.threads,
        o.batch);
    out.flush();

    warmUp(o, fixture, pool, out);
    Producers producers =
        new Producers(fixture, o.threads, o.batch, o.events, pool.batches(), o.seed);
    long cpu0 = SystemProbes.processCpuNanos();
    CpuBreakdown threads = CpuBreakdown.start();
    Producers.Result result = producers.runReporting(fixture, out, 5);
    long cpuAcked = SystemProbes.processCpuNanos() - cpu0;
    Map<String, Long> producerCpu = Map.of("bench-producer-N (recorder calls)", result.cpuNanos());
    String threadsAcked = threads.describe(producerCpu);
    var atLastAck = fixture.history();
    if (result.failure() != null) {
      out.println("FAILED: " + result.failure());
    }
    double rate = result.ackedPerSecond();
    out.printf(
        Locale.ROOT,
        "acked        %,d events in %.2f s = %,.0f events/s (%,.1f MB/s of JSON);"
            + " %,d duplicates, %,d rejected%n",
        result.acked(),
        (result.lastAckNanos() - result.startNanos()) / 1e9,
        rate,
        rate * pool.avgJsonBytes / 1e6,
        result.duplicates(),
        result.rejected());
    out.println(
        "record()     p50/p99/max "
            + result.latencies().summaryMillis()
            + " over "
            + Summary.n(result.calls())
            + " calls");
    out.printf(
        Locale.ROOT,
        "index lag    %,d events right after the last ack%n",
        atLastAck.lastSequence() - atLastAck.indexedSequence());

    long indexed = fixture.awaitIndexed(3600);
    double catchUp = (System.nanoTime() - result.lastAckNanos()) / 1e9;
    if (indexed < 0) {
      out.println("index        DID NOT catch up within an hour");
    }
    out.printf(Locale.ROOT, "index        caught up %.2f s after the last ack%n", catchUp);
    long cpuIndexed = SystemProbes.processCpuNanos() - cpu0;
    int cores = Runtime.getRuntime().availableProcessors();
    double ackSeconds = (result.lastAckNanos() - result.startNanos()) / 1e9;
    out.printf(
        Locale.ROOT,
        "cpu          %.1f s of CPU until the last ack (%.0f%% of %d cores) = %.0f us/event;"
            + " %.0f us/event until the index caught up (JVM total: GC and JIT included)%n",
        cpuAcked / 1e9,
        100 * cpuAcked / 1e9 / ackSeconds / cores,
        cores,
        cpuAcked / 1e3 / Math.max(1, result.acked()),
        cpuIndexed / 1e3 / Math.max(1, result.acked()));
    out.println("cpu threads  until the last ack: " + threadsAcked);
    out.println("cpu threads  until the index caught up: " + threads.describe(producerCpu));
    long committed = fixture.awaitCommitted(600);
    double commitAfter = (System.nanoTime() - result.lastAckNanos()) / 1e9;
    out.printf(
        Locale.ROOT,
        "index        committed %.2f s after the last ack%s%n",
        commitAfter,
        committed < 0 ? " (TIMED OUT)" : "");
    DiskFigures.of(fixture.history(), fixture.storeDir())
        .print(out, "open store, index committed; index bytes may be up to 10 s old");

    long c0 = System.nanoTime();
    fixture.close();
    double closeSeconds = (System.nanoTime() - c0) / 1e9;
    BenchStore reopened = BenchStore.open(dataDir, o.storeConfig);
    DiskFigures disk = DiskFigures.of(reopened.history(), reopened.storeDir());
    disk.print(out, "closed and reopened");
    double storedJson = averageStoredJson(reopened, 2000);
    out.printf(
        Locale.ROOT,
        "store        close %.2f s, reopen %.2f s; stored JSON avg %.0f B (recorder adds eventId,"
            + " recipientAccountId), journal compresses it %.1fx%n",
        closeSeconds,
        reopened.openNanos / 1e9,
        storedJson,
        storedJson / disk.perEvent(disk.journalBytes()));
    reopened.close();
    finish(o, dataDir, out);

    Summary s =
        new Summary(
            "ingest",
            String.format(
                Locale.ROOT,
                "%s events of %.0f B JSON, %d producers x %d/record(), %s eventIds",
                Summary.n(o.events),
                pool.avgJsonBytes,
                o.threads,
                o.batch,
                o.clientIds ? "client" : "recorder-made"));
    s.add("acked ingest (burst)", "%s events/s", Summary.perSecond(rate));
    s.add(
        "record() p50/p99",
        "%s / %s ms",
        Latencies.ms(result.latencies().p50Millis()),
        Latencies.ms(result.latencies().p99Millis()));
    s.add(
        "CPU per event",
        "%.0f us to ack, %.0f us with indexing (%d cores)",
        cpuAcked / 1e3 / Math.max(1, result.acked()),
        cpuIndexed / 1e3 / Math.max(1, result.acked()),
        cores);
    s.add(
        "index caught up",
        "%.2f s after the last ack (committed after %.2f s)",
        catchUp,
        commitAfter);
    s.add("disk per event", disk.describe());
    if (result.failure() != null) {
      s.add("FAILURE", result.failure());
    }
    s.print(out);
    return s;
  }

  /**
   * With {@code --warm-events N}: records N events first, untimed, and waits for the index, so that
   * what follows is measured on a warm JVM (as a server that has been running meets a burst).
   */
  static void warmUp(BenchOptions o, BenchStore fixture, EventPool pool, PrintStream out)
      throws Exception {
    if (o.warmEvents <= 0) {
      return;
    }
    Producers warm =
        new Producers(fixture, o.threads, o.batch, o.warmEvents, pool.batches(), o.seed + 1);
    Producers.Result w =
        warm.runReporting(fixture, new PrintStream(java.io.OutputStream.nullOutputStream()), 5);
    long caughtUp = fixture.awaitIndexed(3600);
    out.printf(
        Locale.ROOT,
        "warm-up      %,d events first (untimed: %,.0f events/s while the JIT compiles), index caught up%s;"
            + " the figures below are for what follows%n",
        w.acked(),
        w.ackedPerSecond(),
        caughtUp < 0 ? " NOT" : "");
  }

  /** The average JSON size of stored events (a sample from the start of the history). */
  static double averageStoredJson(BenchStore s, int sample) {
    List<StoredEvent> events = s.store.read(EventStore.HISTORY, 0, sample);
    long bytes = 0;
    for (StoredEvent e : events) {
      bytes += e.event().jsonSize();
    }
    return events.isEmpty() ? Double.NaN : bytes / (double) events.size();
  }

  static void finish(BenchOptions o, Path dataDir, PrintStream out) throws java.io.IOException {
    if (o.keep) {
      out.println("kept         " + dataDir);
    } else {
      BenchStore.delete(dataDir);
      out.println("deleted      " + dataDir);
    }
  }
}
