package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.sink.jdbc.JdbcSinkConfig;
import org.opentrail.sink.jdbc.JdbcSinkProvider;
import org.osgi.util.converter.Converters;

/**
 * {@code sink-jdbc}: the jdbc sink (COPY into a staging table, then INSERT ... ON CONFLICT DO
 * NOTHING) into an embedded PostgreSQL 18 with fsync and synchronous_commit on. First the
 * throughput of {@code --events} generated ActionTrail events delivered in batches of {@code
 * --batch} (default 10,000, the engine's batch.max.events); then the delivery latency at a steady
 * {@code --rate} (default 10,000 events/s) for {@code --seconds} (default 20): events are batched
 * as the engine does with its default 200 ms linger, and each event's latency runs from the moment
 * it was due to the commit of its batch. The engine's own overhead (store read, filter) is not in
 * these figures; the {@code delivery} scenario measures that for the file sink.
 */
final class JdbcSinkScenario {
  private static final long LINGER_MILLIS = 200;

  private JdbcSinkScenario() {}

  static void run(BenchOptions o, PrintStream out) throws Exception {
    Path parent = Paths.get(System.getProperty("java.io.tmpdir"));
    RunHeader.print(out, "sink-jdbc", o, parent);
    long events = o.given("--events") ? o.events : 300_000;
    int batch = o.given("--batch") ? o.batch : 10_000;
    int rate = o.given("--rate") ? o.rate : 10_000;
    int seconds = o.given("--seconds") ? o.seconds : 20;
    try (PostgresServer pg = PostgresServer.start(parent)) {
      out.println("server       " + pg.describe());
      String url;
      try (Connection c = pg.connect(false)) {
        url = c.getMetaData().getURL();
      }
      JdbcSinkProvider provider =
          new JdbcSinkProvider(
              Converters.standardConverter()
                  .convert(Map.of("url", url, "user", "postgres"))
                  .to(JdbcSinkConfig.class),
              List.of(new org.postgresql.Driver()));
      ActionTrailEventGenerator gen = new ActionTrailEventGenerator(new Populations(), "1");
      SplittableRandom r = new SplittableRandom(o.seed);

      try (Sink sink = provider.open(target("bench-throughput"))) {
        sink.deliver(batch(gen, r, 0, Math.min(batch, 1000), System.currentTimeMillis())); // warm
        long seq = 1000;
        long bytes = 0;
        deliverNanos = 0; // generating events is not timed, only deliver()
        while (seq < events + 1000) {
          int n = (int) Math.min(batch, events + 1000 - seq);
          DeliveryBatch b = batch(gen, r, seq, n, System.currentTimeMillis());
          for (StoredEvent e : b.events()) {
            bytes += e.event().jsonSize();
          }
          long t = System.nanoTime();
          sink.deliver(b);
          seq += n;
          deliverNanos += System.nanoTime() - t;
        }
        double sec = deliverNanos / 1e9;
        out.printf(
            Locale.ROOT,
            "throughput   %,d events (%,d MB JSON) in batches of %,d: %.2f s in deliver() = %,.0f"
                + " events/s%n",
            events,
            bytes >> 20,
            batch,
            sec,
            events / sec);
        check(pg, "bench-throughput", events + 1000, out);
      }

      try (Sink sink = provider.open(target("bench-latency"))) {
        Latencies lat = new Latencies();
        long perWindow = rate * LINGER_MILLIS / 1000;
        long t0 = System.nanoTime();
        long seq = 0;
        for (long w = 0; w < seconds * 1000 / LINGER_MILLIS; w++) {
          long windowEnd = t0 + (w + 1) * LINGER_MILLIS * 1_000_000;
          DeliveryBatch b = batch(gen, r, seq, (int) perWindow, System.currentTimeMillis());
          long wait = windowEnd - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          sink.deliver(b);
          long done = System.nanoTime();
          for (long i = 0; i < perWindow; i++) {
            long due = t0 + w * LINGER_MILLIS * 1_000_000 + i * 1_000_000_000L / rate;
            lat.add(done - due);
          }
          seq += perWindow;
        }
        out.printf(
            Locale.ROOT,
            "latency      %,d events/s for %d s, batches every %d ms (%,d events): p50 %.0f ms,"
                + " p99 %.0f ms, max %.0f ms (due -> committed)%n",
            rate,
            seconds,
            LINGER_MILLIS,
            perWindow,
            lat.percentileNanos(50) / 1e6,
            lat.percentileNanos(99) / 1e6,
            lat.maxNanos() / 1e6);
        check(pg, "bench-latency", seq, out);
      }
    }
  }

  private static long deliverNanos;

  private static SinkTarget target(String trail) {
    return new SinkTarget("123456789012", trail, "d1", Map.of());
  }

  private static DeliveryBatch batch(
      ActionTrailEventGenerator gen, SplittableRandom r, long first, int n, long now) {
    List<StoredEvent> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Event e = gen.next(r, now, true);
      list.add(new StoredEvent(first + i + 1, now, e));
    }
    return new DeliveryBatch("b" + first, first + 1, first + n, list);
  }

  private static void check(PostgresServer pg, String trail, long expected, PrintStream out)
      throws Exception {
    try (Connection c = pg.connect(false);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM \"actiontrail_" + trail + "\"")) {
      rs.next();
      long n = rs.getLong(1);
      out.println(
          "check        "
              + trail
              + ": "
              + n
              + " rows, "
              + (n == expected ? "every event once" : "EXPECTED " + expected));
    }
  }
}
