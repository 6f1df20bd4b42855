package org.opentrail.api.sink;

import java.time.Instant;

/**
 * One object (file) a {@link ProvableSink} wrote for a batch, as a destination digest lists it.
 *
 * @param name the object's path relative to the destination's root (for the file sink, relative to
 *     its directory; for object storage, the object key), with {@code /} separators
 * @param sha256 SHA-256 of the object's bytes as stored, 64 lower-case hex digits
 * @param size its size in bytes
 * @param eventCount events in it
 * @param oldestEventTime the earliest eventTime in it
 * @param newestEventTime the latest eventTime in it
 * @since 1.2
 */
public record DeliveredObject(
    String name,
    String sha256,
    long size,
    int eventCount,
    Instant oldestEventTime,
    Instant newestEventTime) {}
