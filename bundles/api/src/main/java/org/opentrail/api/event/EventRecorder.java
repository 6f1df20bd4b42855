package org.opentrail.api.event;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Records audit events: validates each one, fills what is absent (a time-ordered {@code eventId},
 * {@code eventTime}), stamps the account and region, stores it durably, and answers per event.
 *
 * <p>It answers only once every accepted event is durable: a crash right after {@code record}
 * returns loses none of them. A batch with some bad events stores the good ones. Recording an
 * {@code eventId} already stored for the account is a no-op answered with {@link
 * EventOutcome.Status#DUPLICATE}.
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
   * Records events for an account.
   *
   * @throws org.opentrail.api.OpenTrailException {@code BatchTooLarge} (400) for a batch over the
   *     limits, nothing stored; {@code InvalidParameter} for a malformed account id; {@code
   *     StoreUnavailable} (503) if the store cannot make events durable, or its subclass {@link
   *     org.opentrail.api.store.StorageFullException} ({@code ServiceUnavailable.StorageFull}, 503)
   *     while the disk is below the store's free-space floor; then no event of the batch is stored
   *     and the batch can be sent again later
   */
  RecordResult record(String accountId, List<Event> events);

  /** Records events for this installation's default account. */
  RecordResult record(List<Event> events);

  /** This installation's default account id. */
  String defaultAccountId();
}
