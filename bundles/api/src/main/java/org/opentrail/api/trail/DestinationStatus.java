package org.opentrail.api.trail;

import java.time.Instant;

/**
 * How one destination of a trail is doing.
 *
 * @param id the destination
 * @param type its sink type
 * @param state what it is doing now
 * @param detail the state in words, e.g. "waiting for sink type file"
 * @param delivered events delivered since the trail was created
 * @param lagEvents the trail account's events recorded after the destination's cursor, not yet
 *     delivered (those the trail's filter drops count too, until the cursor passes them); other
 *     accounts' events never count. Counted over at most the next 10,000 events of the history, so
 *     a lower bound when the destination is further behind
 * @param lagSeconds age of the oldest event not yet delivered, 0 if none
 * @param lastDeliveryTime when it last delivered a batch, or {@code null}
 * @param lastError the last delivery error, or {@code null} after a success
 * @param lastErrorTime when it happened, or {@code null}
 * @param gaps sequence ranges it should have delivered but could not, because the store cannot read
 *     them, e.g. {@code "GAP 63721-127440: damaged in store"}; shown until an operator acknowledges
 *     or repairs them. A destination with gaps is never "up to date".
 */
public record DestinationStatus(
    String id,
    String type,
    State state,
    String detail,
    long delivered,
    long lagEvents,
    long lagSeconds,
    Instant lastDeliveryTime,
    String lastError,
    Instant lastErrorTime,
    java.util.List<String> gaps) {

  public DestinationStatus {
    gaps = gaps == null ? java.util.List.of() : java.util.List.copyOf(gaps);
  }

  /** A status with no gaps. */
  public DestinationStatus(
      String id,
      String type,
      State state,
      String detail,
      long delivered,
      long lagEvents,
      long lagSeconds,
      Instant lastDeliveryTime,
      String lastError,
      Instant lastErrorTime) {
    this(
        id,
        type,
        state,
        detail,
        delivered,
        lagEvents,
        lagSeconds,
        lastDeliveryTime,
        lastError,
        lastErrorTime,
        java.util.List.of());
  }

  /** A destination's state. */
  public enum State {
    /** Delivering, or up to date and waiting for new events. */
    DELIVERING,
    /** The last delivery failed; it is retried with backoff. */
    RETRYING,
    /** No provider of its sink type is installed; events wait in the store. */
    WAITING_FOR_SINK,
    /** Its configuration is refused by its sink type; fix it with an update. */
    INVALID_CONFIGURATION,
    /**
     * The trail's account has not granted the delivery service role; delivery pauses, nothing is
     * lost, and it resumes when the role is granted.
     */
    NO_PERMISSION,
    /** The trail is not logging. */
    STOPPED
  }
}
