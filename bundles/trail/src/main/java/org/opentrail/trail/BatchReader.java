package org.opentrail.trail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a destination's next batch from the history: the events after its cursor up to the batch
 * limits (count, bytes) or until the linger time has passed, and never beyond a limit sequence (a
 * stopped trail delivers only what was recorded while it logged).
 */
final class BatchReader {
  private static final Logger LOG = LoggerFactory.getLogger(BatchReader.class);

  /** A sequence range and the events in it that the trail delivers. */
  record Batch(long first, long last, List<StoredEvent> events) {}

  private final EventStore store;
  private final TrailConfig config;

  BatchReader(EventStore store, TrailConfig config) {
    this.store = store;
    this.config = config;
  }

  /**
   * The next batch after {@code after}, up to sequence {@code limit}; {@code null} if there is
   * nothing new.
   *
   * @param streaming whether to linger for more events: while events stream in, to deliver fewer,
   *     bigger batches; not for a first batch after a quiet spell or a sink's arrival
   * @param pause waits up to the given milliseconds (and returns early when woken)
   */
  Batch next(
      String trail,
      String destination,
      long after,
      long limit,
      EventFilter filter,
      boolean streaming,
      LongConsumer pause) {
    int max = (int) Math.min(config.batch_max_events(), limit - after);
    if (max <= 0) {
      return null;
    }
    List<StoredEvent> all = new ArrayList<>(store.read(EventStore.HISTORY, after, max));
    if (all.isEmpty()) {
      return null;
    }
    long bytes = bytes(all);
    // lingering gathers a stream into fewer, bigger batches; a first batch goes at once
    long lingerUntil = System.currentTimeMillis() + (streaming ? config.batch_linger_millis() : 0);
    while (all.size() < max
        && bytes < config.batch_max_bytes()
        && System.currentTimeMillis() < lingerUntil) {
      long last = all.get(all.size() - 1).sequence();
      if (store.lastSequence(EventStore.HISTORY) > last) {
        List<StoredEvent> more = store.read(EventStore.HISTORY, last, max - all.size());
        all.addAll(more);
        bytes += bytes(more);
      } else {
        pause.accept(Math.min(10, lingerUntil - System.currentTimeMillis()));
      }
    }
    if (all.get(0).sequence() > after + 1) {
      LOG.error(
          "Trail {} destination {}: events {} to {} were purged by retention before they were delivered",
          trail,
          destination,
          after + 1,
          all.get(0).sequence() - 1);
    }
    return filtered(after + 1, all.get(all.size() - 1).sequence(), all, filter);
  }

  /** The batch of a recorded range again (after a crash or a failed delivery). */
  Batch range(long first, long last, EventFilter filter) {
    List<StoredEvent> all =
        store.read(
            EventStore.HISTORY, first - 1, (int) Math.min(Integer.MAX_VALUE, last - first + 1));
    return filtered(first, last, all, filter);
  }

  private static Batch filtered(long first, long last, List<StoredEvent> all, EventFilter filter) {
    List<StoredEvent> kept = new ArrayList<>();
    for (StoredEvent e : all) {
      if (e.sequence() <= last && filter.matches(e.event())) {
        kept.add(e);
      }
    }
    return new Batch(first, last, kept);
  }

  private static long bytes(List<StoredEvent> events) {
    long n = 0;
    for (StoredEvent e : events) {
      n += e.event().jsonSize();
    }
    return n;
  }
}
