package org.opentrail.trail;

import java.io.IOException;
import java.util.List;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.trail.DestinationStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch loop of one destination, on its thread, through its open sink: reads the batch after
 * the cursor (or the recorded one, or a part of a repaired gap), records its range before handing
 * it to the sink, and moves the cursor and saves it only once the sink delivered it and its
 * receipts are durable. A failure is retried with backoff, never skipped.
 */
final class BatchDelivery {
  // logs as DestinationWorker, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);
  private static final long IDLE_POLL_MILLIS = 20;

  private final WorkerContext context;
  private final TrailRepository repository;
  private final TrailConfig config;
  private final Backoff backoff;
  private final BatchReader reader;
  private final ReadAhead readAhead;
  private final DestinationGaps gaps;
  private final DestinationDigests digests;
  private final WorkerStatus status;
  private final DestinationSink sink;
  private long lastCursorSave;
  private long retryAtNanos = System.nanoTime(); // the backoff after the last failure ends then

  /**
   * @param threadName the name of the thread that reads ahead
   */
  BatchDelivery(
      WorkerContext context,
      TrailRepository repository,
      TrailConfig config,
      BatchReader reader,
      String threadName,
      DestinationGaps gaps,
      DestinationDigests digests,
      WorkerStatus status,
      DestinationSink sink) {
    this.context = context;
    this.repository = repository;
    this.config = config;
    this.backoff = new Backoff(config::retry_initial_millis, config::retry_max_millis);
    this.reader = reader;
    this.readAhead = new ReadAhead(context, reader, threadName);
    this.gaps = gaps;
    this.digests = digests;
    this.status = status;
    this.sink = sink;
  }

  /** Once what came before the last stop is delivered, skip what was recorded while stopped. */
  void skipWhatCameWhileStopped() {
    TrailState t = context.trail();
    CursorState c = context.cursor();
    if (t.logging()
        && !c.hasPending()
        && c.cursor() >= t.stopSequence()
        && c.cursor() < t.startSequence()) {
      context.cursor(c.skipped(t.startSequence()));
      saveCursor(true);
    }
  }

  /**
   * One turn of the loop, its sink open and the trail active: delivers a part of a repaired gap,
   * else the recorded batch, else the next one (or waits a little when there is none).
   */
  void deliverNext() throws IOException {
    if (!context.cursor().hasPending() && !gaps.repaired().isEmpty()) {
      redeliverRepaired();
      return;
    }
    BatchReader.Batch b =
        context.cursor().hasPending()
            ? reader.range(
                context.cursor().pendingFirst(), context.cursor().pendingLast(), context.filter())
            : readAhead.next();
    if (b == null) {
      if (!context.trail().logging()) {
        status.set(State.STOPPED, "the trail is not logging");
        sink.close();
        context.await(1000);
        return;
      }
      status.set(State.DELIVERING, "up to date");
      status.oldestUndeliveredMillis(0);
      saveCursor(false);
      context.await(IDLE_POLL_MILLIS);
      return;
    }
    if (b.events().isEmpty()) {
      context.cursor(context.cursor().skipped(b.last()));
      saveCursor(gaps.add(b.gaps()));
      return;
    }
    status.oldestUndeliveredMillis(b.events().get(0).timeMillis());
    if (!context.cursor().hasPending()) {
      context.cursor(context.cursor().pending(b.first(), b.last()));
      saveCursor(true); // the intent, before the sink sees the batch
    }
    if (!status.permitted()) {
      return; // revoked meanwhile: the recorded batch waits for the grant
    }
    try {
      digests.deliver(
          sink.current(),
          new DeliveryBatch(b.first() + "-" + b.last(), b.first(), b.last(), b.events()));
    } catch (Exception | Error e) {
      fail("delivery of events " + b.first() + " to " + b.last() + " failed: " + why(e), e);
      return;
    }
    context.cursor(
        context.cursor().delivered(b.last(), b.events().size(), System.currentTimeMillis()));
    gaps.add(b.gaps());
    saveCursor(true);
    backoff.reset();
    status.clearError();
    status.set(State.DELIVERING, "delivering");
  }

  /**
   * Delivers the next part (at most a batch) of a repaired gap again, and keeps as a gap only what
   * of it is still unreadable. At least once: a crash before the gap is saved delivers it again.
   */
  private void redeliverRepaired() throws IOException {
    List<Gap> queue = gaps.repaired();
    if (queue.isEmpty()) {
      return;
    }
    Gap g = queue.get(0);
    long last = Math.min(g.last(), g.first() + config.batch_max_events() - 1);
    BatchReader.Batch b = reader.range(g.first(), last, context.filter());
    if (!b.events().isEmpty()) {
      if (!status.permitted()) {
        return;
      }
      try {
        digests.deliver(
            sink.current(),
            new DeliveryBatch(b.first() + "-" + b.last(), b.first(), b.last(), b.events()));
      } catch (Exception | Error e) {
        fail(
            "delivery of repaired events " + b.first() + " to " + b.last() + " failed: " + why(e),
            e);
        return;
      }
      context.cursor(context.cursor().redelivered(b.events().size(), System.currentTimeMillis()));
    }
    gaps.redelivered(queue, g.first(), last, b.gaps());
    LOG.info(
        "Trail {} destination {}: events {} to {} were repaired in the store; {} of them delivered,"
            + " {} still unreadable",
        context.trail().spec().name(),
        context.destination().id(),
        g.first(),
        last,
        b.events().size(),
        b.gaps().stream().mapToLong(Gap::events).sum());
    saveCursor(true);
  }

  /**
   * Something failed (a delivery, opening the sink, a turn of the loop): shows and logs it, closes
   * the sink and waits the next backoff delay, after which it is tried again.
   */
  void fail(String message, Throwable e) {
    status.report(message);
    status.set(State.RETRYING, "retrying after: " + message);
    long delay = backoff.next();
    retryAtNanos = System.nanoTime() + delay * 1_000_000L;
    LOG.warn(
        "Trail {} destination {}: {}; retrying in {} ms",
        context.trail().spec().name(),
        context.destination().id(),
        message,
        delay,
        LOG.isDebugEnabled() ? e : null);
    sink.close();
    context.await(delay);
  }

  /**
   * Why a sink call failed, in words: its message, or, when the sink's classes are gone (its bundle
   * was stopped or uninstalled during the call), that, or the error a sink threw (with its class).
   */
  static String why(Throwable e) {
    if (e instanceof LinkageError) {
      return "the sink's bundle went away during the call (" + e + ")";
    }
    return e instanceof Error ? e.toString() : e.getMessage();
  }

  /**
   * Whether the backoff after the last failure still runs: then it waits for the rest of it (a wake
   * ends that wait early, and the loop asks again), so the wakes of configuration, grant or
   * provider changes never retry a failing sink sooner than its backoff delay.
   */
  boolean backingOff() {
    long left = retryAtNanos - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    context.await((left + 999_999) / 1_000_000);
    return true;
  }

  /**
   * Forgets the failures so far: the next attempt is now, the next failure waits the initial delay.
   */
  void resetBackoff() {
    backoff.reset();
    retryAtNanos = System.nanoTime();
  }

  /** Saves the cursor with its gaps: now, or else at most once a second; a failure is logged. */
  void saveCursor(boolean now) {
    long t = System.currentTimeMillis();
    if (!now && t - lastCursorSave < 1000) {
      return;
    }
    try {
      List<Gap> g = gaps.toSave();
      repository.saveCursor(
          context.trail().account(),
          context.trail().spec().name(),
          context.destination().id(),
          context.cursor().withGaps(g));
      lastCursorSave = t;
    } catch (IOException e) {
      LOG.error(
          "Trail {} destination {}: cannot save its cursor",
          context.trail().spec().name(),
          context.destination().id(),
          e);
    }
  }

  /** Stops the thread that reads ahead, if it started. */
  void close() {
    readAhead.close();
  }
}
