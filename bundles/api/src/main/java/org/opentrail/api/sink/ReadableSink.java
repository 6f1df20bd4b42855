package org.opentrail.api.sink;

import java.util.List;
import java.util.function.Consumer;
import org.opentrail.api.event.Event;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sink that can read back the events its destination holds, so that {@code store:repair} can
 * restore events damaged in the store from what was delivered (the store checks each by eventId and
 * puts back only events it lost). Sinks that cannot read back (a stream, a write-only bucket) do
 * not implement it.
 */
@ConsumerType
public interface ReadableSink extends Sink {
  /**
   * Hands every event the destination holds to {@code batches}, a batch at a time (e.g. one
   * delivered file), in no particular order.
   *
   * @throws Exception if the destination cannot be read; batches handed over before stay handed
   */
  void readBack(Consumer<List<Event>> batches) throws Exception;
}
