package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamInfo;

/**
 * {@code baseline-postgres} (issue 13): OpenTrail's LookupEvents next to what a careful user builds
 * in an afternoon in PostgreSQL, on the same events, in the same run. Loads {@code --events} into
 * OpenTrail exactly as {@code lookup} does (or opens {@code --reuse DIR}), starts an embedded
 * PostgreSQL ({@link PostgresServer}), copies the stored events into its tables ({@link
 * PostgresSchema}, {@link PostgresLoader}) and prints the load rate and size per event, then times
 * the {@link LookupWorkload} query types on both with the same draws ({@link SideBySide}) for each
 * {@code --clients} count, and prints the ratios. PostgreSQL's directory is always removed; the
 * OpenTrail data directory unless {@code --keep} or {@code --reuse}.
 */
final class BaselinePostgresScenario {
  private BaselinePostgresScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    boolean reuse = o.reuse != null;
    Path dataDir =
        reuse ? o.reuse.toAbsolutePath() : BenchStore.createDataDir(o.dir, "baseline-postgres");
    if (reuse && !Files.isDirectory(dataDir.resolve("store"))) {
      throw new IllegalArgumentException(dataDir + " has no store/: not a bench data directory");
    }
    RunHeader.print(out, "baseline-postgres", o, dataDir);
    out.println("postgres     schema: " + PostgresSchema.DESCRIPTION);
    out.println(
        "postgres     load: INSERT ... ON CONFLICT DO NOTHING, JDBC batches"
            + " (reWriteBatchedInserts), one transaction per "
            + Summary.n(PostgresLoader.TRANSACTION)
            + " events, one connection; then VACUUM ANALYZE and CHECKPOINT");
    out.println(
        "postgres     lookups: ORDER BY event_time DESC, seq DESC (FORWARD: ASC) LIMIT MaxResults"
            + " + 1; NextToken = (range, event_time, seq) of the last event, next page"
            + " (event_time, seq) < that; bodies as body::text; a pool of connections, one per"
            + " concurrent client");
    Populations pop = new Populations();
    String loadNote;
    BenchStore fixture;
    if (reuse) {
      loadNote = "reused " + dataDir;
      fixture = BenchStore.open(dataDir, o.storeConfig);
    } else {
      BenchStore loading = BenchStore.open(dataDir, o.storeConfig);
      loadNote =
          LookupScenario.load(o, loading, new ActionTrailEventGenerator(pop, loading.account), out);
      loading.close();
      fixture = BenchStore.open(dataDir, o.storeConfig);
    }
    Summary summary;
    try {
      summary = measure(o, out, fixture, pop, loadNote);
    } finally {
      fixture.close();
    }
    if (!reuse) {
      IngestScenario.finish(o, dataDir, out);
    }
    summary.print(out);
    return summary;
  }

  private static Summary measure(
      BenchOptions o, PrintStream out, BenchStore fixture, Populations pop, String loadNote)
      throws Exception {
    StreamInfo info = fixture.history();
    out.printf(
        Locale.ROOT,
        "opentrail    store opened in %.2f s: %,d events, eventTime %s .. %s%n",
        fixture.openNanos / 1e9,
        info.eventCount(),
        info.oldestEventTime(),
        info.newestEventTime());
    DiskFigures disk = DiskFigures.of(info, fixture.storeDir());
    disk.print(out, "OpenTrail, freshly opened store");
    fixture.awaitIndexed(3600);
    ActionTrailEventGenerator gen = new ActionTrailEventGenerator(pop, fixture.account);
    Instant end = info.newestEventTime().plusMillis(1);
    Instant start = end.minus(LookupScenario.SPAN);

    long s0 = System.nanoTime();
    try (PostgresServer pg = PostgresServer.start(o.dir);
        PostgresLookups pgLookups = new PostgresLookups(pg)) {
      out.printf(
          Locale.ROOT,
          "postgres     started in %.1f s in %s: %s%n",
          (System.nanoTime() - s0) / 1e9,
          pg.dir(),
          pg.describe());
      out.flush();
      PostgresLoader.Copied copied;
      long totalBytes;
      long indexBytes;
      try (Connection c = pg.connect(true)) {
        PostgresSchema.create(c);
        copied = PostgresLoader.copy(fixture.store, EventStore.HISTORY, c);
        long v0 = System.nanoTime();
        try (Statement s = c.createStatement()) {
          s.execute("VACUUM ANALYZE");
          s.execute("CHECKPOINT");
        }
        double vacuum = (System.nanoTime() - v0) / 1e9;
        totalBytes = PostgresLoader.totalBytes(c);
        indexBytes = PostgresLoader.indexBytes(c);
        out.printf(
            Locale.ROOT,
            "postgres     copied %,d events in %.1f s; inside PostgreSQL %.1f s: %,.0f events/s"
                + " (fsync on, %,d per transaction); VACUUM ANALYZE + CHECKPOINT %.1f s%n",
            copied.events(),
            copied.wallNanos() / 1e9,
            copied.insertNanos() / 1e9,
            copied.perSecond(),
            PostgresLoader.TRANSACTION,
            vacuum);
        out.printf(
            Locale.ROOT,
            "postgres     size: %s, %.0f B/event (tables and TOAST %.0f + indexes %.0f; WAL not"
                + " counted); OpenTrail %.0f B/event: %.1fx smaller%n",
            SystemProbes.bytes(totalBytes),
            totalBytes / (double) copied.events(),
            (totalBytes - indexBytes) / (double) copied.events(),
            indexBytes / (double) copied.events(),
            disk.perEvent(disk.journalBytes() + disk.indexBytes()),
            totalBytes / (double) (disk.journalBytes() + disk.indexBytes()));
      }
      out.printf(
          Locale.ROOT,
          "queries      StartTime %s, EndTime %s (the loaded 7 days), MaxResults 50; same draws"
              + " (seed %d) on both sides; ratios are OpenTrail / PostgreSQL (below 1: OpenTrail"
              + " faster)%n",
          start,
          end,
          o.seed);
      out.flush();
      SideBySide sides =
          new SideBySide(
              List.of(
                  new SideBySide.Side("OpenTrail", fixture.query::lookup),
                  new SideBySide.Side("PostgreSQL", pgLookups)),
              fixture.account,
              gen,
              start,
              end);
      List<SideBySide.Medians[][]> results = new ArrayList<>();
      for (int clients : o.clientCounts) {
        results.add(sides.run(clients, o, out));
      }
      return summary(o, info, loadNote, copied, totalBytes, disk, results);
    }
  }

  private static Summary summary(
      BenchOptions o,
      StreamInfo info,
      String loadNote,
      PostgresLoader.Copied copied,
      long pgBytes,
      DiskFigures disk,
      List<SideBySide.Medians[][]> results) {
    Summary s =
        new Summary(
            "baseline-postgres",
            String.format(
                Locale.ROOT,
                "%s events over 7 days (%s), MaxResults 50, %s timed queries per type and round,"
                    + " medians of %d rounds; OpenTrail / PostgreSQL 18.6 (goal <= 0.33)",
                Summary.n(info.eventCount()),
                loadNote,
                Summary.n(o.queries),
                SideBySide.ROUNDS));
    for (int i = 0; i < results.size(); i++) {
      int clients = o.clientCounts.get(i);
      SideBySide.Medians[][] m = results.get(i);
      for (int t = 0; t < LookupWorkload.TYPES.size(); t++) {
        SideBySide.Medians a = m[0][t];
        SideBySide.Medians b = m[1][t];
        String rate =
            clients > 1
                ? String.format(
                    Locale.ROOT,
                    "; %,.0f / %,.0f lookups/s (%.2f)",
                    a.perSecond(),
                    b.perSecond(),
                    SideBySide.ratio(a.perSecond(), b.perSecond()))
                : "";
        s.add(
            clients
                + (clients == 1 ? " client, " : " clients, ")
                + LookupWorkload.TYPES.get(t).label(),
            "p50 %s / %s ms (%.2f), p99 %s / %s ms (%.2f)%s",
            Latencies.ms(a.p50()),
            Latencies.ms(b.p50()),
            SideBySide.ratio(a.p50(), b.p50()),
            Latencies.ms(a.p99()),
            Latencies.ms(b.p99()),
            SideBySide.ratio(a.p99(), b.p99()),
            rate);
      }
    }
    s.add(
        "PostgreSQL load",
        "%,.0f events/s inside PostgreSQL (fsync on, %,d per transaction)",
        copied.perSecond(),
        PostgresLoader.TRANSACTION);
    s.add(
        "bytes per event",
        "OpenTrail %.0f (journal + index), PostgreSQL %.0f (tables + indexes, no WAL)",
        disk.perEvent(disk.journalBytes() + disk.indexBytes()),
        pgBytes / (double) copied.events());
    return s;
  }
}
