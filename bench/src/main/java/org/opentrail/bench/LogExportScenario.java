package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.logsearch.LogExportService;
import org.opentrail.logsearch.LogSearchService;

/**
 * {@code log-export}: the history holding {@code --events} events is indexed for search, then every
 * event ({@code *}) is exported once as gzip JSON lines and once as CSV (default columns), each
 * timed from the call to the renamed file: events/s and bytes; then each streamed by the same
 * writer ({@code LogExport.write}, what ExportLogs sends over HTTP) into a counting sink.
 */
final class LogExportScenario {
  private LogExportScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path dataDir = BenchStore.createDataDir(o.dir, "log-export");
    RunHeader.print(out, "log-export", o, dataDir);
    Summary s;
    try (BenchStore fixture = BenchStore.open(dataDir, o.storeConfig)) {
      String note =
          LookupScenario.load(
              o, fixture, new ActionTrailEventGenerator(new Populations(), fixture.account), out);
      EventStore store = fixture.store;
      long total = store.lastSequence(EventStore.HISTORY);
      s = new Summary("log-export", Summary.n(total) + " events, " + note);
      LogSearchService search = new LogSearchService(store, dataDir.resolve("logsearch"), 50);
      try {
        long t0 = System.nanoTime();
        if (!search.awaitCaughtUp(Duration.ofHours(2))) {
          throw new IllegalStateException("indexing did not catch up");
        }
        out.printf(Locale.ROOT, "index        %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<StoredEvent> first = store.read(EventStore.HISTORY, 0, 1);
        List<StoredEvent> last = store.read(EventStore.HISTORY, total - 1, 1);
        Instant from = Instant.ofEpochMilli(first.get(0).timeMillis() - 1000);
        Instant to = Instant.ofEpochMilli(last.get(0).timeMillis() + 1000);
        LogExportService export = new LogExportService(search, 5000);
        for (LogExport.Format f : LogExport.Format.values()) {
          Path file = dataDir.resolve("export." + f.label());
          long e0 = System.nanoTime();
          LogExport.Status st =
              export.export(
                  fixture.account,
                  EventStore.HISTORY,
                  from,
                  to,
                  "*",
                  file,
                  f,
                  null,
                  true,
                  p ->
                      out.printf(
                          Locale.ROOT,
                          "  %s %,d of %,d (%.0f%%), %,.0f events/s%n",
                          f.label(),
                          p.events(),
                          p.total(),
                          p.percent(),
                          p.eventsPerSecond()));
          double secs = (System.nanoTime() - e0) / 1e9;
          out.printf(
              Locale.ROOT,
              "%-12s %,d events, %,d bytes in %.1f s: %,.0f events/s (%.1f MB/s written)%n",
              f.label(),
              st.events(),
              st.bytes(),
              secs,
              st.events() / secs,
              st.bytes() / secs / 1e6);
          s.add(f.label() + " events/s", "%,.0f", st.events() / secs);
          s.add(f.label() + " bytes", "%,d", st.bytes());
          Files.deleteIfExists(file);
          // the same writer streaming (as ExportLogs does over HTTP), into a counting sink
          long[] sent = {0};
          java.io.OutputStream sink =
              new java.io.OutputStream() {
                @Override
                public void write(int b) {
                  sent[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  sent[0] += len;
                }
              };
          e0 = System.nanoTime();
          st =
              export.write(
                  fixture.account, EventStore.HISTORY, from, to, "*", sink, f, null, p -> {});
          secs = (System.nanoTime() - e0) / 1e9;
          out.printf(
              Locale.ROOT,
              "%-12s %,d events, %,d bytes streamed in %.1f s: %,.0f events/s%n",
              f.label() + " stream",
              st.events(),
              sent[0],
              secs,
              st.events() / secs);
          s.add(f.label() + " stream events/s", "%,.0f", st.events() / secs);
        }
      } finally {
        search.close();
      }
    }
    IngestScenario.finish(o, dataDir, out);
    s.print(out);
    return s;
  }
}
