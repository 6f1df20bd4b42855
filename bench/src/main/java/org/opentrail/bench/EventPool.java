package org.opentrail.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongUnaryOperator;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;

/**
 * Events generated before the clock starts, so a timed run measures the recorder and the store, not
 * the generator. Each event's JSON is computed here too, as it would be for events parsed from a
 * request. A run longer than the pool cycles through it: the recorder gives every recorded event a
 * new eventId, so each is a distinct stored event; with client eventIds a reused event gets a fresh
 * id on the producer thread (a copy of the top-level fields and its JSON, ~10 us).
 */
final class EventPool {
  private final Event[] events;
  private final boolean clientIds;
  final double avgJsonBytes;
  final long generateNanos;

  private EventPool(Event[] events, boolean clientIds, double avgJsonBytes, long generateNanos) {
    this.events = events;
    this.clientIds = clientIds;
    this.avgJsonBytes = avgJsonBytes;
    this.generateNanos = generateNanos;
  }

  /**
   * Generates {@code size} events on all cores.
   *
   * @param timeOf the eventTime (epoch millis) of the event at a pool index
   */
  static EventPool generate(
      ActionTrailEventGenerator generator,
      int size,
      long seed,
      boolean clientIds,
      LongUnaryOperator timeOf)
      throws Exception {
    long t0 = System.nanoTime();
    Event[] events = new Event[size];
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Future<?>[] parts = new Future<?>[threads];
      for (int t = 0; t < threads; t++) {
        int part = t;
        parts[t] =
            pool.submit(
                () -> {
                  SplittableRandom r = new SplittableRandom(seed * 7919 + part);
                  for (int i = part; i < size; i += threads) {
                    events[i] = generator.next(r, timeOf.applyAsLong(i), clientIds);
                    events[i].jsonSize(); // computed once, as for a parsed request
                  }
                });
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long bytes = 0;
    for (Event e : events) {
      bytes += e.jsonSize();
    }
    return new EventPool(events, clientIds, bytes / (double) size, System.nanoTime() - t0);
  }

  int size() {
    return events.length;
  }

  /**
   * Batches for {@link Producers}: position {@code i} of the run is pool event {@code i % size}.
   */
  Producers.BatchSource batches() {
    return (first, size, random) -> {
      List<Event> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        batch.add(take(first + i, random));
      }
      return batch;
    };
  }

  /** The event to record at position {@code i} of the run. */
  Event take(long i, SplittableRandom r) {
    Event e = events[(int) (i % events.length)];
    if (clientIds && i >= events.length) {
      e = e.with(EventFields.EVENT_ID, ActionTrailEventGenerator.uuid(r));
      e.jsonSize();
    }
    return e;
  }
}
