package org.opentrail.api.store;

/**
 * What {@link EventStore#append} did with one event.
 *
 * @param sequence the sequence number of the stored event (the earlier one for a duplicate)
 * @param duplicate true if the event was already stored and nothing was appended
 */
public record AppendOutcome(long sequence, boolean duplicate) {}
