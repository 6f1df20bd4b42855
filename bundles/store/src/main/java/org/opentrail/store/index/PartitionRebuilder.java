package org.opentrail.store.index;

import java.io.IOException;
import java.time.LocalDate;
import java.util.concurrent.LinkedBlockingQueue;
import org.opentrail.store.journal.Block;
import org.opentrail.store.journal.DamagedEventsException;
import org.opentrail.store.journal.Journal;
import org.opentrail.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds index partitions that were missing or damaged from the journal, one day at a time, on
 * its own thread. A rebuild adds the day's events up to the sequence the live indexer had reached
 * when the partition was replaced ({@code through}); the indexer adds everything after it, so the
 * two never add the same event. Only journal segments whose eventTimes overlap the day are read.
 */
final class PartitionRebuilder {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionRebuilder.class);
  private static final long DAY = 86_400_000L;

  /** A day to rebuild up to a sequence, or (with {@code through} -1) every day to scrub. */
  private record Task(LocalDate day, long through) {}

  private final EventIndex index;
  private final Journal journal;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  PartitionRebuilder(EventIndex index, Journal journal, String name) {
    this.index = index;
    this.journal = journal;
    this.thread = new Thread(this::run, "opentrail-reindex-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void submit(LocalDate day, long through) {
    queue.add(new Task(day, through));
  }

  /**
   * Queues a check of every partition's Lucene checksums (a scrub, once after opening): a flipped
   * byte in a file that opening does not read whole would otherwise go unnoticed until a merge.
   */
  void scrub() {
    queue.add(new Task(null, -1));
  }

  private void run() {
    while (true) {
      Task t;
      try {
        t = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (t.day() == null) {
        index.scrub();
        continue;
      }
      try {
        long started = System.nanoTime();
        long events = rebuild(t);
        index.rebuilt(t.day());
        LOG.info(
            "Index partition {} rebuilt from the journal: {} events in {} ms",
            t.day(),
            events,
            (System.nanoTime() - started) / 1_000_000);
      } catch (IOException | RuntimeException e) {
        LOG.error("Rebuilding index partition {} failed; trying again in 10 s", t.day(), e);
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException stop) {
          index.rebuildFailed(t.day());
          return;
        }
        index.retryRebuild(t.day(), t.through());
      }
    }
  }

  private long rebuild(Task t) throws IOException {
    long dayStart = EventIndex.startOf(t.day());
    long dayEnd = dayStart + DAY - 1;
    long added = 0;
    long lastReport = System.nanoTime();
    for (Journal.SegmentInfo seg : journal.segments()) {
      if (seg.firstSequence() > t.through()) {
        break;
      }
      if (seg.maxTime() < dayStart || seg.minTime() > dayEnd) {
        continue;
      }
      long last = Math.min(seg.lastSequence(), t.through());
      for (long s = seg.firstSequence(); s <= last; ) {
        Block b;
        try {
          b = journal.block(s);
        } catch (DamagedEventsException d) {
          s = d.resumeAt();
          continue;
        }
        if (b == null) {
          break; // purged by retention meanwhile
        }
        for (long i = Math.max(s, b.firstSequence()); i <= Math.min(b.lastSequence(), last); i++) {
          JournalRecord r = b.record(i);
          if (r.timeMillis() >= dayStart && r.timeMillis() <= dayEnd) {
            index.addRebuilt(t.day(), r, i);
            added++;
          }
        }
        s = b.lastSequence() + 1;
        if (System.nanoTime() - lastReport > 10_000_000_000L) {
          lastReport = System.nanoTime();
          LOG.info(
              "Rebuilding index partition {}: {} events so far, at sequence {} of {}",
              t.day(),
              added,
              s,
              t.through());
        }
      }
    }
    return added;
  }

  void close() {
    thread.interrupt();
  }
}
