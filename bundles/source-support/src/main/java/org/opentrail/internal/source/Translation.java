package org.opentrail.internal.source;

import java.util.List;
import org.opentrail.api.event.Event;

/**
 * What one webhook body holds.
 *
 * @param events client operations, recorded in the event history
 * @param serviceInternal operations the service performed by itself, recorded only into the
 *     account's inner trail
 * @param skipped entries deliberately not recorded because another entry stands for them, one
 *     reason each (e.g. {@code "superseded stage RequestReceived of auditID 1f2e…"})
 * @param unreadable entries that could not be read as the service's audit entries (malformed, of an
 *     unknown kind), one reason each: not recorded, and the post that held them is recorded in the
 *     history as a call with unreadable entries, so that what was not kept is visible
 */
public record Translation(
    List<Event> events,
    List<Event> serviceInternal,
    List<String> skipped,
    List<String> unreadable) {
  public Translation {
    events = List.copyOf(events);
    serviceInternal = List.copyOf(serviceInternal);
    skipped = List.copyOf(skipped);
    unreadable = List.copyOf(unreadable);
  }

  /** How many entries the body held. */
  public int entries() {
    return events.size() + serviceInternal.size() + skipped.size() + unreadable.size();
  }
}
