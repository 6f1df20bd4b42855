package org.opentrail.trail;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.trail.DestinationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipts and signed digests of one destination whose sink is a {@link ProvableSink}
 * (docs/PROOF.md section 2). Every object a delivery wrote is appended to the {@link ReceiptLog}
 * before the cursor moves; at each interval boundary (UTC), and when the destination stops cleanly
 * ({@code final}), a digest lists the objects received since the previous one, even none, chained
 * to it and signed with the trail's account's key, and is written through {@link
 * ProvableSink#writeDigest}. The digest to write is recorded first ({@link DigestPlan}) and retried
 * with backoff while the sink or the signing keys fail: never skipped, never out of order. Problems
 * are shown in the status ({@link #inStatus}), never thrown at the delivery loop. Digests are
 * written on the destination's thread; deliveries of delivery history jobs may add receipts from
 * theirs.
 */
final class DestinationDigests {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationDigests.class);

  private final DigestState.Target target;
  private final Supplier<SigningKeys> keys;
  private final Supplier<String> homeRegion;
  private final TrailConfig config;
  private final Backoff backoff;
  private final DigestState state;
  private long retryAtMillis;
  private volatile String problem;
  private volatile long problemMillis;
  private volatile Instant lastEnd;

  /**
   * Loads the destination's digest state; a damaged file is shown in the status.
   *
   * @param keys the signing service now, or {@code null}
   * @param homeRegion the home region new digests name
   */
  DestinationDigests(
      DigestState.Target target,
      Supplier<SigningKeys> keys,
      Supplier<String> homeRegion,
      TrailConfig config) {
    this.target = target;
    this.keys = keys;
    this.homeRegion = homeRegion;
    this.config = config;
    this.backoff = new Backoff(config::retry_initial_millis, config::retry_max_millis);
    this.state = new DigestState(target);
    if (state.stateProblem() != null) {
      late(state.stateProblem(), null);
    } else if (state.link() != null) {
      lastEnd = state.link().endTime();
    }
    if (state.receiptsProblem() != null) {
      late(state.receiptsProblem(), null);
    }
  }

  /**
   * Delivers a batch: to a {@link ProvableSink} with {@code deliverObjects}, its objects then
   * appended durably to the receipts before this returns; to any other sink with {@code deliver}.
   *
   * @throws Exception if it was not delivered or its receipts are not durable (delivered again)
   */
  void deliver(Sink sink, DeliveryBatch batch) throws Exception {
    if (!(sink instanceof ProvableSink p)) {
      sink.deliver(batch);
      return;
    }
    long received = System.currentTimeMillis();
    ReceiptLog receipts;
    synchronized (this) {
      receipts = state.receipts();
      if (receipts == null) {
        late(state.receiptsProblem(), null);
        throw new IOException(state.receiptsProblem());
      }
      state.begin(received);
    }
    List<DeliveredObject> objects = p.deliverObjects(batch);
    for (DeliveredObject o : objects) {
      Objects.requireNonNull(o.name(), "the sink answered an object without a name");
      Objects.requireNonNull(o.sha256(), "the sink answered an object without a hash");
    }
    synchronized (this) {
      receipts.append(batch.firstSequence(), batch.lastSequence(), received, objects);
    }
  }

  /**
   * Whether a final digest is owed: the chain began and its newest digest is not final, or objects
   * were received since (a delivery history job of a stopped trail), or one is recorded unwritten.
   */
  synchronized boolean owesFinal() {
    if (state.stateProblem() != null) {
      return false;
    }
    DigestPlan.Pending p = state.plan().pending();
    return p != null && !state.written(p)
        || state.start() != null && (!state.lastFinal() || state.unlisted());
  }

  /**
   * Writes the digest due now, if any and if its retry time has come: the recorded one first, else
   * one up to the last interval boundary (while {@code active}, or objects wait to be listed), else
   * a final one (once inactive).
   */
  synchronized void writeDue(Sink sink, boolean active, CursorState cursor) {
    if (!(sink instanceof ProvableSink p) || state.stateProblem() != null) {
      return;
    }
    long now = System.currentTimeMillis();
    if (now < retryAtMillis) {
      return;
    }
    try {
      if (active) {
        state.begin(now);
      }
      DigestPlan.Pending next = state.plan().pending();
      if (next == null || state.written(next)) {
        boolean periodic = active || state.unlisted();
        next =
            periodic || owesFinal()
                ? state.decide(
                    now, !periodic, cursor, config.digest_interval_seconds(), homeRegion.get())
                : null;
      }
      if (next != null) {
        write(p, next);
      }
    } catch (Exception | Error e) {
      retryAtMillis = System.currentTimeMillis() + backoff.next();
      late("digest not written: " + e.getMessage() + "; retrying", e);
    }
  }

  /**
   * At a clean stop: writes what is recorded, then a final digest, if the sink is provable and
   * works; otherwise records the final digest, to be written first when the destination starts
   * again (unless an earlier digest is recorded unwritten: the next digest then covers the stop).
   *
   * @param sink the destination's open sink, or {@code null}
   */
  synchronized void stop(Sink sink, CursorState cursor) {
    if (!owesFinal()) {
      return;
    }
    try {
      DigestPlan.Pending p = state.plan().pending();
      if (p != null && !state.written(p) && sink instanceof ProvableSink s) {
        write(s, p);
        if (!owesFinal()) {
          return; // it was the final one
        }
      }
      p = state.plan().pending();
      if (p == null || state.written(p)) {
        p =
            state.decide(
                System.currentTimeMillis(),
                true,
                cursor,
                config.digest_interval_seconds(),
                homeRegion.get());
      }
      if (p != null && sink instanceof ProvableSink s) {
        write(s, p);
      }
    } catch (Exception | Error e) {
      LOG.warn(
          "Trail {} destination {}: the digest for its stop is not written now ({}); what is"
              + " recorded is written first when the destination starts again",
          target.trail(),
          target.destination(),
          e.getMessage());
    }
  }

  /**
   * A destination's status with its digests' state: {@code "; digests late"} or {@code "; last
   * digest ends <time>"} after the detail, and why digests are late as the last error when there is
   * no delivery error.
   */
  DestinationStatus inStatus(DestinationStatus s) {
    String why = problem;
    Instant end = lastEnd;
    if (why == null && end == null) {
      return s;
    }
    boolean showWhy = why != null && s.lastError() == null;
    return new DestinationStatus(
        s.id(),
        s.type(),
        s.state(),
        s.detail() + (why != null ? "; digests late" : "; last digest ends " + end),
        s.delivered(),
        s.lagEvents(),
        s.lagSeconds(),
        s.lastDeliveryTime(),
        showWhy ? why : s.lastError(),
        showWhy ? Instant.ofEpochMilli(problemMillis) : s.lastErrorTime(),
        s.gaps());
  }

  /** Makes, signs and writes a recorded digest, then moves the chain on. */
  private void write(ProvableSink sink, DigestPlan.Pending p) throws Exception {
    SigningKeys k = keys.get();
    if (k == null) {
      throw new IllegalStateException(
          "no SigningKeys service (the auth bundle) is installed to sign it");
    }
    state.write(sink, k, p);
    lastEnd = p.end();
    retryAtMillis = 0;
    backoff.reset();
    if (problem != null) {
      LOG.info(
          "Trail {} destination {}: digests are written again, up to {}",
          target.trail(),
          target.destination(),
          p.end());
    }
    problem = null;
    LOG.debug(
        "Trail {} destination {}: digest {} written",
        target.trail(),
        target.destination(),
        p.path());
  }

  private void late(String why, Throwable e) {
    if (!why.equals(problem)) {
      LOG.warn(
          "Trail {} destination {}: {}",
          target.trail(),
          target.destination(),
          why,
          LOG.isDebugEnabled() ? e : null);
    }
    problem = why;
    problemMillis = System.currentTimeMillis();
  }
}
