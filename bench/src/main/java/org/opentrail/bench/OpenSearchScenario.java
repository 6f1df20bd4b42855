package org.opentrail.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.sink.opensearch.OpenSearchSinkConfig;
import org.opentrail.sink.opensearch.OpenSearchSinkProvider;
import org.osgi.util.converter.Converters;

/**
 * {@code opensearch}: the opensearch sink into a local one-node OpenSearch 2.19.1 (a child JVM on
 * the class path {@code -Dopensearch.classpath}, as {@code bench/run opensearch} sets it). First
 * the throughput of {@code --events} ActionTrail events delivered in batches of {@code --batch}
 * (10,000 and 1,000 by default: the engine's largest batch and a small one); then the latency from
 * an event being handed over to its batch being acknowledged by the sink, at a steady {@code
 * --rate} (default 10,000/s) for {@code --seconds}, batching what arrived while the previous batch
 * was delivered, as the delivery engine does.
 */
final class OpenSearchScenario {
  private OpenSearchScenario() {}

  static void run(BenchOptions o, PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("bench-opensearch");
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("opensearch.classpath"),
                "org.opentrail.sink.opensearch.SearchServerMain",
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null && !line.startsWith("READY ")) {
        // the runner's own output
      }
      if (line == null) {
        throw new IllegalStateException("the OpenSearch child process ended before it was ready");
      }
      String endpoint = "http://127.0.0.1:" + line.substring(6).strip();
      OpenSearchSinkProvider provider =
          new OpenSearchSinkProvider(
              Converters.standardConverter()
                  .convert(Map.of("endpoint", endpoint, "index.replicas", 0))
                  .to(OpenSearchSinkConfig.class));
      out.printf(
          "opensearch   %s, one node (OpenSearch 2.19.1, child JVM -Xmx1g), %d cores, %s%n",
          endpoint, Runtime.getRuntime().availableProcessors(), RunHeader.now());
      ActionTrailEventGenerator gen =
          new ActionTrailEventGenerator(new Populations(), "123456789012");
      SplittableRandom r = new SplittableRandom(42);
      int n = o.given.contains("--events") ? (int) Math.min(o.events, 2_000_000) : 200_000;
      List<StoredEvent> events = new ArrayList<>(n);
      long t0 = System.currentTimeMillis() - n;
      for (int i = 0; i < n; i++) {
        events.add(stored(gen, r, i, t0 + i));
      }
      for (int batch :
          o.given.contains("--batch") ? new int[] {o.batch} : new int[] {10_000, 1_000}) {
        throughput(provider, events, batch, out);
      }
      latency(provider, gen, o, out);
    } finally {
      server.getOutputStream().close();
      server.waitFor(30, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  static StoredEvent stored(ActionTrailEventGenerator gen, SplittableRandom r, long seq, long t) {
    Map<String, Object> f = new HashMap<>(gen.next(r, t, false).fields());
    f.put("eventId", ActionTrailEventGenerator.uuid(r));
    return new StoredEvent(seq, t, Event.of(f));
  }

  private static void throughput(
      OpenSearchSinkProvider p, List<StoredEvent> events, int batch, PrintStream out)
      throws Exception {
    String trail = "bench-" + batch;
    try (Sink sink = p.open(new SinkTarget("123456789012", trail, "d", Map.of()))) {
      sink.deliver(batch(events.subList(0, 1000))); // template, index, connections
      long start = System.nanoTime();
      for (int i = 1000; i < events.size(); i += batch) {
        sink.deliver(batch(events.subList(i, Math.min(events.size(), i + batch))));
      }
      double sec = (System.nanoTime() - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "throughput   batch %,d: %,d events in %.2f s = %,.0f events/s delivered (acknowledged _bulk)%n",
          batch,
          events.size() - 1000,
          sec,
          (events.size() - 1000) / sec);
    }
  }

  private static void latency(
      OpenSearchSinkProvider p, ActionTrailEventGenerator gen, BenchOptions o, PrintStream out)
      throws Exception {
    int rate = o.rateGiven ? o.rate : 10_000;
    int seconds = o.secondsGiven ? o.seconds : 30;
    BlockingQueue<long[]> queue = new ArrayBlockingQueue<>(1 << 20); // {sequence, handed nanos}
    List<StoredEvent> pool = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(7);
    long t0 = System.currentTimeMillis();
    for (int i = 0; i < rate * seconds; i++) {
      pool.add(stored(gen, r, i, t0 + i / 10));
    }
    Latencies lat = new Latencies(rate * seconds);
    Thread producer =
        new Thread(
            () -> {
              long start = System.nanoTime();
              for (int i = 0; i < pool.size(); i++) {
                long due = start + (long) i * 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                  Thread.onSpinWait();
                }
                queue.add(new long[] {i, System.nanoTime()});
              }
            });
    try (Sink sink = p.open(new SinkTarget("123456789012", "bench-latency", "d", Map.of()))) {
      sink.deliver(batch(pool.subList(0, 1))); // template and index before the clock starts
      producer.start();
      int done = 1;
      List<long[]> taken = new ArrayList<>();
      while (done < pool.size()) {
        taken.clear();
        long[] first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        taken.add(first);
        queue.drainTo(taken, 9_999);
        List<StoredEvent> b = new ArrayList<>(taken.size());
        for (long[] t : taken) {
          if (t[0] > 0) {
            b.add(pool.get((int) t[0]));
          }
        }
        if (!b.isEmpty()) {
          sink.deliver(batch(b));
        }
        long now = System.nanoTime();
        for (long[] t : taken) {
          lat.add(now - t[1]);
        }
        done += taken.size();
      }
      producer.join();
    }
    out.printf(
        Locale.ROOT,
        "latency      %,d events/s for %d s (handed over -> batch acknowledged): %s%n",
        rate,
        seconds,
        lat.summaryMillis());
  }

  private static DeliveryBatch batch(List<StoredEvent> events) {
    long a = events.get(0).sequence();
    long b = events.get(events.size() - 1).sequence();
    return new DeliveryBatch("b-" + a + "-" + b, a, b, events);
  }
}
