package org.opentrail.trail;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.trail.SinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink types installed now, for {@link DeliveryEngine}: each type's provider and where it comes
 * from. When a provider goes away, the destinations whose sink it opened first write the final
 * digest they owe through it; every change wakes the workers (one whose type is missing waits, and
 * resumes from its cursor when a provider of that type appears).
 */
final class SinkProviders {
  // logs as DeliveryEngine, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
  private static final long FINAL_DIGEST_WAIT_SECONDS = 10;

  private final Map<String, DeliveryEngine.Provider> providers = new ConcurrentHashMap<>();
  private final Collection<DestinationWorker> workers;
  private final Runnable wakeAll;

  /**
   * @param workers the engine's workers, as they are when a provider leaves
   * @param wakeAll wakes every worker
   */
  SinkProviders(Collection<DestinationWorker> workers, Runnable wakeAll) {
    this.workers = workers;
    this.wakeAll = wakeAll;
  }

  void added(String type, SinkProvider p, SinkType info) {
    providers.put(type, new DeliveryEngine.Provider(p, info));
    LOG.info("Sink type {} is available (bundle {} {})", type, info.bundle(), info.version());
    wakeAll.run();
  }

  /**
   * Provider {@code p} is going away (its bundle stops): unless another provider of its type came
   * meanwhile, the type is gone, and its destinations write their final digest first ({@link
   * #finalDigests}).
   */
  void removed(String type, SinkProvider p) {
    // only if it is still this provider: an updated bundle's new provider may have come first
    DeliveryEngine.Provider left =
        providers.computeIfPresent(type, (k, v) -> v.provider() == p ? null : v);
    if (left == null) {
      LOG.info("Sink type {} is gone; its destinations wait for it", type);
      finalDigests(type, p);
    }
    wakeAll.run();
  }

  /**
   * Has the destinations whose sink {@code p} opened write the final digest they owe through it
   * while its bundle, stopping, can still run it (a clean stop of OpenTrail stops sink bundles
   * before this one); waits up to {@value #FINAL_DIGEST_WAIT_SECONDS} seconds for all. A final
   * digest not written then is written when the sink type is back.
   */
  private void finalDigests(String type, SinkProvider p) {
    List<CountDownLatch> done =
        workers.stream()
            .filter(w -> w.destination().type().equals(type))
            .map(w -> w.providerLeaving(p))
            .toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FINAL_DIGEST_WAIT_SECONDS);
    try {
      for (CountDownLatch d : done) {
        if (!d.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          LOG.warn(
              "Sink type {} left before each of its destinations wrote its final digest; they are"
                  + " written when it is back",
              type);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The provider of a sink type now, or {@code null}. */
  DeliveryEngine.Provider get(String type) {
    return providers.get(type);
  }

  List<SinkType> sinkTypes() {
    return providers.values().stream()
        .map(DeliveryEngine.Provider::info)
        .sorted((a, b) -> a.type().compareTo(b.type()))
        .toList();
  }
}
