package org.opentrail.api.consume;

import java.time.Instant;

/**
 * Events a pull passed over because they can no longer be read: purged by the logstore's retention
 * before the consumer got to them, or damaged in the store. A consumer is always told; nothing is
 * skipped silently.
 *
 * @param firstSequence the first sequence number passed over
 * @param lastSequence the last (inclusive); {@code lastSequence - firstSequence + 1} sequence
 *     numbers
 * @param after the lost events were recorded after this eventTime (the one of the event the cursor
 *     stood after), or {@code null} if unknown
 * @param before they were recorded before (or at) this eventTime (the first event read after them),
 *     or {@code null} if none could be read yet
 * @param reason {@link #RETENTION} or {@link #DAMAGED}
 */
public record LostRange(
    long firstSequence, long lastSequence, Instant after, Instant before, String reason) {
  /** Purged by the logstore's retention: consumer group checkpoints do not hold retention. */
  public static final String RETENTION = "retention";

  /** Acknowledged but unreadable in the store (see {@code store:status}); may be repaired. */
  public static final String DAMAGED = "damaged";

  /** How many sequence numbers were passed over. */
  public long events() {
    return lastSequence - firstSequence + 1;
  }

  /** As an operator reads it: {@code 1-4999 (retention, between T1 and T2)}. */
  public String text() {
    String span =
        firstSequence == lastSequence
            ? Long.toString(firstSequence)
            : firstSequence + "-" + lastSequence;
    return span
        + " ("
        + reason
        + ", recorded after "
        + (after == null ? "?" : after)
        + " and before "
        + (before == null ? "?" : before)
        + ")";
  }
}
