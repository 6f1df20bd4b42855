package org.opentrail.trail;

import java.util.List;
import org.opentrail.api.store.DamagedRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gaps of one destination: sequences its cursor passed without delivering them, because the
 * store cannot read them, kept (and saved with the cursor) until repaired or acknowledged; and the
 * queue of those to deliver again once the store's damaged ranges no longer cover them all. Changed
 * on the destination's thread, and by an operator acknowledging them; read by its status.
 */
final class DestinationGaps {
  // logs as DestinationWorker, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);
  private static final long GAP_CHECK_MILLIS = 1000;

  private final WorkerContext context;
  private final BatchReader reader;
  private final Object gapLock = new Object();
  private volatile List<Gap> gaps; // sequences it could not deliver: the store cannot read them
  private volatile List<Gap> repaired = List.of(); // gaps to deliver again: no longer all damaged
  private volatile boolean gapsChanged;
  private List<DamagedRange> damagedSeen; // the store's damaged ranges at the last gap check
  private long lastGapCheck;

  /**
   * @param gaps the gaps saved with its cursor
   */
  DestinationGaps(WorkerContext context, BatchReader reader, List<Gap> gaps) {
    this.context = context;
    this.reader = reader;
    this.gaps = gaps;
  }

  /**
   * Records gaps the cursor passed, logging each; true if there were any.
   *
   * @param found gaps of a batch the cursor just passed
   */
  boolean add(List<Gap> found) {
    if (found.isEmpty()) {
      return false;
    }
    synchronized (gapLock) {
      gaps = Gap.merge(gaps, found);
      gapsChanged = true;
    }
    for (Gap g : found) {
      LOG.error(
          "Trail {} destination {}: {} events could not be delivered, the store cannot read them ({});"
              + " they are shown as a gap until repaired (store:repair) or acknowledged (trail:gapack)",
          context.trail().spec().name(),
          context.destination().id(),
          g.events(),
          g.text());
    }
    return true;
  }

  /**
   * Once a second, if the store's damaged ranges changed: every gap that is no longer entirely
   * damaged (some of it was repaired, or its range is gone) is queued to be delivered again.
   */
  void check() {
    long now = System.currentTimeMillis();
    if (gaps.isEmpty() || now - lastGapCheck < GAP_CHECK_MILLIS) {
      return;
    }
    lastGapCheck = now;
    List<DamagedRange> damaged = reader.damaged();
    if (damaged.equals(damagedSeen)) {
      return;
    }
    damagedSeen = damaged;
    synchronized (gapLock) {
      List<Gap> queue = repaired;
      for (Gap g : gaps) {
        if (!BatchReader.stillDamaged(damaged, g.first(), g.last())) {
          queue = Gap.merge(Gap.subtract(queue, g.first(), g.last()), List.of(g));
        }
      }
      repaired = queue;
    }
  }

  /** The gaps queued to be delivered again (see {@link #check}), in sequence order. */
  List<Gap> repaired() {
    return repaired;
  }

  /**
   * Events {@code first} to {@code last} of the first repaired gap were delivered again: keeps as
   * gaps only the parts of them still unreadable, and takes them off the queue.
   *
   * @param queue the repaired gaps when they were read
   * @param unreadable the parts the store still could not read
   */
  void redelivered(List<Gap> queue, long first, long last, List<Gap> unreadable) {
    synchronized (gapLock) {
      if (repaired == queue) { // not acknowledged meanwhile
        gaps = Gap.merge(Gap.subtract(gaps, first, last), unreadable);
        repaired = Gap.subtract(queue, first, last);
      }
      gapsChanged = true;
    }
  }

  /** Forgets its gaps (an operator acknowledged them); how many there were. */
  int acknowledge() {
    int n;
    synchronized (gapLock) {
      n = gaps.size();
      gaps = List.of();
      repaired = List.of();
      gapsChanged = true;
    }
    return n;
  }

  /** Whether they changed since they were last taken to be saved. */
  boolean changed() {
    return gapsChanged;
  }

  /** The gaps to save with the cursor now; {@link #changed} is false until they change again. */
  List<Gap> toSave() {
    gapsChanged = false;
    return gaps;
  }

  /** Its gaps as the status shows them. */
  List<String> texts() {
    return gaps.stream().map(Gap::text).toList();
  }
}
