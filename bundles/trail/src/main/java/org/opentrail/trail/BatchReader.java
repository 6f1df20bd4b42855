package org.opentrail.trail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.opentrail.api.store.DamagedRange;
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

  /**
   * A sequence range, the events in it that the trail delivers, and the parts of it the store could
   * not read (damaged).
   */
  record Batch(long first, long last, List<StoredEvent> events, List<Gap> gaps) {
    Batch(long first, long last, List<StoredEvent> events) {
      this(first, last, events, List.of());
    }
  }

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
      return damagedAhead(after, limit);
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
        if (more.isEmpty()) {
          break; // what follows cannot be read: the next batch starts there
        }
        all.addAll(more);
        bytes += bytes(more);
      } else {
        pause.accept(Math.min(10, lingerUntil - System.currentTimeMillis()));
      }
    }
    long last = all.get(all.size() - 1).sequence();
    List<DamagedRange> damaged = all.size() == last - after ? List.of() : damaged();
    if (all.get(0).sequence() > after + 1
        && !covered(damaged, after + 1, all.get(0).sequence() - 1)) {
      LOG.error(
          "Trail {} destination {}: events {} to {} were purged by retention before they were delivered",
          trail,
          destination,
          after + 1,
          all.get(0).sequence() - 1);
    }
    return filtered(after + 1, last, all, filter, gaps(damaged, after + 1, last));
  }

  /**
   * Nothing readable after {@code after}: if the store cannot read the events that follow it (up to
   * {@code limit}), an empty batch over them, so that the cursor passes them and they become a gap.
   */
  private Batch damagedAhead(long after, long limit) {
    long newest = Math.min(limit, store.lastSequence(EventStore.HISTORY));
    if (newest <= after) {
      return null;
    }
    for (DamagedRange d : damaged()) {
      if (d.contains(after + 1)) {
        long last = Math.min(d.lastSequence(), newest);
        return new Batch(after + 1, last, List.of(), gaps(List.of(d), after + 1, last));
      }
    }
    return null;
  }

  /** The history's damaged ranges; none if the store cannot say. */
  List<DamagedRange> damaged() {
    try {
      return store.damaged(EventStore.HISTORY);
    } catch (RuntimeException e) {
      LOG.warn("Cannot learn the history's damaged ranges: {}", e.toString());
      return List.of();
    }
  }

  /** The parts of [{@code first}, {@code last}] in damaged ranges, as gaps. */
  static List<Gap> gaps(List<DamagedRange> damaged, long first, long last) {
    List<Gap> out = new ArrayList<>();
    for (DamagedRange d : damaged) {
      if (d.overlaps(first, last)) {
        out.add(
            new Gap(
                Math.max(first, d.firstSequence()), Math.min(last, d.lastSequence()), Gap.DAMAGED));
      }
    }
    return Gap.merge(List.of(), out);
  }

  /** True if every sequence of [{@code first}, {@code last}] is in a damaged range. */
  static boolean covered(List<DamagedRange> damaged, long first, long last) {
    long n = 0;
    for (Gap g : gaps(damaged, first, last)) {
      n += g.events();
    }
    return n == last - first + 1;
  }

  /**
   * True if the store still cannot read any of [{@code first}, {@code last}]: every sequence is in
   * one of the {@code damaged} ranges, of which nothing was repaired.
   */
  static boolean stillDamaged(List<DamagedRange> damaged, long first, long last) {
    List<DamagedRange> unrepaired = damaged.stream().filter(d -> d.repairedEvents() == 0).toList();
    return covered(unrepaired, first, last);
  }

  /** The batch of a recorded range again (after a crash or a failed delivery). */
  Batch range(long first, long last, EventFilter filter) {
    List<StoredEvent> all =
        store.read(
            EventStore.HISTORY, first - 1, (int) Math.min(Integer.MAX_VALUE, last - first + 1));
    long readable = all.stream().filter(e -> e.sequence() <= last).count();
    List<Gap> gaps = readable == last - first + 1 ? List.of() : gaps(damaged(), first, last);
    return filtered(first, last, all, filter, gaps);
  }

  private static Batch filtered(
      long first, long last, List<StoredEvent> all, EventFilter filter, List<Gap> gaps) {
    List<StoredEvent> kept = new ArrayList<>();
    for (StoredEvent e : all) {
      if (e.sequence() <= last && filter.matches(e.event())) {
        kept.add(e);
      }
    }
    return new Batch(first, last, kept, gaps);
  }

  private static long bytes(List<StoredEvent> events) {
    long n = 0;
    for (StoredEvent e : events) {
      n += e.event().jsonSize();
    }
    return n;
  }
}
