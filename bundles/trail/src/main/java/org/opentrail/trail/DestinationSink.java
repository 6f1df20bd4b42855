package org.opentrail.trail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open sink of one destination and the provider it came from. When that provider goes away (its
 * bundle stops), the sink writes the final digest it owes while the bundle can still run it, and is
 * closed; {@link DeliveryEngine} waits for that on the latch {@link #providerLeaving} returns. The
 * sink is opened, used and closed on the destination's thread only.
 */
final class DestinationSink {
  // logs as DestinationWorker, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);

  private final WorkerContext context;
  private final DestinationDigests digests;
  private final DestinationAccess access;
  private Sink sink;
  private volatile DeliveryEngine.Provider sinkFrom;
  private final AtomicReference<Leaving> leaving = new AtomicReference<>();

  /** A sink provider going away, and the latch that opens once this worker let go of it. */
  private record Leaving(SinkProvider provider, CountDownLatch done) {}

  DestinationSink(WorkerContext context, DestinationDigests digests, DestinationAccess access) {
    this.context = context;
    this.access = access;
    this.digests = digests;
  }

  /** The open sink, or {@code null}. */
  Sink current() {
    return sink;
  }

  /** Whether a sink is open and came from provider {@code p}. */
  boolean openFrom(DeliveryEngine.Provider p) {
    return sink != null && sinkFrom == p;
  }

  /**
   * Opens the sink of provider {@code p} for the destination's configuration now; the caller closed
   * the one open and validated the configuration.
   *
   * @throws Exception if the provider cannot open it
   */
  void open(DeliveryEngine.Provider p) throws Exception {
    sink =
        p.provider()
            .open(
                access.target(
                    context.trail().account(),
                    context.trail().spec().name(),
                    context.destination()));
    sinkFrom = p;
  }

  /**
   * The provider of its sink is going away (its bundle stops): the sink is to write the final
   * digest it owes while that bundle can still run it, and be closed.
   *
   * @return a latch that opens when that is done (at once if the sink is not this provider's)
   */
  CountDownLatch providerLeaving(SinkProvider p) {
    DeliveryEngine.Provider from = sinkFrom;
    if (from == null || from.provider() != p) {
      return new CountDownLatch(0);
    }
    Leaving l = new Leaving(p, new CountDownLatch(1));
    Leaving before = leaving.getAndSet(l);
    if (before != null) {
      before.done().countDown();
    }
    context.wake();
    return l.done();
  }

  /** On the destination's thread: does what {@link #providerLeaving} asked, if it was asked. */
  void letGoOfLeavingProvider() {
    Leaving l = leaving.getAndSet(null);
    if (l != null) {
      if (sinkFrom != null && sinkFrom.provider() == l.provider()) {
        digests.stop(sink, context.cursor());
        close();
      }
      l.done().countDown();
    }
  }

  /**
   * The destination's sink type has no provider now: writes the final digest owed through the sink
   * still open, closes it and opens the latch of a provider leaving.
   */
  void providerGone() {
    if (sink != null) {
      // its provider left: the final digest while its bundle stops
      digests.stop(sink, context.cursor());
    }
    close();
    Leaving l = leaving.getAndSet(null);
    if (l != null) {
      l.done().countDown();
    }
  }

  void close() {
    if (sink != null) {
      try {
        sink.close();
      } catch (RuntimeException | Error e) { // its bundle may be gone
        LOG.debug("closing a sink failed", e);
      }
      sink = null;
      sinkFrom = null;
    }
  }
}
