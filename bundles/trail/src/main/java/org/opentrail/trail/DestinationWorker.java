package org.opentrail.trail;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.opentrail.api.OpenTrailException;
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
 * once the role is granted). A sink whose bundle goes away mid-call fails with its classes gone (a
 * {@link LinkageError}), and a sink may throw any other {@link Error}: that is a failed attempt
 * like any other, and the thread lives on.
 *
 * <p>It runs the loop and decides, at each turn, whether to deliver, wait or stop; the jobs are
 * done by its parts, which share a {@link WorkerContext}: {@link DestinationSink} (the open sink,
 * and letting go of a provider that leaves), {@link BatchDelivery} (the batches, the cursor, retry
 * with backoff), {@link DestinationGaps}, {@link DestinationDigests} and {@link WorkerStatus}.
 */
final class DestinationWorker {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);
  private final DeliveryEngine engine;
  private final WorkerContext context;
  private final DestinationGaps gaps;
  private final DestinationDigests digests;
  private final WorkerStatus status;
  private final DestinationSink sink;
  private final BatchDelivery delivery;
  private final Thread thread;
  private volatile boolean reopen;
  private DeliveryEngine.Provider lastProvider; // on its thread: the provider last seen in step

  DestinationWorker(
      DeliveryEngine engine,
      EventStore store,
      TrailRepository repository,
      TrailConfig config,
      TrailState trail,
      DestinationSpec d,
      CursorState c) {
    this.engine = engine;
    BatchReader reader = new BatchReader(store, config);
    this.context = new WorkerContext(trail, d, c);
    this.gaps = new DestinationGaps(context, reader, c.gaps());
    this.digests =
        new DestinationDigests(
            repository.digestTarget(trail.account(), trail.spec().name(), d.id()),
            engine::signingKeys,
            engine::homeRegion,
            config);
    this.status = new WorkerStatus(context, engine.grant(), store, gaps, digests);
    this.sink = new DestinationSink(context, digests, engine.access());
    this.thread = new Thread(this::run, "opentrail-delivery-" + trail.spec().name() + "-" + d.id());
    this.thread.setDaemon(true);
    this.thread.setUncaughtExceptionHandler(
        (t, e) ->
            LOG.error(
                "Trail {} destination {}: its delivery thread ended ({}); it delivers again from"
                    + " its cursor when OpenTrail restarts",
                trail.spec().name(),
                d.id(),
                e.toString(),
                e));
    this.delivery =
        new BatchDelivery(
            context,
            repository,
            config,
            reader,
            thread.getName() + "-read-ahead",
            gaps,
            digests,
            status,
            sink);
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
      } catch (RuntimeException | IOException | Error e) {
        delivery.fail("delivery stopped unexpectedly: " + e, e);
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
    delivery.saveCursor(true);
    delivery.close();
  }

  private void step() throws IOException {
    sink.letGoOfLeavingProvider();
    if (reopen) {
      reopen = false;
      sink.close();
    }
    delivery.skipWhatCameWhileStopped();
    gaps.check();
    if (gaps.changed()) {
      delivery.saveCursor(true);
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
    if (p != lastProvider) {
      lastProvider = p;
      delivery.resetBackoff(); // the failures were another sink's: a new one is tried at once
    }
    if (delivery.backingOff()) {
      return; // a failing sink waits out its backoff, however often the worker is woken
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
    delivery.deliverNext();
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
      p.provider()
          .validate(
              engine
                  .access()
                  .plain(
                      context.trail().account(),
                      context.trail().spec().name(),
                      context.destination()));
    } catch (OpenTrailException e) {
      status.set(State.INVALID_CONFIGURATION, e.getMessage());
      context.await(5000);
      return false;
    }
    try {
      sink.open(p);
      return true;
    } catch (Exception | Error e) {
      delivery.fail("cannot open the sink: " + BatchDelivery.why(e), e);
      return false;
    }
  }

  /** Forgets its gaps (an operator acknowledged them); how many there were. */
  int acknowledgeGaps() {
    int n = gaps.acknowledge();
    wake(); // the worker saves the cursor without them
    return n;
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
