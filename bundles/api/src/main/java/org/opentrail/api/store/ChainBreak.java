package org.opentrail.api.store;

/**
 * Sequences of a stream whose records do not prove themselves against the hash chain.
 *
 * @param firstSequence the first sequence number concerned
 * @param lastSequence the last sequence number concerned
 * @param kind what was found
 * @param detail in words, with the values compared
 * @since 1.3
 */
public record ChainBreak(long firstSequence, long lastSequence, Kind kind, String detail) {
  /** What a chain check found. */
  public enum Kind {
    /**
     * The records do not hash to the chain value stored with them or expected from the digest: an
     * event was modified, inserted, removed or reordered.
     */
    ALTERED,
    /** Sequences that should be there are not (a gap, or the end was cut off). */
    MISSING,
    /** Known damage (a {@link DamagedRange}), repaired or not: reported, not proven. */
    DAMAGED,
    /** Removed by the stream's retention: nothing left to prove. */
    RETAINED_AWAY
  }
}
