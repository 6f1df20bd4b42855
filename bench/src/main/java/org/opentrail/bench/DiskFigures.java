package org.opentrail.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.opentrail.api.store.StreamInfo;

/**
 * Bytes on disk per stored event, two ways: what the store says ({@code StreamInfo} journal and
 * index bytes; the index figure is re-measured at most every 10 s, so take it from a freshly opened
 * store) and what {@code du} says about the whole store directory (allocated blocks, so it includes
 * file-system overhead and anything the store does not count).
 */
record DiskFigures(
    long events, long journalBytes, long indexBytes, long duBytes, long apparentBytes) {

  static DiskFigures of(StreamInfo history, Path storeDir) {
    return new DiskFigures(
        history.eventCount(),
        history.journalBytes(),
        history.indexBytes(),
        SystemProbes.duBytes(storeDir),
        SystemProbes.apparentBytes(storeDir));
  }

  double perEvent(long bytes) {
    return events == 0 || bytes < 0 ? Double.NaN : bytes / (double) events;
  }

  /** "1,234 B/event (journal 380 + index 854); du 1,301 B/event (1.2 GiB)". */
  String describe() {
    return String.format(
        Locale.ROOT,
        "%.0f B/event (journal %.0f + index %.0f); du %.0f B/event (%s)",
        perEvent(journalBytes + indexBytes),
        perEvent(journalBytes),
        perEvent(indexBytes),
        perEvent(duBytes),
        SystemProbes.bytes(duBytes));
  }

  void print(java.io.PrintStream out, String when) {
    out.printf(
        Locale.ROOT,
        "disk (%s): %,d events; journal %s (%.0f B/event), index %s (%.0f B/event);"
            + " du -s %s (%.0f B/event), files %s%n",
        when,
        events,
        SystemProbes.bytes(journalBytes),
        perEvent(journalBytes),
        SystemProbes.bytes(indexBytes),
        perEvent(indexBytes),
        SystemProbes.bytes(duBytes),
        perEvent(duBytes),
        SystemProbes.bytes(apparentBytes));
  }
}
