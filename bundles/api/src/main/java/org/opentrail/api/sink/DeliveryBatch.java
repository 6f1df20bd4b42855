package org.opentrail.api.sink;

import java.util.List;
import org.opentrail.api.store.StoredEvent;

/**
 * Events to deliver, in sequence order.
 *
 * @param key deterministic for this destination and these events: the same batch delivered again
 *     has the same key
 * @param firstSequence the first sequence number the batch covers
 * @param lastSequence the last sequence number it covers (events in between that the trail's filter
 *     dropped are not in {@code events})
 * @param events the events to deliver (at least one)
 */
public record DeliveryBatch(
    String key, long firstSequence, long lastSequence, List<StoredEvent> events) {
  public DeliveryBatch {
    events = List.copyOf(events);
  }
}
