package org.opentrail.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;

/**
 * A real sink provider with a stopwatch: notes, for each eventId, when the batch holding it was
 * delivered (the file sink's files renamed into place and forced).
 */
final class TimedSinkProvider implements SinkProvider {
  final Map<String, Long> deliveredNanos = new ConcurrentHashMap<>();
  private final SinkProvider real;

  TimedSinkProvider(SinkProvider real) {
    this.real = real;
  }

  @Override
  public void validate(Map<String, String> config) {
    real.validate(config);
  }

  @Override
  public Sink open(SinkTarget target) throws Exception {
    Sink sink = real.open(target);
    return new Sink() {
      @Override
      public void deliver(DeliveryBatch batch) throws Exception {
        sink.deliver(batch);
        long now = System.nanoTime();
        for (StoredEvent e : batch.events()) {
          deliveredNanos.putIfAbsent(e.event().eventId(), now);
        }
      }

      @Override
      public void close() {
        sink.close();
      }
    };
  }
}
