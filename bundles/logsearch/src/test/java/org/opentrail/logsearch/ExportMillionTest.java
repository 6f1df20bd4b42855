package org.opentrail.logsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.logsearch.LogExport.Format;
import org.opentrail.api.store.EventStore;
import org.opentrail.store.EmbeddedEventStore;

/**
 * Exports 1,000,000 events (about 400 MB of JSON) in both formats while watching the heap: this
 * module's tests run with {@code -Xmx512m} (surefire), and the heap used after a full GC, sampled
 * every second during each export, must stay within {@link #MAX_GROWTH} of what it was before. An
 * export holding its events (or their JSON) in memory fails both ways. Every line is read back and
 * its {@code n} (the event's position when appended) checked to be the next one: each event once,
 * in sequence order.
 */
class ExportMillionTest {
  static final int N = 1_000_000;
  static final long MAX_GROWTH = 48L << 20;

  @TempDir Path dir;

  @Test
  void oneMillionEventsInBoundedMemory() throws Exception {
    try (EmbeddedEventStore store = LogSearchServiceTest.store(dir.resolve("store"))) {
      Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
      Random r = new Random(1);
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        Map<String, Object> f =
            new LinkedHashMap<>(
                LogSearchServiceTest.event(LogSearchServiceTest.A, start.plusMillis(100L * i), r)
                    .fields());
        f.put("n", i);
        batch.add(Event.of(f));
        if (batch.size() == 5000) {
          store.append(EventStore.HISTORY, batch);
          batch.clear();
        }
      }
      Instant end = start.plusMillis(100L * N);
      LogSearchService search = new LogSearchService(store, dir.resolve("logsearch"), 50);
      try {
        assertTrue(search.awaitCaughtUp(Duration.ofMinutes(10)));
        LogExportService export = new LogExportService(search, 1000);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (Format format : Format.values()) {
          Path out = dir.resolve("million." + format.label());
          System.gc();
          long base = mem.getHeapMemoryUsage().getUsed();
          long[] peak = {0};
          long t0 = System.nanoTime();
          LogExport.Status s =
              export.export(
                  LogSearchServiceTest.A,
                  EventStore.HISTORY,
                  start,
                  end,
                  "*",
                  out,
                  format,
                  List.of("n", "eventId", "userIdentity.userName"),
                  false,
                  p -> {
                    System.gc();
                    peak[0] = Math.max(peak[0], mem.getHeapMemoryUsage().getUsed() - base);
                  });
          double secs = (System.nanoTime() - t0) / 1e9;
          System.out.printf(
              "%s: %,d events, %,d bytes in %.1f s (%,.0f events/s), heap growth after GC %,d"
                  + " bytes, max heap %,d%n",
              format.label(),
              s.events(),
              s.bytes(),
              secs,
              N / secs,
              peak[0],
              Runtime.getRuntime().maxMemory());
          assertEquals(N, s.events());
          assertTrue(peak[0] < MAX_GROWTH, "heap grew by " + peak[0] + " bytes");
          long next = 0;
          try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(
                      format == Format.CSV
                          ? Files.newInputStream(out)
                          : new GZIPInputStream(Files.newInputStream(out), 1 << 16),
                      StandardCharsets.UTF_8))) {
            if (format == Format.CSV) {
              assertEquals("n,eventId,userIdentity.userName", in.readLine());
            }
            String line;
            while ((line = in.readLine()) != null) {
              long n =
                  format == Format.CSV
                      ? Long.parseLong(line.substring(0, line.indexOf(',')))
                      : ((Number)
                              EventJson.parseEvent(line.getBytes(StandardCharsets.UTF_8)).get("n"))
                          .longValue();
              assertEquals(next++, n);
            }
          }
          assertEquals(N, next);
          Files.delete(out);
        }
      } finally {
        search.close();
      }
    }
  }
}
