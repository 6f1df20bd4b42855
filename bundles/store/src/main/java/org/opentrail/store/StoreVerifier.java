package org.opentrail.store;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.VerifyReport;
import org.opentrail.store.index.EventIndex;
import org.opentrail.store.journal.Block;
import org.opentrail.store.journal.Journal;

/**
 * {@code store:verify} for one stream: reads every journal block from disk and checks its checksum,
 * then checks every index partition against Lucene's checksums and against the journal (the number
 * of events of each day up to the sequence lookups can see). Damaged journal blocks become damaged
 * ranges; a partition that fails or disagrees is rebuilt in the background.
 */
final class StoreVerifier {
  private static final long DAY = 86_400_000L;

  private final String stream;
  private final Journal journal;
  private final EventIndex index;
  private final long visible;
  private final Consumer<String> progress;

  StoreVerifier(
      String stream, Journal journal, EventIndex index, long visible, Consumer<String> progress) {
    this.stream = stream;
    this.journal = journal;
    this.index = index;
    this.visible = visible;
    this.progress = progress;
  }

  VerifyReport run() throws IOException {
    long started = System.nanoTime();
    long[] blocks = {0};
    long[] bytes = {0};
    long[] events = {0};
    long[] lastReport = {started};
    long firstSequence = journal.firstSequence();
    Map<LocalDate, Long> perDay = new HashMap<>();
    LocalDate firstKept = index.firstKeptDay();
    List<DamagedRange> damaged = new ArrayList<>();
    journal.verify(
        new Journal.BlockVisitor() {
          @Override
          public void block(Block b, long size) {
            blocks[0]++;
            bytes[0] += size;
            events[0] += b.count();
            for (long s = b.firstSequence(); s <= Math.min(b.lastSequence(), visible); s++) {
              LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(b.record(s).timeMillis(), DAY));
              if (!day.isBefore(firstKept)) {
                perDay.merge(day, 1L, Long::sum);
              }
            }
            long now = System.nanoTime();
            if (now - lastReport[0] > 5_000_000_000L) {
              lastReport[0] = now;
              progress.accept(
                  String.format(
                      "%s: %,d blocks, %,d MB, %,d events checked, at sequence %,d of %,d",
                      stream,
                      blocks[0],
                      bytes[0] >> 20,
                      events[0],
                      b.lastSequence(),
                      journal.lastSequence()));
            }
          }

          @Override
          public void damaged(DamagedRange r, long size) {
            blocks[0]++;
            bytes[0] += size;
            if (damaged.stream().noneMatch(d -> d.firstSequence() == r.firstSequence())) {
              damaged.add(r);
            }
          }
        });
    List<String> problems = new ArrayList<>();
    for (LocalDate day : index.partitionDays()) {
      if (day.isBefore(firstKept)) {
        continue;
      }
      if (index.isRebuilding(day)) {
        problems.add("index partition " + day + ": being rebuilt from the journal");
        continue;
      }
      try {
        long indexed =
            index.verifyPartition(day, firstSequence, visible, s -> journal.damagedAt(s) == null);
        long inJournal = perDay.getOrDefault(day, 0L);
        if (indexed != inJournal) {
          problems.add(
              String.format(
                  "index partition %s: %,d events, the journal has %,d; rebuilding it",
                  day, indexed, inJournal));
          index.partitionFailed(day, new IOException("disagrees with the journal"));
        }
      } catch (IOException | RuntimeException e) {
        problems.add("index partition " + day + ": " + e.getMessage() + "; rebuilding it");
        index.partitionFailed(day, e);
      }
    }
    for (LocalDate day : perDay.keySet()) {
      if (!index.partitionDays().contains(day)) {
        problems.add(
            String.format(
                "index partition %s is missing (%,d events in the journal); rebuilding it",
                day, perDay.get(day)));
        index.partitionFailed(day, new IOException("missing"));
      }
    }
    damaged.sort((a, b) -> Long.compare(a.firstSequence(), b.firstSequence()));
    return new VerifyReport(
        stream,
        blocks[0],
        bytes[0],
        events[0],
        damaged,
        problems,
        (System.nanoTime() - started) / 1_000_000);
  }
}
