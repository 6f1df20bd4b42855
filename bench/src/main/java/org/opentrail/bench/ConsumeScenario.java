package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.opentrail.api.consume.CursorStart;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.consume.PullResult;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.Logstores;
import org.opentrail.consume.LogConsumerService;

/**
 * {@code consume}: stream consumption of a logstore holding {@code --events} events, as a Log
 * Service consumer reads one: pulls of 1000 events after a cursor, the group's checkpoint saved
 * (fsync'd) after every pull. One consumer group alone, then two groups at once (each its own
 * thread), then the account's events in the history. Each reader must see every event exactly once.
 */
final class ConsumeScenario {
  private static final String LOGSTORE = "actiontrail_bench";

  private ConsumeScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path dataDir = BenchStore.createDataDir(o.dir, "consume");
    RunHeader.print(out, "consume", o, dataDir);
    Summary s;
    try (BenchStore fixture = BenchStore.open(dataDir, o.storeConfig)) {
      String note =
          LookupScenario.load(
              o, fixture, new ActionTrailEventGenerator(new Populations(), fixture.account), out);
      String account = fixture.account;
      EventStore store = fixture.store;
      String stream = Logstores.stream(account, LOGSTORE);
      store.createStream(new StreamSpec(stream, 180, true));
      long t0 = System.nanoTime();
      long after = 0;
      while (true) {
        List<StoredEvent> batch = store.read(EventStore.HISTORY, after, 10_000);
        if (batch.isEmpty()) {
          break;
        }
        List<Event> events = new ArrayList<>(batch.size());
        batch.forEach(e -> events.add(e.event()));
        store.append(stream, events);
        after = batch.get(batch.size() - 1).sequence();
      }
      long total = store.lastSequence(stream);
      out.printf(
          Locale.ROOT,
          "logstore     %,d events copied into %s in %.1f s (not timed below)%n",
          total,
          LOGSTORE,
          (System.nanoTime() - t0) / 1e9);
      s = new Summary("consume", Summary.n(total) + " events, " + note);
      LogConsumer consumer = new LogConsumerService(store, dataDir.resolve("consume"));

      double one = timed(out, "1 group", List.of("solo"), consumer, account, LOGSTORE, total);
      s.add("consume 1 group events/s", "%,.0f", one);
      double two =
          timed(out, "2 groups", List.of("left", "right"), consumer, account, LOGSTORE, total);
      s.add("consume 2 groups events/s (sum)", "%,.0f", two);
      double history = timed(out, "history", List.of("hist"), consumer, account, "history", total);
      s.add("consume history events/s", "%,.0f", history);
    }
    IngestScenario.finish(o, dataDir, out);
    s.print(out);
    return s;
  }

  /** Every group reads the whole logstore, in parallel; answers events/s summed over groups. */
  private static double timed(
      PrintStream out,
      String what,
      List<String> groups,
      LogConsumer c,
      String account,
      String logstore,
      long expected)
      throws Exception {
    for (String g : groups) {
      c.createGroup(account, logstore, g, 300, true);
    }
    ExecutorService pool = Executors.newFixedThreadPool(groups.size());
    long t0 = System.nanoTime();
    List<Future<long[]>> runs = new ArrayList<>();
    for (String g : groups) {
      runs.add(pool.submit(() -> drain(c, account, logstore, g)));
    }
    long events = 0;
    long pulls = 0;
    for (Future<long[]> f : runs) {
      long[] r = f.get();
      if (r[0] != expected) {
        throw new IllegalStateException(what + ": read " + r[0] + " events, not " + expected);
      }
      events += r[0];
      pulls += r[1];
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    out.printf(
        Locale.ROOT,
        "consume      %-8s %,d events in %,d pulls of <=1000 (checkpoint fsync'd after each) in"
            + " %.2f s = %,.0f events/s%n",
        what,
        events,
        pulls,
        sec,
        events / sec);
    return events / sec;
  }

  /** One group reads from its checkpoint to the end; answers {events, pulls}. */
  private static long[] drain(LogConsumer c, String account, String logstore, String group) {
    String cursor = c.cursor(account, logstore, CursorStart.begin());
    long events = 0;
    long pulls = 0;
    long last = 0;
    while (true) {
      PullResult r =
          c.pull(
              account, logstore, cursor, LogConsumer.MAX_PULL_EVENTS, LogConsumer.MAX_PULL_BYTES);
      if (!r.lost().isEmpty()) {
        throw new IllegalStateException("lost " + r.lost());
      }
      if (r.atEnd()) {
        return new long[] {events, pulls};
      }
      for (StoredEvent e : r.events()) {
        if (e.sequence() <= last) {
          throw new IllegalStateException("sequence " + e.sequence() + " read twice");
        }
        last = e.sequence();
      }
      events += r.events().size();
      pulls++;
      cursor = r.nextCursor();
      c.updateCheckpoint(account, logstore, group, 0, "bench", cursor);
    }
  }
}
