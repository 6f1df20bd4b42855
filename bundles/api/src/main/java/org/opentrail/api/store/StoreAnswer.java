package org.opentrail.api.store;

import java.util.List;

/**
 * The answer to a {@link StoreQuery}: the events that could be read, and what could not.
 *
 * @param events the matching events that could be read, in the query's order
 * @param unreadable matching events the index knows of whose journal bytes are damaged; they are
 *     left out of {@code events} (see {@link EventStore#damaged})
 * @param rebuilding time ranges whose index is being rebuilt from the journal, ISO-8601 intervals
 *     such as {@code 2026-11-29T00:00:00Z/2026-11-30T00:00:00Z}: events in them may be missing from
 *     this answer until the rebuild ends
 * @param last the position of the last match, readable or not ({@code null} if none matched): a
 *     page of LookupEvents continues after it, so unreadable matches are neither skipped nor
 *     counted twice
 */
public record StoreAnswer(
    List<StoredEvent> events, int unreadable, List<String> rebuilding, Position last) {
  public StoreAnswer {
    events = List.copyOf(events);
    rebuilding = List.copyOf(rebuilding);
  }

  /** An answer whose last match is its last event. */
  public StoreAnswer(List<StoredEvent> events, int unreadable, List<String> rebuilding) {
    this(
        events,
        unreadable,
        rebuilding,
        events.isEmpty() ? null : events.get(events.size() - 1).position());
  }

  /** An answer with nothing missing. */
  public static StoreAnswer complete(List<StoredEvent> events) {
    return new StoreAnswer(events, 0, List.of());
  }
}
