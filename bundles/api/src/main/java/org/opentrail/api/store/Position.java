package org.opentrail.api.store;

/**
 * A place in lookup order: events are ordered by eventTime, then by sequence number, which makes
 * every position unique and paging stable while events keep arriving.
 */
public record Position(long timeMillis, long sequence) {}
