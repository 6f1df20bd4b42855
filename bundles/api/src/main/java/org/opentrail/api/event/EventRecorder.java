package org.opentrail.api.event;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Records audit events: validates each one, fills what is absent (a time-ordered {@code eventId},
 * {@code eventTime} in whole seconds), stamps the account, region and {@value
 * EventFields#RECORDED_BY}, stores it durably, and answers per event.
 *
 * <p>It answers only once every accepted event is durable: a crash right after {@code record}
 * returns loses none of them. A batch with some bad events stores the good ones; a rejected event's
 * message names every problem it has. Recording an {@code eventId} already stored for the account
 * is a no-op answered with {@link EventOutcome.Status#DUPLICATE}.
 *
 * <p>The service is bundle-scoped: each using bundle gets its own instance, which states that
 * bundle in the {@value EventFields#RECORDED_BY} field of what it records.
 */
@ProviderType
public interface EventRecorder {
  /** Most events in one batch. */
  int MAX_BATCH_EVENTS = 10_000;

  /** Most bytes (canonical JSON) in one batch. */
  int MAX_BATCH_BYTES = 16 << 20;

  /** Most bytes (canonical JSON) in one event. */
  int MAX_EVENT_BYTES = 256 << 10;

  /**
   * Records events for an account in its event history.
   *
   * @param provenance who hands the events over (stored with each of them)
   * @throws org.opentrail.api.OpenTrailException {@code BatchTooLarge} (400) for a batch over the
   *     limits, nothing stored; {@code InvalidParameter} for a malformed account id; {@code
   *     StoreUnavailable} (503) if the store cannot make events durable, or its subclass {@link
   *     org.opentrail.api.store.StorageFullException} ({@code ServiceUnavailable.StorageFull}, 503)
   *     while the disk is below the store's free-space floor; then no event of the batch is stored
   *     and the batch can be sent again later
   * @since 1.1
   */
  RecordResult record(String accountId, List<Event> events, Provenance provenance);

  /** Records events for an account, stating only the calling bundle as their provenance. */
  default RecordResult record(String accountId, List<Event> events) {
    return record(accountId, events, Provenance.NONE);
  }

  /**
   * Records service-internal operations (what a service did on the account's resources by itself:
   * lifecycle expiry, replication, healing) into the account's inner trail logstore, {@code
   * innertrail_<name>}, and nowhere else. They are checked and completed like any event; while the
   * account has no enabled inner trail they are answered {@link EventOutcome.Status#NOT_COLLECTED}
   * and not stored, as ActionTrail collects them only for an inner trail.
   *
   * @throws org.opentrail.api.OpenTrailException as {@link #record(String, List, Provenance)}
   * @since 1.1
   */
  RecordResult recordServiceInternal(String accountId, List<Event> events, Provenance provenance);
}
