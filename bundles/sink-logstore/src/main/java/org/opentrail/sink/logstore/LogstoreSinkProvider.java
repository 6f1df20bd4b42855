package org.opentrail.sink.logstore;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sink type {@code logstore}: ActionTrail's Log Service delivery onto the embedded store. Each
 * trail gets a logstore {@code actiontrail_<trail>} with its own retention, written only by
 * delivery (users look events up in it, {@code event:lookup --logstore actiontrail_<trail>}, but
 * cannot record into it). The store stores an (account, eventId) once, so a redelivered batch adds
 * nothing.
 */
@Component(service = SinkProvider.class, property = SinkProvider.TYPE + "=logstore")
public final class LogstoreSinkProvider implements SinkProvider {
  static final String RETENTION_DAYS = "retentionDays";
  static final String PROJECT = "project";
  private static final Set<String> KEYS = Set.of(RETENTION_DAYS, PROJECT);
  private static final int DEFAULT_RETENTION_DAYS = 90;

  private final EventStore store;

  @Activate
  public LogstoreSinkProvider(@Reference EventStore store) {
    this.store = store;
  }

  /** The logstore a trail delivers to. */
  public static String logstore(String trail) {
    return "actiontrail_" + trail;
  }

  @Override
  public void validate(Map<String, String> config) {
    for (String k : config.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InvalidParameterException(
            k,
            "The logstore sink has no configuration key '"
                + k
                + "'; its keys are retentionDays and project (SlsProjectArn).");
      }
    }
    retentionDays(config);
  }

  private static int retentionDays(Map<String, String> config) {
    String v = config.get(RETENTION_DAYS);
    if (v == null) {
      return DEFAULT_RETENTION_DAYS;
    }
    try {
      int days = Integer.parseInt(v.strip());
      if (days >= 1 && days <= 3650) {
        return days;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new InvalidParameterException(
        RETENTION_DAYS, "retentionDays is a whole number of days from 1 to 3650, not '" + v + "'.");
  }

  @Override
  public Sink open(SinkTarget target) {
    String name = logstore(target.trailName());
    store.createStream(new StreamSpec(name, retentionDays(target.config()), true));
    return new ReadableSink() {
      @Override
      public void deliver(DeliveryBatch batch) {
        store.append(name, batch.events().stream().map(StoredEvent::event).toList());
      }

      /** Reads the logstore back in sequence order (for store:repair of the history). */
      @Override
      public void readBack(Consumer<List<Event>> batches) {
        for (long after = 0; ; ) {
          List<StoredEvent> page = store.read(name, after, 5_000);
          if (page.isEmpty()) {
            return;
          }
          batches.accept(page.stream().map(StoredEvent::event).toList());
          after = page.get(page.size() - 1).sequence();
        }
      }

      @Override
      public void close() {}
    };
  }
}
