package org.opentrail.api.store;

import org.opentrail.api.event.Event;

/**
 * An event as stored.
 *
 * @param sequence its sequence number in its stream
 * @param timeMillis its eventTime in epoch milliseconds
 * @param event the event
 */
public record StoredEvent(long sequence, long timeMillis, Event event) {
  /** Where this event is in lookup order: the position to continue after. */
  public Position position() {
    return new Position(timeMillis, sequence);
  }
}
