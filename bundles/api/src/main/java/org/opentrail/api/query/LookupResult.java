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
 * @param unreadable matching events of this page the store could not read (damaged in the store):
 *     they are left out of {@code events}, so a page may hold fewer than MaxResults events and
 *     still have a next page
 * @param rebuilding time ranges whose index is being rebuilt (ISO-8601 intervals): matching events
 *     in them may be missing from this answer until the rebuild ends
 */
public record LookupResult(
    List<Event> events,
    String nextToken,
    Instant startTime,
    Instant endTime,
    int unreadable,
    List<String> rebuilding) {
  public LookupResult {
    events = List.copyOf(events);
    rebuilding = rebuilding == null ? List.of() : List.copyOf(rebuilding);
  }

  /** A page with nothing missing. */
  public LookupResult(List<Event> events, String nextToken, Instant startTime, Instant endTime) {
    this(events, nextToken, startTime, endTime, 0, List.of());
  }

  /** True if some matching events may be missing from this page. */
  public boolean incomplete() {
    return unreadable > 0 || !rebuilding.isEmpty();
  }
}
