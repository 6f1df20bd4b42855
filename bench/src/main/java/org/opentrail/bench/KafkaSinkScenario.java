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
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.sink.kafka.KafkaBroker;
import org.opentrail.sink.kafka.KafkaSinkConfig;
import org.opentrail.sink.kafka.KafkaSinkProvider;
import org.opentrail.sink.kafka.TopicReader;
import org.opentrail.trail.TrailConfig;
import org.opentrail.trail.TrailManager;
import org.osgi.util.converter.Converters;

/**
 * {@code kafka-sink}: the kafka sink into a real Kafka 4.3.1 broker (KRaft, one node, in this JVM,
 * on loopback). First its throughput: {@code --events} (default 500,000) ActionTrail events in
 * batches of {@code --batch} (default 10,000, the trail engine's batch.max.events) delivered one
 * batch after another, each acknowledged (acks=all, idempotent, zstd) before the next. Then the
 * latency from {@code record()} returning to the sink's acknowledgement, through the real recorder,
 * store and delivery engine, at a steady {@code --rate} (default 10,000 events/s) for {@code
 * --seconds} (default 30).
 */
final class KafkaSinkScenario {
  private KafkaSinkScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path dataDir = BenchStore.createDataDir(o.dir, "kafka-sink");
    RunHeader.print(out, "kafka-sink", o, dataDir);
    KafkaBroker broker = new KafkaBroker(dataDir.resolve("kafka"));
    BenchStore fixture = BenchStore.open(dataDir, o.storeConfig);
    try {
      KafkaSinkProvider provider =
          new KafkaSinkProvider(
              Converters.standardConverter()
                  .convert(Map.of("bootstrap.servers", broker.plaintext()))
                  .to(KafkaSinkConfig.class));
      int events = o.eventsGiven ? (int) o.events : 500_000;
      int batch = o.batchGiven ? o.batch : 10_000;
      Populations pop = new Populations();
      ActionTrailEventGenerator gen = new ActionTrailEventGenerator(pop, fixture.account);
      long now = System.currentTimeMillis();
      int poolSize = Math.min(events, 100_000);
      EventPool pool =
          EventPool.generate(
              gen, poolSize, o.seed, true, i -> now - 3_600_000L + i * 3_600_000L / poolSize);

      // 1. throughput of the sink itself, with each compression the sink offers
      List<StoredEvent> stream = new ArrayList<>(events);
      SplittableRandom r = new SplittableRandom(o.seed);
      for (int i = 0; i < events; i++) {
        Event e = pool.take(i, r).with("recipientAccountId", fixture.account);
        e.jsonSize();
        stream.add(new StoredEvent(i + 1, now, e));
      }
      Map<String, Double> rates = new java.util.LinkedHashMap<>();
      for (String compression : List.of("zstd", "lz4", "none")) {
        KafkaSinkProvider p =
            new KafkaSinkProvider(
                Converters.standardConverter()
                    .convert(
                        Map.of(
                            "bootstrap.servers",
                            broker.plaintext(),
                            "compression.type",
                            compression))
                    .to(KafkaSinkConfig.class));
        rates.put(
            compression, throughput(p, broker, fixture.account, compression, stream, batch, out));
      }

      // 2. end-to-end latency at a steady rate, through the delivery engine
      int steady = o.rateGiven ? o.rate : 10_000;
      int seconds = o.secondsGiven ? o.seconds : 30;
      TrailManager trails =
          new TrailManager(
              fixture.store,
              dataDir.resolve("trails"),
              Converters.standardConverter().convert(Map.of()).to(TrailConfig.class));
      TimedSinkProvider timed = new TimedSinkProvider(provider);
      trails.addSinkProvider("kafka", timed);
      trails.bindDeliveryRole(account -> true); // the benchmark measures delivery, not the grant
      trails.create(
          fixture.account, TrailSpec.of("latency-trail", DestinationSpec.of("kafka", Map.of())));
      trails.startLogging(fixture.account, "latency-trail");
      out.printf(
          Locale.ROOT,
          "latency      %,d events/s for %d s, 1 source thread recording every 10 ms, default trail"
              + " batching%n",
          steady,
          seconds);
      Latencies all = steady(fixture, pool, timed, steady, seconds, o.seed + 1);
      awaitDelivered(trails, fixture.account, "latency-trail", 120);
      trails.close();
      out.printf(
          Locale.ROOT,
          "latency      record() returned -> acknowledged by Kafka, %,d events: p50/p99/max %s%n",
          all.count(),
          all.summaryMillis());
      Summary s =
          new Summary(
              "kafka-sink",
              String.format(
                  Locale.ROOT, "kafka sink, batches of %,d; %,d events/s steady", batch, steady));
      for (Map.Entry<String, Double> e : rates.entrySet()) {
        s.add("throughput " + e.getKey(), "%s events/s", Summary.perSecond(e.getValue()));
      }
      s.add(
          "e2e latency p50/p99",
          "%s / %s ms",
          Latencies.ms(all.p50Millis()),
          Latencies.ms(all.p99Millis()));
      s.print(out);
      return s;
    } finally {
      fixture.close();
      broker.close();
      IngestScenario.finish(o, dataDir, out);
    }
  }

  /** Delivers {@code stream} in batches of {@code batch}, one after another; answers events/s. */
  private static double throughput(
      KafkaSinkProvider provider,
      KafkaBroker broker,
      String account,
      String compression,
      List<StoredEvent> stream,
      int batch,
      PrintStream out)
      throws Exception {
    int events = stream.size();
    long bytes = stream.stream().mapToLong(e -> e.event().jsonSize()).sum();
    String trail = "throughput-" + compression;
    SinkTarget target = new SinkTarget(account, trail, "d1", Map.of());
    double secs;
    double cpu;
    try (Sink sink = provider.open(target)) {
      sink.deliver(batchOf(stream.subList(0, Math.min(batch, events)), "warm")); // not timed
      long cpu0 = SystemProbes.processCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < events; i += batch) {
        sink.deliver(batchOf(stream.subList(i, Math.min(events, i + batch)), "b"));
      }
      secs = (System.nanoTime() - t0) / 1e9;
      cpu = (SystemProbes.processCpuNanos() - cpu0) / 1e9;
    }
    long onTopic = TopicReader.readAll(broker.plaintext(), "actiontrail_" + trail).size();
    out.printf(
        Locale.ROOT,
        "throughput   %s: %,d events (%.0f B JSON each) in batches of %,d: %.2f s = %,.0f events/s"
            + " (%.0f MB/s of JSON, %.0f%% of %d cores, broker in the same JVM); %,d records on"
            + " the topic%n",
        compression,
        events,
        bytes / (double) events,
        batch,
        secs,
        events / secs,
        bytes / secs / 1e6,
        100 * cpu / secs / Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().availableProcessors(),
        onTopic);
    return events / secs;
  }

  private static DeliveryBatch batchOf(List<StoredEvent> part, String prefix) {
    long first = part.get(0).sequence();
    long last = part.get(part.size() - 1).sequence();
    return new DeliveryBatch(prefix + first + "-" + last, first, last, part);
  }

  private static Latencies steady(
      BenchStore fixture, EventPool pool, TimedSinkProvider timed, int rate, int seconds, long seed)
      throws Exception {
    Map<String, Long> acked = new ConcurrentHashMap<>();
    SplittableRandom r = new SplittableRandom(seed);
    long start = System.nanoTime();
    long perTick = Math.max(1, rate / 100);
    long sent = 0;
    for (long tick = 0; tick < seconds * 100L; tick++) {
      long wait = start + tick * 10_000_000L - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      List<Event> batch = new ArrayList<>((int) perTick);
      for (int i = 0; i < perTick; i++) {
        batch.add(pool.take(1_000_000_000L + sent++, r));
      }
      List<EventOutcome> outcomes = fixture.recorder.record(fixture.account, batch).outcomes();
      long t = System.nanoTime();
      for (EventOutcome e : outcomes) {
        acked.put(e.eventId(), t);
      }
    }
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!timed.deliveredNanos.keySet().containsAll(acked.keySet())
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Latencies all = new Latencies(acked.size());
    for (Map.Entry<String, Long> e : acked.entrySet()) {
      Long d = timed.deliveredNanos.get(e.getKey());
      if (d == null) {
        throw new IllegalStateException("event " + e.getKey() + " was not delivered");
      }
      all.add(d - e.getValue());
    }
    return all;
  }

  private static void awaitDelivered(TrailManager trails, String account, String trail, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (trails.status(account, trail).destinations().stream()
            .mapToLong(DestinationStatus::lagEvents)
            .sum()
        > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("delivery did not catch up in " + seconds + " s");
      }
      Thread.sleep(5);
    }
  }
}
