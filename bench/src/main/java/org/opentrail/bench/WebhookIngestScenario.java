package org.opentrail.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code webhook-ingest}: audit entries posted to the source bundles' webhooks of a real OpenTrail
 * ({@link OpenTrailProcess}, a fresh data directory, {@code --features} the defaults plus {@code
 * source-kubernetes} and/or {@code source-minio}), as the services post them: MinIO's audit target
 * one entry per POST ({@code batch_size=1}, its default) and 100 per POST (newline-delimited), the
 * Kubernetes API server an {@code EventList} of 400 ({@code --audit-webhook-batch-max-size}'s
 * default). Each source has one configured sender, {@code <data>/etc/org.opentrail.source.<source>-
 * bench.cfg} with the SHA-256 of a random bearer token.
 *
 * <p>Per phase: the bodies are generated before the clock starts ({@link KubernetesAuditGenerator},
 * {@link MinioAuditGenerator}) as a pool that is cycled, each post with a new generation in its id
 * slots so every entry is new ({@link WebhookBody}); {@code --threads} client threads (default 8)
 * each keep one connection and post as fast as they are answered ({@link WebhookClient}); every
 * answer must be 200 with {@code Rejected} 0 and every entry {@code Accepted} (the first failure is
 * reported and ends the run). An untimed warm-up, a wait for the index, then the timed entries;
 * afterwards the time until the index has caught up.
 */
final class WebhookIngestScenario {
  private static final int HOURS = 2;
  private static final String INSTANCE = "bench";
  private static final int POOL_ENTRIES = 40_000;

  /** What one phase is: a source and its entries per POST, with the goal if it has one. */
  record Spec(String source, int batch, long events, long warm, long goal) {
    String label() {
      return source.equals("minio")
          ? "minio, " + batch + (batch == 1 ? " entry" : " entries") + " per POST"
          : "kubernetes, EventList of " + batch;
    }
  }

  /** What one phase of posts did. */
  record Phase(
      long entries,
      long accepted,
      long posts,
      long startNanos,
      long lastAnswerNanos,
      Latencies latencies,
      long serverCpuNanos,
      long clientCpuNanos,
      long workerCpuNanos,
      long machineBusyNanos,
      int connects,
      String failure) {
    double seconds() {
      return (lastAnswerNanos - startNanos) / 1e9;
    }

    double rate() {
      return accepted / Math.max(1e-9, seconds());
    }
  }

  private WebhookIngestScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    List<String> sources =
        switch (o.source) {
          case "all" -> List.of("minio", "kubernetes");
          case "minio", "kubernetes" -> List.of(o.source);
          default ->
              throw new IllegalArgumentException(
                  "--source is kubernetes, minio or all, not " + o.source);
        };
    int threads = o.given("--threads") ? o.threads : 8;
    List<Spec> specs = new ArrayList<>();
    for (String source : sources) {
      List<Integer> sizes =
          o.given("--batch")
              ? List.of(o.batch)
              : source.equals("minio") ? List.of(1, 100) : List.of(400);
      for (int size : sizes) {
        long goal =
            source.equals("minio")
                ? (size == 1 ? 5_000 : size == 100 ? 30_000 : 0)
                : size == 400 ? 30_000 : 0;
        long events = o.given("--events") ? o.events : size == 1 ? 150_000 : 1_000_000;
        long warm = o.given("--warm-events") ? o.warmEvents : size == 1 ? 50_000 : 200_000;
        specs.add(new Spec(source, size, events, warm, goal));
      }
    }
    OpenTrailProcess.refuseStoreConfig(o);
    Path dataDir = BenchStore.createDataDir(o.dir, "webhook-ingest");
    RunHeader.print(out, "webhook-ingest", o, dataDir);

    Map<String, String> tokens = new LinkedHashMap<>();
    List<String> features =
        new ArrayList<>(
            List.of("core", "shell", "auth", "trail", "http", "sink-file", "sink-logstore"));
    for (String source : sources) {
      features.add("source-" + source);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    List<Phase> phases = new ArrayList<>();
    List<Double> catchUps = new ArrayList<>();
    List<Long> rssAfter = new ArrayList<>();
    List<Long> peakAfter = new ArrayList<>();
    List<Double> avgBytes = new ArrayList<>();
    List<String> problems = List.of();
    boolean done = false;
    try (OpenTrailProcess server = OpenTrailProcess.start(dataDir, out, features)) {
      // one sender per source: a random token, only its SHA-256 configured. Written once the
      // server runs (File Install picks it up within 250 ms), as an operator adds a sender: a .cfg
      // already in etc/ at the first start was found emptied during the start in 2 of ~12 runs
      Files.createDirectories(dataDir.resolve("etc"));
      SplittableRandom tokenRandom = new SplittableRandom(System.nanoTime());
      for (String source : sources) {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = (byte) tokenRandom.nextInt(256);
        }
        String token = HexFormat.of().formatHex(raw);
        tokens.put(source, token);
        Path cfg = config(dataDir, source);
        Path tmp = dataDir.resolve(cfg.getFileName() + ".tmp"); // outside File Install's eyes
        Files.writeString(
            tmp, "instance=" + INSTANCE + "\nauth.token.sha256=" + sha256(token) + "\n");
        Files.move(tmp, cfg, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        out.println(
            "sender       "
                + source
                + ": /sources/"
                + source
                + "/"
                + INSTANCE
                + ", "
                + dataDir.relativize(cfg)
                + " (instance, auth.token.sha256; defaults otherwise), written once it runs");
      }
      for (String source : sources) {
        awaitWebhook(server, source, tokens.get(source), o.seed, out);
      }
      out.printf(
          Locale.ROOT,
          "run          %d client threads, one keep-alive connection each, posting as fast as"
              + " answered; per phase an untimed warm-up, a wait for the index, then the timed"
              + " entries; times over the last %d h%n",
          threads,
          HOURS);
      out.flush();
      for (Spec spec : specs) {
        out.println();
        out.println("--- " + spec.label() + " ---");
        out.println(
            "entries      "
                + (spec.source().equals("minio")
                    ? MinioAuditGenerator.describe()
                    : KubernetesAuditGenerator.describe()));
        long p0 = System.nanoTime();
        int bodies = Math.max(1, POOL_ENTRIES / spec.batch());
        List<WebhookBody> pool =
            spec.source().equals("minio")
                ? new MinioAuditGenerator(o.seed + spec.batch(), HOURS).pool(bodies, spec.batch())
                : new KubernetesAuditGenerator(o.seed + spec.batch(), HOURS)
                    .pool(bodies, spec.batch());
        long bytes = 0;
        for (WebhookBody b : pool) {
          bytes += b.bytes.length;
        }
        double perEntry = bytes / (double) (bodies * (long) spec.batch());
        avgBytes.add(perEntry);
        out.printf(
            Locale.ROOT,
            "bodies       %,d distinct bodies of %d entries prepared in %.1f s (before timing):"
                + " avg %s per POST, %.0f B per entry; cycled with new ids per post%n",
            bodies,
            spec.batch(),
            (System.nanoTime() - p0) / 1e9,
            SystemProbes.bytes(bytes / bodies),
            perEntry);
        Map<String, String> headers = headers(spec, tokens.get(spec.source()));
        String path = "/sources/" + spec.source() + "/" + INSTANCE;
        AtomicLong sent = new AtomicLong();
        if (spec.warm() > 0) {
          Phase w = runPhase(server, path, headers, pool, spec, spec.warm(), threads, sent, null);
          check(w, server);
          long i0 = System.nanoTime();
          OpenTrailProcess.StoreStatus s = server.awaitIndexed(3600);
          out.printf(
              Locale.ROOT,
              "  warm-up    %,d entries untimed: %,.0f entries/s, POST p50/p99 %s / %s ms;"
                  + " index caught up %.1f s later%s%n",
              w.accepted(),
              w.rate(),
              Latencies.ms(w.latencies().p50Millis()),
              Latencies.ms(w.latencies().p99Millis()),
              (System.nanoTime() - i0) / 1e9,
              s.lag() == 0 ? "" : " (NOT: " + Summary.n(s.lag()) + " behind)");
          out.flush();
        }
        Path profile = null;
        if (o.profile != null) {
          profile =
              o.dir.resolve(
                  String.format(
                      Locale.ROOT,
                      "opentrail-webhook-ingest-%s-%d-%d.collapsed",
                      spec.source(),
                      spec.batch(),
                      server.process.pid()));
          ServerProfile.start(server.process.pid(), o.profile);
        }
        Phase p = runPhase(server, path, headers, pool, spec, spec.events(), threads, sent, out);
        if (profile != null) {
          ServerProfile.stop(server.process.pid(), o.profile, profile);
        }
        check(p, server);
        phases.add(p);
        printPhase(p, spec, cores, perEntry, out);
        if (profile != null) {
          out.println(
              "  profile    opentrail's CPU during the timed phase (async-profiler, itimer):");
          long sampled = ServerProfile.summarize(profile, out, 15);
          out.printf(
              Locale.ROOT,
              "  (the samples stand for %.1f s, %.0f%% of the %.1f s of CPU /proc counted)%n",
              sampled / 1e9,
              100.0 * sampled / Math.max(1, p.serverCpuNanos()),
              p.serverCpuNanos() / 1e9);
        }
        OpenTrailProcess.StoreStatus s = server.awaitIndexed(3600);
        double catchUp = (System.nanoTime() - p.lastAnswerNanos()) / 1e9;
        catchUps.add(catchUp);
        out.printf(
            Locale.ROOT,
            "  index      caught up %.1f s after the last answer (polled with opentrail exec"
                + " store:status, ~1 s resolution)%s; the store holds %,d events%n",
            catchUp,
            s.lag() == 0 ? "" : " NOT: " + Summary.n(s.lag()) + " behind after an hour",
            s.events());
        rssAfter.add(server.rssBytes());
        peakAfter.add(server.peakRssBytes());
        out.printf(
            "  memory     opentrail VmRSS %s (peak so far %s)%n",
            SystemProbes.mib(rssAfter.get(rssAfter.size() - 1)),
            SystemProbes.mib(peakAfter.get(peakAfter.size() - 1)));
        out.flush();
      }
      problems = server.problems();
      long stopNanos = server.stop();
      out.printf(Locale.ROOT, "stop         SIGTERM to exit: %,.0f ms%n", stopNanos / 1e6);
      done = true;
    } finally {
      HttpIngestScenario.finish(o, dataDir, done, out);
    }
    HttpIngestScenario.printProblems(problems, dataDir, out);

    Summary summary =
        new Summary(
            "webhook-ingest",
            String.format(
                Locale.ROOT,
                "source webhooks of a child opentrail run over HTTP/1.1 keep-alive, %d client"
                    + " threads, generated entries of the services' real shapes",
                threads));
    for (int i = 0; i < phases.size(); i++) {
      Phase p = phases.get(i);
      Spec spec = specs.get(i);
      summary.add(
          spec.label(),
          "%s entries/s acked%s; POST p50 %s, p99 %s, max %s ms; server %.0f us CPU/entry"
              + " (%.2f of %d cores), client %.2f cores, the rest of the machine %.2f cores;"
              + " index caught up %.1f s after; VmRSS %s; %s entries of %.0f B",
          Summary.perSecond(p.rate()),
          verdict(p.rate(), spec.goal()),
          Latencies.ms(p.latencies().p50Millis()),
          Latencies.ms(p.latencies().p99Millis()),
          Latencies.ms(p.latencies().maxMillis()),
          p.serverCpuNanos() / 1e3 / Math.max(1, p.accepted()),
          p.serverCpuNanos() / 1e9 / p.seconds(),
          cores,
          p.clientCpuNanos() / 1e9 / p.seconds(),
          others(p),
          catchUps.get(i),
          SystemProbes.mib(rssAfter.get(i)),
          Summary.n(p.accepted()),
          avgBytes.get(i));
    }
    summary.add(
        "opentrail RSS",
        "%s at the end, peak %s",
        SystemProbes.mib(rssAfter.isEmpty() ? -1 : rssAfter.get(rssAfter.size() - 1)),
        SystemProbes.mib(peakAfter.isEmpty() ? -1 : peakAfter.get(peakAfter.size() - 1)));
    summary.add("errors", "0 non-200 answers, 0 rejected, 0 duplicates, 0 skipped");
    summary.print(out);
    return summary;
  }

  private static String verdict(double rate, long goal) {
    if (goal <= 0) {
      return "";
    }
    return rate >= goal
        ? String.format(Locale.ROOT, " (goal >=%,d: met, %.2fx)", goal, rate / goal)
        : String.format(Locale.ROOT, " (goal >=%,d: MISSED by %.2fx)", goal, goal / rate);
  }

  private static Path config(Path dataDir, String source) {
    return dataDir.resolve("etc/org.opentrail.source." + source + "-" + INSTANCE + ".cfg");
  }

  static String sha256(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The headers the service sends: the API server's webhook posts {@code application/json}; MinIO's
   * target sends {@code application/json} with one entry per POST and no Content-Type with batches.
   */
  private static Map<String, String> headers(Spec spec, String token) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("User-Agent", "opentrail-bench");
    if (!spec.source().equals("minio") || spec.batch() == 1) {
      h.put("Content-Type", "application/json");
    }
    h.put("Accept", "application/json");
    h.put("Authorization", "Bearer " + token);
    return h;
  }

  /**
   * Waits until the source's webhook answers (404 from the API servlet until the source's servlet
   * is registered), posting one generated entry; it must be answered 200 and accepted.
   */
  private static void awaitWebhook(
      OpenTrailProcess server, String source, String token, long seed, PrintStream out)
      throws Exception {
    WebhookBody one =
        source.equals("minio")
            ? new MinioAuditGenerator(seed - 1, HOURS).body(1, 1)
            : new KubernetesAuditGenerator(seed - 1, HOURS).body(1, 1);
    Spec spec = new Spec(source, 1, 1, 0, 0);
    long t0 = System.nanoTime();
    long deadline = t0 + 60_000_000_000L;
    String path = "/sources/" + source + "/" + INSTANCE;
    int notFound = 0;
    while (true) {
      WebhookClient.Answer a;
      try (WebhookClient c = new WebhookClient(server.port, path, headers(spec, token))) {
        a = c.post(one, 0);
      }
      if (a.status() == 200) {
        long[] n = a.counts();
        if (n[1] != 1 || n[5] != 0) {
          throw new IllegalStateException(
              "a one-entry post to " + path + " was not accepted: " + a.clipped(2000));
        }
        out.printf(
            Locale.ROOT,
            "webhook      %s answering %,.0f ms after the API (%d posts answered 404 first);"
                + " a one-entry post: %s%n",
            path,
            (System.nanoTime() - t0) / 1e6,
            notFound,
            a.text().strip());
        out.flush();
        return;
      }
      if (a.status() != 404 || System.nanoTime() > deadline) {
        Path cfg = config(server.dataDir, source);
        throw new IllegalStateException(
            "the webhook "
                + path
                + " answered "
                + a.status()
                + ": "
                + a.clipped(2000)
                + "\n"
                + cfg
                + (Files.exists(cfg) ? " holds " + Files.size(cfg) + " B" : " is gone")
                + "\nopentrail's console:\n"
                + server.tail(40));
      }
      notFound++;
      Thread.sleep(100);
    }
  }

  private static void check(Phase p, OpenTrailProcess server) {
    if (p.failure() != null) {
      throw new IllegalStateException(
          p.failure() + "\nopentrail's console (warnings, errors):\n" + server.tail(40));
    }
  }

  private static void printPhase(Phase p, Spec spec, int cores, double perEntry, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "  acked      %,d entries in %.2f s = %,.0f entries/s (%,.1f MB/s of body), %,d POSTs%s%n",
        p.accepted(),
        p.seconds(),
        p.rate(),
        p.rate() * perEntry / 1e6,
        p.posts(),
        verdict(p.rate(), spec.goal()));
    out.println(
        "  POST       p50/p99/max "
            + p.latencies().summaryMillis()
            + " over "
            + Summary.n(p.latencies().count())
            + " posts (request written to answer read); "
            + p.connects()
            + " connections opened");
    out.printf(
        Locale.ROOT,
        "  cpu        opentrail %.1f s = %.0f%% of %d cores, %.1f us/entry; this client JVM %.1f s"
            + " = %.0f%% of %d cores, %.1f us/entry (%.1f us in the client threads)%n",
        p.serverCpuNanos() / 1e9,
        100 * p.serverCpuNanos() / 1e9 / p.seconds() / cores,
        cores,
        p.serverCpuNanos() / 1e3 / Math.max(1, p.accepted()),
        p.clientCpuNanos() / 1e9,
        100 * p.clientCpuNanos() / 1e9 / p.seconds() / cores,
        cores,
        p.clientCpuNanos() / 1e3 / Math.max(1, p.accepted()),
        p.workerCpuNanos() / 1e3 / Math.max(1, p.accepted()));
    out.printf(
        Locale.ROOT,
        "  machine    %.2f of %d cores busy in all; outside opentrail and this client (other"
            + " processes, kernel threads, interrupts) %.2f cores%n",
        p.machineBusyNanos() / 1e9 / p.seconds(),
        cores,
        others(p));
  }

  /** Cores other processes kept busy during the phase (the machine less server and client). */
  private static double others(Phase p) {
    return Math.max(0, p.machineBusyNanos() - p.serverCpuNanos() - p.clientCpuNanos())
        / 1e9
        / p.seconds();
  }

  /**
   * {@code threads} threads post bodies of the pool round-robin until {@code entries} entries (in
   * whole posts) have been sent; {@code sent} numbers the posts of the pool across phases, so a
   * body's generation (and with it every entry's ids) is never repeated. With {@code progress},
   * prints a line every 5 seconds.
   */
  static Phase runPhase(
      OpenTrailProcess server,
      String path,
      Map<String, String> headers,
      List<WebhookBody> pool,
      Spec spec,
      long entries,
      int threads,
      AtomicLong sent,
      PrintStream progress)
      throws Exception {
    long posts = (entries + spec.batch() - 1) / spec.batch();
    long first = sent.get();
    sent.addAndGet(posts);
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong entriesSeen = new AtomicLong();
    AtomicLong lastAnswer = new AtomicLong();
    AtomicLong connects = new AtomicLong();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicLong workerCpu = new AtomicLong();
    Latencies[] lat = new Latencies[threads];
    Thread[] workers = new Thread[threads];
    long serverCpu0 = server.cpuNanos();
    long clientCpu0 = SystemProbes.processCpuNanos();
    long busy0 = SystemProbes.machineBusyNanos();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int id = t;
      lat[t] = new Latencies((int) Math.min(1 << 22, posts / threads + 16));
      WebhookClient client = new WebhookClient(server.port, path, headers);
      workers[t] =
          new Thread(
              HttpIngestScenario.counted(
                  workerCpu,
                  () -> {
                    try (client) {
                      while (failure.get() == null) {
                        long c = next.getAndIncrement();
                        if (c >= posts) {
                          return;
                        }
                        long k = first + c;
                        WebhookBody b = pool.get((int) (k % pool.size()));
                        long generation = k / pool.size() + 1;
                        long t0 = System.nanoTime();
                        WebhookClient.Answer a;
                        try {
                          a = client.post(b, generation);
                        } catch (IOException e) {
                          failure.compareAndSet(null, "POST " + path + " failed: " + e);
                          return;
                        }
                        long t1 = System.nanoTime();
                        lat[id].add(t1 - t0);
                        if (a.status() != 200) {
                          failure.compareAndSet(
                              null,
                              "POST "
                                  + path
                                  + " answered HTTP "
                                  + a.status()
                                  + ": "
                                  + a.clipped(4000));
                          return;
                        }
                        long[] n = a.counts();
                        // Entries, Accepted, Duplicates, NotCollected, Skipped, Rejected
                        if (n[0] != b.entries || n[1] != b.entries || n[5] != 0) {
                          failure.compareAndSet(
                              null,
                              "POST "
                                  + path
                                  + " of "
                                  + b.entries
                                  + " entries (generation "
                                  + generation
                                  + ") was not wholly accepted: "
                                  + a.clipped(4000));
                          return;
                        }
                        accepted.addAndGet(n[1]);
                        entriesSeen.addAndGet(n[0]);
                        lastAnswer.accumulateAndGet(t1, Math::max);
                      }
                    } finally {
                      connects.addAndGet(client.connects());
                    }
                  }),
              "bench-webhook-" + t);
      workers[t].start();
    }
    server.await(workers, start, accepted::get, "entries", progress);
    long serverCpu = server.cpuNanos() - serverCpu0;
    long clientCpu = SystemProbes.processCpuNanos() - clientCpu0;
    long busy = SystemProbes.machineBusyNanos() - busy0;
    Latencies all = new Latencies((int) Math.min(Integer.MAX_VALUE - 8, posts + 16));
    for (Latencies l : lat) {
      all.addAll(l);
    }
    return new Phase(
        entriesSeen.get(),
        accepted.get(),
        all.count(),
        start,
        Math.max(start + 1, lastAnswer.get()),
        all,
        serverCpu,
        clientCpu,
        workerCpu.get(),
        busy,
        (int) connects.get(),
        failure.get());
  }
}
