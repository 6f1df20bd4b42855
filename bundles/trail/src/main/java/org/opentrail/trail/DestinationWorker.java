package org.opentrail.trail;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.DestinationStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one destination's events, on its own thread, in sequence order: reads the history after
 * its cursor, keeps what the trail's filter takes, batches by count, bytes and time, records the
 * batch's range before handing it to the sink and advances the cursor only once the sink has
 * delivered it. A failed batch is retried (with backoff) until it succeeds, never skipped; after a
 * crash or a sink swap the recorded batch is delivered again with the same range and key. It
 * delivers only while the trail's account has granted the delivery role: otherwise it shows {@link
 * State#NO_PERMISSION} and waits where it is (a recorded batch is delivered, same range and key,
 * once the role is granted).
 */
final class DestinationWorker {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);
  private static final long IDLE_POLL_MILLIS = 20;

  private final DeliveryEngine engine;
  private final EventStore store;
  private final TrailRepository repository;
  private final TrailConfig config;
  private final Backoff backoff;
  private final BatchReader reader;
  private final WorkerContext context;
  private final Thread thread;
  private volatile boolean reopen;
  private final ReadAhead readAhead;
  private long lastCursorSave;
  private final DestinationGaps gaps;
  private final DestinationDigests digests;
  private final WorkerStatus status;
  private final DestinationSink sink;

  DestinationWorker(
      DeliveryEngine engine,
      EventStore store,
      TrailRepository repository,
      TrailConfig config,
      TrailState trail,
      DestinationSpec d,
      CursorState c) {
    this.engine = engine;
    this.store = store;
    this.repository = repository;
    this.config = config;
    this.backoff = new Backoff(config::retry_initial_millis, config::retry_max_millis);
    this.reader = new BatchReader(store, config);
    this.context = new WorkerContext(trail, d, c);
    this.gaps = new DestinationGaps(context, reader, c.gaps());
    this.digests =
        new DestinationDigests(
            repository.digestTarget(trail.account(), trail.spec().name(), d.id()),
            engine::signingKeys,
            engine::homeRegion,
            config);
    this.status = new WorkerStatus(context, engine.grant(), store, gaps, digests);
    this.sink = new DestinationSink(context, digests);
    this.thread = new Thread(this::run, "opentrail-delivery-" + trail.spec().name() + "-" + d.id());
    this.thread.setDaemon(true);
    this.readAhead = new ReadAhead(context, reader, thread.getName() + "-read-ahead");
  }

  void start() {
    thread.start();
  }

  /** Shows a problem found before delivery started (as the last error, until a delivery works). */
  void report(String problem) {
    status.report(problem);
  }

  DestinationSpec destination() {
    return context.destination();
  }

  /** Its receipts and digests. */
  DestinationDigests digests() {
    return digests;
  }

  /** Logging, or stopped with events recorded while it logged still to deliver. */
  boolean active() {
    TrailState t = context.trail();
    CursorState c = context.cursor();
    return t.logging()
        || c.cursor() < t.stopSequence()
        || c.hasPending()
        || !gaps.repaired().isEmpty();
  }

  /** Once what came before the last stop is delivered, skip what was recorded while stopped. */
  private void skipWhatCameWhileStopped() {
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

  /** The trail or this destination's configuration changed. */
  void update(TrailState t, DestinationSpec d) {
    boolean changed = !d.config().equals(context.destination().config());
    context.update(t, d);
    if (changed) {
      reopen = true; // open the sink again with the new configuration
    }
    wake();
  }

  void wake() {
    context.wake();
  }

  private void run() {
    while (context.running()) {
      try {
        step();
      } catch (RuntimeException | IOException e) {
        fail("delivery stopped unexpectedly: " + e, e);
      }
    }
    sink.letGoOfLeavingProvider();
    DeliveryEngine.Provider p =
        digests.owesFinal() && sink.current() == null && status.permitted()
            ? engine.provider(context.destination().type())
            : null;
    if (p != null) {
      openSink(p); // for the final digest
    }
    digests.stop(sink.current(), context.cursor());
    sink.close();
    saveCursor(true);
    readAhead.close();
  }

  private void step() throws IOException {
    sink.letGoOfLeavingProvider();
    if (reopen) {
      reopen = false;
      sink.close();
    }
    skipWhatCameWhileStopped();
    gaps.check();
    if (gaps.changed()) {
      saveCursor(true);
    }
    boolean active = active();
    if (!active && !digests.owesFinal()) {
      status.set(State.STOPPED, "the trail is not logging");
      sink.close();
      context.await(1000);
      return;
    }
    if (!status.permitted()) {
      sink.close();
      context.await(DeliveryGrant.RECHECK_MILLIS);
      return;
    }
    DeliveryEngine.Provider p = engine.provider(context.destination().type());
    if (p == null) {
      status.set(State.WAITING_FOR_SINK, "waiting for sink type " + context.destination().type());
      sink.providerGone();
      context.await(1000);
      return;
    }
    if (!sink.openFrom(p) && !openSink(p)) {
      return;
    }
    digests.writeDue(sink.current(), active, context.cursor());
    if (!active) {
      status.set(State.STOPPED, "the trail is not logging");
      if (!digests.owesFinal()) {
        sink.close();
      }
      context.await(1000);
      return;
    }
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
    } catch (Exception e) {
      fail("delivery of events " + b.first() + " to " + b.last() + " failed: " + e.getMessage(), e);
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
   * The provider of its sink is going away: see {@link DestinationSink#providerLeaving}.
   *
   * @return a latch that opens when its sink wrote the final digest it owes and was closed
   */
  CountDownLatch providerLeaving(SinkProvider p) {
    return sink.providerLeaving(p);
  }

  /** Opens the sink of provider {@code p}; false (shown in the status) if it cannot be now. */
  private boolean openSink(DeliveryEngine.Provider p) {
    sink.close();
    try {
      p.provider().validate(context.destination().config());
    } catch (OpenTrailException e) {
      status.set(State.INVALID_CONFIGURATION, e.getMessage());
      context.await(5000);
      return false;
    }
    try {
      sink.open(p);
      return true;
    } catch (Exception e) {
      fail("cannot open the sink: " + e.getMessage(), e);
      return false;
    }
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
      } catch (Exception e) {
        fail(
            "delivery of repaired events "
                + b.first()
                + " to "
                + b.last()
                + " failed: "
                + e.getMessage(),
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

  /** Forgets its gaps (an operator acknowledged them); how many there were. */
  int acknowledgeGaps() {
    int n = gaps.acknowledge();
    wake(); // the worker saves the cursor without them
    return n;
  }

  private void fail(String message, Exception e) {
    status.report(message);
    status.set(State.RETRYING, "retrying after: " + message);
    long delay = backoff.next();
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

  private void saveCursor(boolean now) {
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

  /** The lowest sequence this destination still needs delivered. */
  long oldestNeeded() {
    return context.oldestNeeded();
  }

  /** True if its oldest undelivered event is older than {@code ceilingMillis} ago. */
  boolean beyondCeiling(long ceilingMillis) {
    return status.beyondCeiling(ceilingMillis);
  }

  DestinationStatus status() {
    return status.status();
  }

  /** Stops after the batch in progress, saving the cursor. */
  void stop() {
    context.stop();
    wake();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
