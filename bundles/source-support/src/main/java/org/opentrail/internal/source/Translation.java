package org.opentrail.internal.source;

import java.util.List;
import org.opentrail.api.event.Event;

/**
 * What one webhook body holds.
 *
 * @param events client operations, recorded in the event history
 * @param serviceInternal operations the service performed by itself, recorded only into the
 *     account's inner trail
 * @param skipped entries deliberately not recorded, one reason each (e.g. {@code "superseded stage
 *     RequestReceived of auditID 1f2e…"})
 */
public record Translation(List<Event> events, List<Event> serviceInternal, List<String> skipped) {
  public Translation {
    events = List.copyOf(events);
    serviceInternal = List.copyOf(serviceInternal);
    skipped = List.copyOf(skipped);
  }

  /** How many entries the body held. */
  public int entries() {
    return events.size() + serviceInternal.size() + skipped.size();
  }
}
