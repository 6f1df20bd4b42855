package org.opentrail.api.event;

/**
 * What happened to one event of a batch.
 *
 * @param index the event's position in the batch
 * @param status accepted, duplicate, rejected or not collected
 * @param eventId the stored event's id (filled in if the event had none); {@code null} if rejected
 * @param errorCode why it was rejected, e.g. {@code MissingField}; {@code null} otherwise
 * @param errorMessage a sentence naming the offending field; {@code null} unless rejected
 */
public record EventOutcome(
    int index, Status status, String eventId, String errorCode, String errorMessage) {

  /** The fate of an event. */
  public enum Status {
    /** Stored, durably. */
    ACCEPTED,
    /** Already stored earlier under the same eventId; nothing new stored. */
    DUPLICATE,
    /** Not stored; see the error code and message. */
    REJECTED,
    /**
     * Valid, but not collected: a service-internal operation for an account without an enabled
     * inner trail (see {@link EventRecorder#recordServiceInternal}). Nothing stored.
     *
     * @since 1.1
     */
    NOT_COLLECTED
  }

  public static EventOutcome accepted(int index, String eventId) {
    return new EventOutcome(index, Status.ACCEPTED, eventId, null, null);
  }

  public static EventOutcome duplicate(int index, String eventId) {
    return new EventOutcome(index, Status.DUPLICATE, eventId, null, null);
  }

  public static EventOutcome notCollected(int index, String eventId) {
    return new EventOutcome(index, Status.NOT_COLLECTED, eventId, null, null);
  }

  public static EventOutcome rejected(int index, String code, String message) {
    return new EventOutcome(index, Status.REJECTED, null, code, message);
  }

  /** True if accepted or a duplicate: the event is in the store. */
  public boolean stored() {
    return status == Status.ACCEPTED || status == Status.DUPLICATE;
  }
}
