package org.opentrail.trail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;

/** A sink type for tests: keeps batches by key (a redelivered key replaces itself) and can fail. */
final class MemorySinkProvider implements SinkProvider {
  final Map<String, List<String>> batches = new ConcurrentHashMap<>();
  final List<String> keysInOrder = java.util.Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger failNext = new AtomicInteger();

  /**
   * The next calls of open and deliver that throw {@link NoClassDefFoundError}, as a sink whose
   * bundle was uninstalled mid-call does (its class loader is gone).
   */
  final AtomicInteger classesGoneNext = new AtomicInteger();

  /** The next calls of deliver that throw an {@link AssertionError}, an Error of the sink's own. */
  final AtomicInteger errorNext = new AtomicInteger();

  final AtomicInteger attempts = new AtomicInteger();

  /** Sinks opened and closed. */
  final AtomicInteger opened = new AtomicInteger();

  final AtomicInteger closed = new AtomicInteger();
  final List<String> attemptedKeys = java.util.Collections.synchronizedList(new ArrayList<>());

  /** Every successful delivery as destination/key, repeats included. */
  final List<String> deliveries = java.util.Collections.synchronizedList(new ArrayList<>());

  @Override
  public void validate(Map<String, String> config) {
    for (String k : config.keySet()) {
      if (!Set.of("label").contains(k)) {
        throw new InvalidParameterException(
            k, "The memory sink has no configuration key '" + k + "'.");
      }
    }
  }

  @Override
  public Sink open(SinkTarget target) {
    classesGone();
    opened.incrementAndGet();
    return new Sink() {
      @Override
      public void deliver(DeliveryBatch batch) throws IOException {
        attempts.incrementAndGet();
        attemptedKeys.add(batch.key());
        classesGone();
        if (errorNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new AssertionError("the memory sink broke an invariant");
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new IOException("the memory sink is down");
        }
        batches.put(
            target.destinationId() + "/" + batch.key(),
            batch.events().stream().map(e -> e.event().eventId()).toList());
        keysInOrder.add(batch.key());
        deliveries.add(target.destinationId() + "/" + batch.key());
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
  }

  private void classesGone() {
    if (classesGoneNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new NoClassDefFoundError(
          "org/example/sink/Gone (the bundle wiring is no longer valid)");
    }
  }

  /**
   * Every delivered eventId of a destination, with repeats if a batch key delivered twice
   * overlapped another.
   */
  List<String> delivered(String destination) {
    List<String> all = new ArrayList<>();
    batches.forEach(
        (k, ids) -> {
          if (k.startsWith(destination + "/")) {
            all.addAll(ids);
          }
        });
    return all;
  }

  /** How many times a destination was handed a batch it had already been handed (same key). */
  long repeats(String destination) {
    List<String> mine;
    synchronized (deliveries) {
      mine = deliveries.stream().filter(k -> k.startsWith(destination + "/")).toList();
    }
    return mine.size() - mine.stream().distinct().count();
  }

  static List<String> ids(List<StoredEvent> events) {
    return events.stream().map(e -> e.event().eventId()).toList();
  }
}
