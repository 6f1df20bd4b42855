package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.auth.AccountSigningKeys;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;
import org.opentrail.internal.digest.DestinationVerifier;
import org.opentrail.internal.digest.PublicKeys;
import org.opentrail.sink.file.FileSinkProvider;
import org.opentrail.trail.TrailConfig;
import org.opentrail.trail.TrailManager;
import org.osgi.util.converter.Converters;

/**
 * {@code delivery}: trails end to end, in process, with the real recorder, store, delivery engine
 * and file sink. First the latency from {@code record()} returning to the event being in the file
 * sink (its file renamed into place and forced) at a steady rate; then the rate at which a backlog
 * of {@code --events} drains into the file sink once its sink type appears.
 */
final class DeliveryScenario {
  private DeliveryScenario() {}

  /**
   * {@code opentrail verify}'s check of the drained destination: every digest's signature and
   * chain, then every delivered file hashed again (SHA-256) against the digests.
   */
  private static void verifyDrained(
      Path root, AccountSigningKeys keys, String account, PrintStream out)
      throws java.io.IOException {
    DestinationVerifier.Report v =
        DestinationVerifier.verify(
            root,
            PublicKeys.of(keys.publicKeys(account, null, null)),
            java.time.Instant.now(),
            true,
            line -> out.println("  " + line));
    double sec = Math.max(1, v.millis()) / 1000.0;
    out.printf(
        Locale.ROOT,
        "verify       opentrail verify of the drained destination: %d digests, %,d files, %,d MB in"
            + " %.2f s = %.0f MB/s, %,.0f files/s; %s%n",
        v.digestsChecked(),
        v.logFilesChecked(),
        v.bytesHashed() >> 20,
        sec,
        (v.bytesHashed() >> 20) / sec,
        v.logFilesChecked() / sec,
        v.findings().isEmpty() ? "proven" : "NOT PROVEN " + v.findings());
  }

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path dataDir = BenchStore.createDataDir(o.dir, "delivery");
    RunHeader.print(out, "delivery", o, dataDir);
    BenchStore fixture = BenchStore.open(dataDir, o.storeConfig);
    Populations pop = new Populations();
    ActionTrailEventGenerator gen = new ActionTrailEventGenerator(pop, fixture.account);
    int poolSize = o.poolSize(o.events);
    long now = System.currentTimeMillis();
    EventPool pool =
        EventPool.generate(
            gen, poolSize, o.seed, false, i -> now - 3_600_000L + i * 3_600_000L / poolSize);
    TrailManager trails =
        new TrailManager(
            fixture.store,
            dataDir.resolve("trails"),
            Converters.standardConverter().convert(Map.of()).to(TrailConfig.class));
    TimedSinkProvider timed =
        new TimedSinkProvider(new FileSinkProvider(dataDir.resolve("oss"), 1));
    trails.addSinkProvider("file", timed);
    trails.bindDeliveryRole(account -> true); // the benchmark measures delivery, not the grant
    AuthPaths authPaths = AuthPaths.under(dataDir.resolve("auth"));
    IdentityRegistry ids = new IdentityRegistry(authPaths, fixture.account);
    AccountSigningKeys keys = new AccountSigningKeys(ids, authPaths);
    trails.bindSigningKeys(keys); // destinations of the file sink get signed digests
    int rate = o.rateGiven ? o.rate : 10_000;
    int seconds = o.secondsGiven ? o.seconds : 60;

    // 1. end-to-end latency at a steady rate: a source recording 100 events every 10 ms
    trails.create(
        fixture.account,
        TrailSpec.of("latency-trail", DestinationSpec.of("file", Map.of("bucket", "latency"))));
    trails.startLogging(fixture.account, "latency-trail");
    out.printf(
        Locale.ROOT,
        "latency      %,d events/s for %d s, 1 source thread recording every 10 ms, default trail batching (linger 200 ms)%n",
        rate,
        seconds);
    Map<String, Long> acked = new ConcurrentHashMap<>();
    List<Long> ackOrder = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(o.seed);
    long start = System.nanoTime();
    long perTick = Math.max(1, rate / 100);
    long sent = 0;
    for (long tick = 0; tick < seconds * 100L; tick++) {
      long due = start + tick * 10_000_000L;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      List<Event> batch = new ArrayList<>((int) perTick);
      for (int i = 0; i < perTick; i++) {
        batch.add(pool.take(sent++, r));
      }
      List<EventOutcome> outcomes = fixture.recorder.record(fixture.account, batch).outcomes();
      long t = System.nanoTime();
      for (EventOutcome e : outcomes) {
        acked.put(e.eventId(), t);
      }
      ackOrder.add(t);
    }
    long lastAck = System.nanoTime();
    awaitDelivered(trails, fixture.account, "latency-trail", 600);
    Latencies all = new Latencies(acked.size());
    Latencies secondHalf = new Latencies(acked.size());
    long half = start + (lastAck - start) / 2;
    long missing = 0;
    for (Map.Entry<String, Long> e : acked.entrySet()) {
      Long d = timed.deliveredNanos.get(e.getKey());
      if (d == null) {
        missing++;
        continue;
      }
      all.add(d - e.getValue());
      if (e.getValue() > half) {
        secondHalf.add(d - e.getValue());
      }
    }
    out.printf(
        Locale.ROOT,
        "latency      record() returned -> in the file sink, %,d events: p50/p99/max %s%s%n",
        all.count(),
        all.summaryMillis(),
        missing > 0 ? " (" + missing + " NOT delivered)" : "");
    out.printf(
        Locale.ROOT,
        "latency      second half (JIT warmer): p50/p99/max %s%n",
        secondHalf.summaryMillis());
    trails.stopLogging(fixture.account, "latency-trail");

    // 2. a backlog drains when its sink type arrives
    trails.create(
        fixture.account,
        TrailSpec.of("drain-trail", DestinationSpec.of("file-later", Map.of("bucket", "drain"))));
    trails.startLogging(fixture.account, "drain-trail");
    Producers producers =
        new Producers(fixture, o.threads, o.batch, o.events, pool.batches(), o.seed + 7);
    producers.runReporting(fixture, new PrintStream(java.io.OutputStream.nullOutputStream()), 5);
    long backlog = lag(trails, fixture.account, "drain-trail");
    fixture.awaitIndexed(3600); // as after a sink outage: the index has long caught up
    fixture.awaitCommitted(600);
    out.printf(
        Locale.ROOT,
        "drain        backlog of %,d events waiting for sink type file-later%n",
        backlog);
    long cpu0 = SystemProbes.processCpuNanos();
    long t0 = System.nanoTime();
    trails.addSinkProvider("file-later", new FileSinkProvider(dataDir.resolve("oss-drain"), 1));
    awaitDelivered(trails, fixture.account, "drain-trail", 3600);
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (SystemProbes.processCpuNanos() - cpu0) / 1e9;
    double drainRate = backlog / secs;
    long bytes = SystemProbes.duBytes(dataDir.resolve("oss-drain"));
    out.printf(
        Locale.ROOT,
        "drain        %,d events in %.2f s = %,.0f events/s into the file sink (%.0f%% of 2 cores); %.1f MiB of gzip files (%.0f B/event)%n",
        backlog,
        secs,
        drainRate,
        100 * cpu / secs / Runtime.getRuntime().availableProcessors(),
        bytes / 1048576.0,
        bytes / (double) backlog);

    trails.close(); // writes the final digests
    verifyDrained(dataDir.resolve("oss-drain/drain"), keys, fixture.account, out);
    fixture.close();
    IngestScenario.finish(o, dataDir, out);
    Summary s =
        new Summary(
            "delivery",
            String.format(
                Locale.ROOT,
                "trail -> file sink, %,d events/s steady; %,d-event backlog",
                rate,
                backlog));
    s.add(
        "e2e latency p50/p99",
        "%s / %s ms (second half %s / %s ms)",
        Latencies.ms(all.p50Millis()),
        Latencies.ms(all.p99Millis()),
        Latencies.ms(secondHalf.p50Millis()),
        Latencies.ms(secondHalf.p99Millis()));
    s.add("backlog drain", "%s events/s", Summary.perSecond(drainRate));
    s.print(out);
    return s;
  }

  private static long lag(TrailManager trails, String account, String trail) {
    return trails.status(account, trail).destinations().stream()
        .mapToLong(DestinationStatus::lagEvents)
        .sum();
  }

  private static void awaitDelivered(TrailManager trails, String account, String trail, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (lag(trails, account, trail) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("delivery did not catch up in " + seconds + " s");
      }
      Thread.sleep(5);
    }
  }
}
