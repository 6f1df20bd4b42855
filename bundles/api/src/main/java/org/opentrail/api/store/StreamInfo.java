package org.opentrail.api.store;

import java.time.Instant;

/**
 * A stream's figures.
 *
 * @param spec what the stream is
 * @param eventCount events stored (including those not yet indexed)
 * @param journalBytes bytes of event bodies on disk
 * @param indexBytes bytes of indexes on disk
 * @param oldestEventTime the oldest stored eventTime, or {@code null} if empty
 * @param newestEventTime the newest stored eventTime, or {@code null} if empty
 * @param lastSequence the sequence number of the newest durable event (0 if none)
 * @param indexedSequence the newest sequence number visible to lookups
 * @param retentionHeldFrom the lowest sequence number a {@link RetentionHold} keeps from being
 *     purged, or 0 if none does
 */
public record StreamInfo(
    StreamSpec spec,
    long eventCount,
    long journalBytes,
    long indexBytes,
    Instant oldestEventTime,
    Instant newestEventTime,
    long lastSequence,
    long indexedSequence,
    long retentionHeldFrom) {

  public String name() {
    return spec.name();
  }
}
