package org.opentrail.trail;

import java.time.Instant;
import java.util.List;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.DestinationStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one destination's worker shows in its {@link DestinationStatus}: its state and detail, the
 * last error and when it happened, and how far behind it is; and whether the trail's account has
 * granted the delivery role, shown (and logged once) while it has not. Set on the destination's
 * thread, read from any.
 */
final class WorkerStatus {
  // logs as DestinationWorker, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);

  /** Most events of the history one status scans to count a destination's backlog. */
  static final int BACKLOG_SCAN = 10_000;

  private final WorkerContext context;
  private final DeliveryGrant grant;
  private final EventStore store;
  private final DestinationGaps gaps;
  private final DestinationDigests digests;
  private volatile State state = State.STOPPED;
  private volatile String detail = "starting";
  private volatile String lastError;
  private volatile long lastErrorMillis;
  private volatile long oldestUndeliveredMillis;
  private String refusal; // why the account's trails may not deliver, while they may not

  WorkerStatus(
      WorkerContext context,
      DeliveryGrant grant,
      EventStore store,
      DestinationGaps gaps,
      DestinationDigests digests) {
    this.context = context;
    this.grant = grant;
    this.store = store;
    this.gaps = gaps;
    this.digests = digests;
  }

  /** Shows a problem as the last error (until a delivery works), from now. */
  void report(String problem) {
    lastError = problem;
    lastErrorMillis = System.currentTimeMillis();
  }

  /** A delivery worked: no last error to show. */
  void clearError() {
    lastError = null;
  }

  void set(State s, String d) {
    state = s;
    detail = d;
  }

  /** The time of the oldest event of the batch in hand, 0 when there is none (up to date). */
  void oldestUndeliveredMillis(long millis) {
    oldestUndeliveredMillis = millis;
  }

  /**
   * Whether the trail's account may deliver now; if not, shows why (as the state and the last
   * error) and logs it once, when it starts. A missing service is logged by {@link DeliveryGrant}.
   */
  boolean permitted() {
    String why =
        grant.refusal(
            context.trail().account(), context.trail().spec().name(), context.destination());
    String was = refusal;
    if (why == null) {
      if (was != null) {
        refusal = null;
        if (was.equals(lastError)) {
          lastError = null;
        }
        set(State.DELIVERING, "resuming");
        if (!was.equals(DeliveryGrant.NO_SERVICE)) {
          LOG.info(
              "Trail {} destination {}: the delivery role is granted; delivery resumes from its cursor",
              context.trail().spec().name(),
              context.destination().id());
        }
      }
      return true;
    }
    if (!why.equals(was)) {
      refusal = why;
      lastError = why;
      lastErrorMillis = System.currentTimeMillis();
      if (why.equals(DeliveryGrant.NO_SERVICE)) {
        LOG.debug(
            "Trail {} destination {}: {}",
            context.trail().spec().name(),
            context.destination().id(),
            why);
      } else {
        LOG.warn(
            "Trail {} destination {}: delivery paused, its events wait in the store: {}",
            context.trail().spec().name(),
            context.destination().id(),
            why);
      }
    }
    set(State.NO_PERMISSION, why);
    return false;
  }

  /** True if its oldest undelivered event is older than {@code ceilingMillis} ago. */
  boolean beyondCeiling(long ceilingMillis) {
    long oldest = oldestUndelivered();
    return oldest > 0 && oldest < System.currentTimeMillis() - ceilingMillis;
  }

  /**
   * The time of the oldest event it still needs, 0 if none: known from the batch in hand while
   * delivering, else (waiting, paused) read from the store, whoever's it is (the retention hold
   * keeps what the cursor has not passed).
   */
  private long oldestUndelivered() {
    long oldest = oldestUndeliveredMillis;
    if (oldest == 0 && state != State.DELIVERING) {
      List<StoredEvent> next = store.read(EventStore.HISTORY, context.oldestNeeded() - 1, 1);
      oldest = next.isEmpty() ? 0 : next.get(0).timeMillis();
    }
    return oldest;
  }

  /**
   * The trail account's events after {@code cursor}, counted over at most {@link #BACKLOG_SCAN}
   * events of the history (a lower bound beyond that), and the time of the first of them (0 if
   * none). Other accounts' events are skipped: how much they record is theirs to know.
   */
  private Backlog backlog(long cursor) {
    String account = context.trail().account();
    long count = 0;
    long oldest = 0;
    long after = cursor;
    long scanned = 0;
    while (scanned < BACKLOG_SCAN) {
      List<StoredEvent> chunk = store.read(EventStore.HISTORY, after, 1000);
      if (chunk.isEmpty()) {
        break;
      }
      for (StoredEvent e : chunk) {
        if (account.equals(e.event().recipientAccountId())) {
          count++;
          oldest = oldest == 0 ? e.timeMillis() : oldest;
        }
      }
      scanned += chunk.size();
      after = chunk.get(chunk.size() - 1).sequence();
    }
    return new Backlog(count, oldest);
  }

  private record Backlog(long count, long oldestMillis) {}

  DestinationStatus status() {
    CursorState c = context.cursor();
    Backlog backlog = backlog(c.cursor());
    long lag = backlog.count();
    long oldest =
        lag == 0 || oldestUndeliveredMillis == 0 ? backlog.oldestMillis() : oldestUndeliveredMillis;
    long lagSeconds =
        lag == 0 || oldest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000);
    List<String> g = gaps.texts();
    String d = detail;
    if (!g.isEmpty() && d.startsWith("up to date")) {
      d = "up to date except " + g.size() + (g.size() == 1 ? " gap" : " gaps");
    }
    return digests.inStatus(
        new DestinationStatus(
            context.destination().id(),
            context.destination().type(),
            state,
            d,
            c.delivered(),
            lag,
            lagSeconds,
            c.lastDeliveryMillis() == 0 ? null : Instant.ofEpochMilli(c.lastDeliveryMillis()),
            lastError,
            lastErrorMillis == 0 ? null : Instant.ofEpochMilli(lastErrorMillis),
            g));
  }
}
