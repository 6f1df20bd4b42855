package org.opentrail.api.query;

import java.time.Instant;
import java.util.List;
import org.opentrail.api.event.Event;

/**
 * One page of LookupEvents.
 *
 * @param events the events, in the requested direction
 * @param nextToken the token for the next page, or {@code null} if this is the last
 * @param startTime the start of the time range searched
 * @param endTime the end of the time range searched
 */
public record LookupResult(
    List<Event> events, String nextToken, Instant startTime, Instant endTime) {
  public LookupResult {
    events = List.copyOf(events);
  }
}
