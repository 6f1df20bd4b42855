package org.opentrail.api.store;

import java.time.Instant;

/**
 * Events of a stream that were acknowledged but can no longer be read: their journal bytes are
 * physically damaged (a checksum failure), or the file that held them is gone. The store keeps
 * every readable event around such a range, never reuses its sequence numbers, and reports it until
 * it is repaired.
 *
 * @param firstSequence the first sequence number that cannot be read
 * @param lastSequence the last one (inclusive); {@code lastSequence - firstSequence + 1} events
 * @param file the journal file (name only) the range was in, e.g. {@code 00000000000000000001.log}
 * @param offset the byte offset of the damaged bytes in {@code file}, -1 if the file is gone
 * @param length the number of damaged bytes, 0 if unknown
 * @param reason why, in words: {@code "checksum mismatch"}, {@code "segment file missing"}, ...
 * @param quarantine where the damaged bytes were copied aside (file name next to the segment), or
 *     {@code null}
 * @param detectedAt when the store found it
 * @param repairedEvents events of the range restored since (by {@code EventStore.repair})
 */
public record DamagedRange(
    long firstSequence,
    long lastSequence,
    String file,
    long offset,
    long length,
    String reason,
    String quarantine,
    Instant detectedAt,
    long repairedEvents) {

  /** How many sequence numbers the range spans. */
  public long events() {
    return lastSequence - firstSequence + 1;
  }

  /** True if {@code sequence} is in the range. */
  public boolean contains(long sequence) {
    return sequence >= firstSequence && sequence <= lastSequence;
  }

  /** True if the range shares a sequence with [{@code first}, {@code last}]. */
  public boolean overlaps(long first, long last) {
    return firstSequence <= last && lastSequence >= first;
  }

  /** The range as an operator reads it: {@code 63721-127440}. */
  public String span() {
    return firstSequence == lastSequence
        ? Long.toString(firstSequence)
        : firstSequence + "-" + lastSequence;
  }
}
