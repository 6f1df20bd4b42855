package org.opentrail.api.consume;

import java.util.List;
import org.opentrail.api.store.StoredEvent;

/**
 * What one pull read (Log Service's PullLogs answer).
 *
 * @param events the events after the cursor, in sequence order, each with its sequence number and
 *     eventTime; at most the pull's maximum count and, but for the first, its byte limit
 * @param cursor the cursor the pull started from
 * @param nextCursor where the next pull starts (Log Service's {@code x-log-cursor}): after the last
 *     event returned or passed over; equal to {@code cursor} when nothing new was there
 * @param bytes the size of the returned events' JSON, in bytes
 * @param lost the ranges the pull passed over because they could not be read, oldest first; empty
 *     when nothing was lost
 * @param endSequence the sequence number of the newest event in the logstore when the pull ran (the
 *     consumer's lag is {@code endSequence} minus the last returned sequence)
 */
public record PullResult(
    List<StoredEvent> events,
    String cursor,
    String nextCursor,
    long bytes,
    List<LostRange> lost,
    long endSequence) {
  public PullResult {
    events = List.copyOf(events);
    lost = List.copyOf(lost);
  }

  /** True if nothing new was read and nothing was lost: the consumer is at the end. */
  public boolean atEnd() {
    return events.isEmpty() && lost.isEmpty() && cursor.equals(nextCursor);
  }
}
