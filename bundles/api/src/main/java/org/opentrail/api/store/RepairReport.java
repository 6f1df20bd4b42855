package org.opentrail.api.store;

/**
 * What {@link EventStore#repair} did with a set of candidate events.
 *
 * @param restored events put back at their original sequence numbers in a damaged range
 * @param alreadyReadable candidates the store can still read (nothing to do)
 * @param notDamaged candidates whose eventId the store does not know in any damaged range
 */
public record RepairReport(long restored, long alreadyReadable, long notDamaged) {}
