package org.opentrail.trail;

import java.io.IOException;
import java.util.List;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.RetentionHold;
import org.opentrail.api.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RetentionHold} of {@link TrailManager}: the history keeps the events that started
 * trails (their destinations and backfill jobs) and damaged trails' cursor files still need, up to
 * the configured ceiling ({@code retention.hold.max.days}); destinations further behind get an
 * alarm in their trail's status and a WARN, and are no longer held for.
 */
final class TrailRetention {
  // logs as TrailManager, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(TrailManager.class);

  private final TrailContext c;

  TrailRetention(TrailContext c) {
    this.c = c;
  }

  /** As {@link RetentionHold#oldestSequenceNeeded}: only the history is held. */
  long oldestSequenceNeeded(String stream) {
    if (!EventStore.HISTORY.equals(stream)) {
      return Long.MAX_VALUE;
    }
    for (TrailState t : c.trails().all()) {
      List<String> behind = c.engine().beyondCeiling(t, ceilingMillis());
      if (!behind.isEmpty()) {
        LOG.warn(
            "Trail {} of account {}: destinations {} have undelivered events older than {} days; retention no longer keeps them",
            t.spec().name(),
            t.account(),
            behind,
            c.config().retention_hold_max_days());
      }
    }
    return Math.min(
        Math.min(c.engine().oldestNeeded(ceilingMillis()), c.jobs().oldestNeeded()), damagedHold());
  }

  /**
   * The alarm of a trail's status: which destinations have undelivered events older than the
   * ceiling; null if none has.
   */
  String alarm(TrailState t) {
    List<String> behind = c.engine().beyondCeiling(t, ceilingMillis());
    return behind.isEmpty()
        ? null
        : "Destinations "
            + behind
            + " have undelivered events older than "
            + c.config().retention_hold_max_days()
            + " days: retention no longer keeps them and may purge them before they are delivered.";
  }

  /**
   * What the cursor files of damaged trails still need: retention must not purge the backlog of a
   * trail that is only unreadable until the operator restores its file (up to the same ceiling as
   * any trail's hold).
   */
  private long damagedHold() {
    long min = Long.MAX_VALUE;
    for (String k : c.trails().damagedKeys()) {
      String account = k.substring(0, k.indexOf('/'));
      String name = k.substring(k.indexOf('/') + 1);
      try {
        long needed = c.repository().oldestNeededByCursorFiles(account, name);
        if (needed == Long.MAX_VALUE) {
          continue;
        }
        List<StoredEvent> next = c.store().read(EventStore.HISTORY, needed - 1, 1);
        if (!next.isEmpty()
            && next.get(0).timeMillis() < System.currentTimeMillis() - ceilingMillis()) {
          LOG.warn(
              "Damaged trail {}: its undelivered events are older than {} days; retention no"
                  + " longer keeps them",
              k,
              c.config().retention_hold_max_days());
          continue;
        }
        min = Math.min(min, needed);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Damaged trail {}: cannot tell what it still needs: {}", k, e.toString());
      }
    }
    return min;
  }

  private long ceilingMillis() {
    return c.config().retention_hold_max_days() * 86_400_000L;
  }
}
