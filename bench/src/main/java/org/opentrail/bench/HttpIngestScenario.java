package org.opentrail.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.opentrail.api.event.Event;

/**
 * {@code http-ingest}: acknowledged ingest over the HTTP API of a real OpenTrail ({@link
 * OpenTrailProcess}, a fresh data directory): {@code --threads} client threads (default 8) POST
 * signed PutEvents calls of {@code --batch} events as fast as they are answered, for batches of 100
 * and of 1,000 unless {@code --batch} says which. The events are generated and their form bodies
 * encoded and partly signed before the clock starts, so the client's work per call is a nonce, a
 * timestamp, the HMAC of the signature's tail, and the request. Per batch size: an untimed warm-up
 * ({@code --warm-events}, default 200,000, split over the sizes), a wait for the index, then {@code
 * --events} events timed; afterwards the time until the index has caught up. Every call is also
 * recorded by the server as an audit event (not counted as ingested).
 */
final class HttpIngestScenario {
  private static final long HOURS = 2;

  /** What one phase of calls did. */
  record Phase(
      int batch,
      long acked,
      long duplicates,
      long rejected,
      long calls,
      long startNanos,
      long lastAckNanos,
      Latencies latencies,
      long serverCpuNanos,
      long clientCpuNanos,
      long workerCpuNanos,
      String firstRejection,
      String failure) {
    double seconds() {
      return (lastAckNanos - startNanos) / 1e9;
    }

    double rate() {
      return acked / Math.max(1e-9, seconds());
    }
  }

  private HttpIngestScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    int threads = o.given("--threads") ? o.threads : 8;
    List<Integer> sizes = o.given("--batch") ? List.of(o.batch) : List.of(100, 1000);
    long warm = o.given("--warm-events") ? o.warmEvents : 200_000;
    OpenTrailProcess.refuseStoreConfig(o);
    Path dataDir = BenchStore.createDataDir(o.dir, "http-ingest");
    RunHeader.print(out, "http-ingest", o, dataDir);
    HttpApi.configureKeepAlive(threads * 2);
    int cores = Runtime.getRuntime().availableProcessors();
    List<Phase> phases = new ArrayList<>();
    List<Double> catchUps = new ArrayList<>();
    long rss = -1;
    long peakRss = -1;
    List<String> problems = List.of();
    double avgJson;
    boolean done = false;
    try (OpenTrailProcess server = OpenTrailProcess.start(dataDir, out)) {
      ActionTrailEventGenerator gen =
          new ActionTrailEventGenerator(new Populations(), server.credentials.accountId());
      out.println("events       " + gen.describeSkew());
      int poolSize = o.poolSize(o.events);
      long now = System.currentTimeMillis();
      long span = HOURS * 3_600_000L;
      EventPool pool =
          EventPool.generate(gen, poolSize, o.seed, false, i -> now - span + i * span / poolSize);
      avgJson = pool.avgJsonBytes;
      out.printf(
          Locale.ROOT,
          "generated    %,d distinct events in %.1f s (before timing): avg JSON %.0f B, eventTime"
              + " over the last %d h, no eventIds (the recorder makes them, so a cycled event is"
              + " stored again)%s%n",
          poolSize,
          pool.generateNanos / 1e9,
          pool.avgJsonBytes,
          HOURS,
          o.events > poolSize
              ? "; cycled to " + Summary.n(o.events) + " events per batch size"
              : "");
      server.api.selfCheck(jsonArray(pool, 0, Math.min(3, poolSize)));
      out.printf(
          Locale.ROOT,
          "run          per batch size %s: %,d events untimed, then %,d timed; %d client threads,"
              + " one keep-alive connection each; signed PutEvents (%s)%n",
          sizes,
          warm / sizes.size(),
          o.events,
          threads,
          o.json ? "ACS3-HMAC-SHA256, JSON body" : "RPC signature 1.0, form body");
      out.flush();

      for (int size : sizes) {
        long p0 = System.nanoTime();
        List<HttpApi.PreparedPut> batches = prepare(server.api, pool, size, o.json);
        long bodyBytes = 0;
        for (HttpApi.PreparedPut b : batches) {
          bodyBytes += b.body.length;
        }
        out.printf(
            Locale.ROOT,
            "batch %-6d %,d distinct bodies prepared in %.1f s: avg %s per call (%.0f B per event"
                + " form-encoded)%n",
            size,
            batches.size(),
            (System.nanoTime() - p0) / 1e9,
            SystemProbes.bytes(bodyBytes / batches.size()),
            bodyBytes / (double) batches.size() / size);
        if (warm / sizes.size() > 0) {
          Phase w = runPhase(server, batches, size, warm / sizes.size(), threads, o.seed + 1, null);
          check(w, out, server);
          long i0 = System.nanoTime();
          OpenTrailProcess.StoreStatus s = server.awaitIndexed(3600);
          out.printf(
              Locale.ROOT,
              "  warm-up    %,d events untimed: %,.0f events/s, PutEvents p50/p99 %s / %s ms;"
                  + " index caught up %.1f s later%s%n",
              w.acked(),
              w.rate(),
              Latencies.ms(w.latencies().p50Millis()),
              Latencies.ms(w.latencies().p99Millis()),
              (System.nanoTime() - i0) / 1e9,
              s.lag() == 0 ? "" : " (NOT: " + Summary.n(s.lag()) + " behind)");
          out.flush();
        }
        Phase p = runPhase(server, batches, size, o.events, threads, o.seed, out);
        check(p, out, server);
        phases.add(p);
        printPhase(p, cores, pool.avgJsonBytes, out);
        OpenTrailProcess.StoreStatus s = server.awaitIndexed(3600);
        double catchUp = (System.nanoTime() - p.lastAckNanos()) / 1e9;
        catchUps.add(catchUp);
        out.printf(
            Locale.ROOT,
            "  index      caught up %.1f s after the last ack (polled with opentrail exec"
                + " store:status, ~1 s resolution)%s; the store holds %,d events (API audit"
                + " events included)%n",
            catchUp,
            s.lag() == 0 ? "" : " NOT: " + Summary.n(s.lag()) + " behind after an hour",
            s.events());
        out.printf(
            "  memory     opentrail VmRSS %s (peak %s)%n",
            SystemProbes.mib(server.rssBytes()), SystemProbes.mib(server.peakRssBytes()));
        out.flush();
      }
      rss = server.rssBytes();
      peakRss = server.peakRssBytes();
      problems = server.problems();
      long stopNanos = server.stop();
      out.printf(Locale.ROOT, "stop         SIGTERM to exit: %,.0f ms%n", stopNanos / 1e6);
      done = true;
    } finally {
      finish(o, dataDir, done, out);
    }
    printProblems(problems, dataDir, out);

    long acked = 0;
    double seconds = 0;
    long errors = 0;
    for (Phase p : phases) {
      acked += p.acked();
      seconds += p.seconds();
      errors += p.rejected();
    }
    Summary s =
        new Summary(
            "http-ingest",
            String.format(
                Locale.ROOT,
                "%s events per batch size of %.0f B JSON, %d client threads, signed PutEvents (%s)"
                    + " over HTTP/1.1 to a child opentrail run",
                Summary.n(o.events),
                avgJson,
                threads,
                o.json ? "ACS3, JSON body" : "RPC 1.0, form body"));
    for (int i = 0; i < phases.size(); i++) {
      Phase p = phases.get(i);
      s.add(
          "batch " + p.batch(),
          "%s events/s acked; PutEvents p50 %s, p99 %s, max %s ms; server %.0f us CPU/event"
              + " (%.2f of %d cores), client %.2f cores; index caught up %.1f s after",
          Summary.perSecond(p.rate()),
          Latencies.ms(p.latencies().p50Millis()),
          Latencies.ms(p.latencies().p99Millis()),
          Latencies.ms(p.latencies().maxMillis()),
          p.serverCpuNanos() / 1e3 / Math.max(1, p.acked()),
          p.serverCpuNanos() / 1e9 / p.seconds(),
          cores,
          p.clientCpuNanos() / 1e9 / p.seconds(),
          catchUps.get(i));
    }
    if (phases.size() > 1) {
      s.add(
          "overall",
          "%s events/s acked (%s events in %.1f s)",
          Summary.perSecond(acked / seconds),
          Summary.n(acked),
          seconds);
    }
    s.add(
        "opentrail RSS",
        "%s at the end, peak %s",
        SystemProbes.mib(rss),
        SystemProbes.mib(peakRss));
    s.add("errors", "%d non-200 answers, %s events rejected", 0, Summary.n(errors));
    s.print(out);
    return s;
  }

  private static void check(Phase p, PrintStream out, OpenTrailProcess server) {
    if (p.firstRejection() != null) {
      out.println("REJECTED     events were rejected; the first answer: " + p.firstRejection());
    }
    if (p.failure() != null) {
      throw new IllegalStateException(
          p.failure() + "\nopentrail's console (warnings, errors):\n" + server.tail(40));
    }
  }

  private static void printPhase(Phase p, int cores, double avgJson, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "  acked      %,d events in %.2f s = %,.0f events/s (%,.1f MB/s of JSON), %,d calls;"
            + " %,d duplicates, %,d rejected%n",
        p.acked(),
        p.seconds(),
        p.rate(),
        p.rate() * avgJson / 1e6,
        p.calls(),
        p.duplicates(),
        p.rejected());
    out.println(
        "  PutEvents  p50/p99/max "
            + p.latencies().summaryMillis()
            + " over "
            + Summary.n(p.latencies().count())
            + " calls (request sent to answer read)");
    out.printf(
        Locale.ROOT,
        "  cpu        opentrail %.1f s = %.0f%% of %d cores, %.0f us/event; this client JVM %.1f s"
            + " = %.0f%% of %d cores, %.1f us/event (%.1f us in the client threads, the rest GC"
            + " and JIT)%n",
        p.serverCpuNanos() / 1e9,
        100 * p.serverCpuNanos() / 1e9 / p.seconds() / cores,
        cores,
        p.serverCpuNanos() / 1e3 / Math.max(1, p.acked()),
        p.clientCpuNanos() / 1e9,
        100 * p.clientCpuNanos() / 1e9 / p.seconds() / cores,
        cores,
        p.clientCpuNanos() / 1e3 / Math.max(1, p.acked()),
        p.workerCpuNanos() / 1e3 / Math.max(1, p.acked()));
  }

  /** Deletes the data directory unless --keep, or the run failed (its log may tell why). */
  static void finish(BenchOptions o, Path dataDir, boolean done, PrintStream out)
      throws IOException {
    if (done) {
      IngestScenario.finish(o, dataDir, out);
    } else {
      out.println("kept         " + dataDir + " (the run failed; opentrail's log is in log/)");
    }
  }

  static void printProblems(List<String> problems, Path dataDir, PrintStream out) {
    if (problems.isEmpty()) {
      out.println("opentrail    no warnings or errors on its console");
      return;
    }
    out.printf(
        "opentrail    %d warning/error lines on its console (the full log was %s), the first:%n",
        problems.size(), dataDir.resolve("log/opentrail.log"));
    problems.stream().limit(10).forEach(l -> out.println("  " + l));
  }

  /** {@code body}, adding the CPU time of the thread that ran it to {@code cpu} when it ends. */
  static Runnable counted(AtomicLong cpu, Runnable body) {
    return () -> {
      try {
        body.run();
      } finally {
        cpu.addAndGet(
            Math.max(
                0,
                java.lang.management.ManagementFactory.getThreadMXBean()
                    .getCurrentThreadCpuTime()));
      }
    };
  }

  /** A JSON array of pool events {@code from} to {@code from + n} (wrapping around the pool). */
  static byte[] jsonArray(EventPool pool, long from, int n) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(n * 1300);
    b.write('[');
    SplittableRandom unused = new SplittableRandom(0);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.write(',');
      }
      b.writeBytes(pool.take(from + i, unused).toJson());
    }
    b.write(']');
    return b.toByteArray();
  }

  /** A JSON array of events. */
  static byte[] jsonArray(List<Event> events) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(events.size() * 1300);
    b.write('[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        b.write(',');
      }
      b.writeBytes(events.get(i).toJson());
    }
    b.write(']');
    return b.toByteArray();
  }

  /** The pool cut into batches of {@code size} (at least one), prepared on all cores. */
  private static List<HttpApi.PreparedPut> prepare(
      HttpApi api, EventPool pool, int size, boolean json) throws Exception {
    int count = Math.max(1, pool.size() / size);
    HttpApi.PreparedPut[] out = new HttpApi.PreparedPut[count];
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService exec = Executors.newFixedThreadPool(cores);
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < cores; t++) {
        int part = t;
        parts.add(
            exec.submit(
                () -> {
                  for (int k = part; k < count; k += cores) {
                    byte[] array = jsonArray(pool, (long) k * size, size);
                    out[k] = json ? api.prepareJson(array, size) : api.prepare(array, size);
                  }
                }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      exec.shutdownNow();
    }
    return List.of(out);
  }

  /**
   * {@code threads} threads send the prepared batches round-robin until {@code events} events (in
   * whole batches) have been sent; with {@code progress}, prints a line every 5 seconds.
   */
  static Phase runPhase(
      OpenTrailProcess server,
      List<HttpApi.PreparedPut> batches,
      int size,
      long events,
      int threads,
      long seed,
      PrintStream progress)
      throws Exception {
    long calls = (events + size - 1) / size;
    AtomicLong next = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong lastAck = new AtomicLong();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicReference<String> firstRejection = new AtomicReference<>();
    AtomicLong workerCpu = new AtomicLong();
    Latencies[] lat = new Latencies[threads];
    Thread[] workers = new Thread[threads];
    long serverCpu0 = server.cpuNanos();
    long clientCpu0 = SystemProbes.processCpuNanos();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int id = t;
      lat[t] = new Latencies((int) Math.min(1 << 20, calls / threads + 16));
      workers[t] =
          new Thread(
              counted(
                  workerCpu,
                  () -> {
                    int offset = new SplittableRandom(seed * 31 + id).nextInt(batches.size());
                    while (failure.get() == null) {
                      long c = next.getAndIncrement();
                      if (c >= calls) {
                        return;
                      }
                      HttpApi.PreparedPut b = batches.get((int) ((c + offset) % batches.size()));
                      long t0 = System.nanoTime();
                      HttpApi.Answer a;
                      try {
                        a = server.api.put(b);
                      } catch (IOException e) {
                        failure.compareAndSet(null, "PutEvents failed: " + e);
                        return;
                      }
                      long t1 = System.nanoTime();
                      lat[id].add(t1 - t0);
                      if (a.status() != 200) {
                        failure.compareAndSet(
                            null, "PutEvents answered HTTP " + a.status() + ": " + a.clipped(4000));
                        return;
                      }
                      long[] n = HttpApi.putCounts(a.body());
                      if (n[0] < 0) {
                        failure.compareAndSet(
                            null, "PutEvents answered 200 without Accepted: " + a.clipped(4000));
                        return;
                      }
                      acked.addAndGet(n[0]);
                      duplicates.addAndGet(Math.max(0, n[1]));
                      if (n[2] > 0) {
                        rejected.addAndGet(n[2]);
                        firstRejection.compareAndSet(null, a.clipped(2000));
                      }
                      lastAck.accumulateAndGet(t1, Math::max);
                    }
                  }),
              "bench-http-" + t);
      workers[t].start();
    }
    server.await(workers, start, acked::get, "acked", progress);
    long serverCpu = server.cpuNanos() - serverCpu0;
    long clientCpu = SystemProbes.processCpuNanos() - clientCpu0;
    Latencies all = new Latencies((int) Math.min(Integer.MAX_VALUE - 8, calls + 16));
    for (Latencies l : lat) {
      all.addAll(l);
    }
    return new Phase(
        size,
        acked.get(),
        duplicates.get(),
        rejected.get(),
        all.count(),
        start,
        Math.max(start + 1, lastAck.get()),
        all,
        serverCpu,
        clientCpu,
        workerCpu.get(),
        firstRejection.get(),
        failure.get());
  }
}
