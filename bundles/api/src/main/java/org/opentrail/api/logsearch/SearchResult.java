package org.opentrail.api.logsearch;

import java.util.List;
import org.opentrail.api.store.StoredEvent;

/**
 * One page of a search.
 *
 * @param events the page, in the order asked for
 * @param count how many events match in the whole range: exact when the search was asked to count,
 *     else a lower bound ({@link LogSearch#getLogs(String, String, java.time.Instant,
 *     java.time.Instant, String, int, int, boolean, boolean)})
 * @param complete Log Service's {@code progress}: {@code false} ("Incomplete") while the index has
 *     not caught up with the store, or when the search ran out of time
 */
public record SearchResult(List<StoredEvent> events, long count, boolean complete) {
  public SearchResult {
    events = List.copyOf(events);
  }
}
