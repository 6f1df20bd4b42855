package org.opentrail.sink.logstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

class LogstoreSinkTest {
  static final String A = "1234567890123456";
  @TempDir Path dir;

  @Test
  void deliversIntoAReadOnlyLogstoreOncePerEvent() throws Exception {
    EmbeddedEventStore store =
        new EmbeddedEventStore(
            dir, Converters.standardConverter().convert(Map.of()).to(StoreConfig.class));
    try {
      LogstoreSinkProvider p = new LogstoreSinkProvider(store);
      p.validate(Map.of("retentionDays", "180"));
      Sink sink = p.open(new SinkTarget(A, "my-trail", "logstore", Map.of("retentionDays", "180")));
      List<StoredEvent> events = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        events.add(
            new StoredEvent(
                i,
                System.currentTimeMillis(),
                Event.of(
                    Map.of(
                        "eventId",
                        "ev-" + i,
                        "eventTime",
                        Instant.now().toString(),
                        "recipientAccountId",
                        A,
                        "eventName",
                        "X",
                        "eventRW",
                        "Write"))));
      }
      DeliveryBatch batch = new DeliveryBatch("1-20", 1, 20, events);
      sink.deliver(batch);
      sink.deliver(batch);
      var info = store.stream("actiontrail_my-trail").orElseThrow();
      assertEquals(20, info.eventCount(), "a redelivered batch adds nothing");
      assertEquals(180, info.spec().retentionDays());
      assertTrue(info.spec().writeProtected());
      assertTrue(store.find("actiontrail_my-trail", A, "ev-7").isPresent());
      assertTrue(
          store.find("history", A, "ev-7").isEmpty(), "the logstore is separate from the history");
    } finally {
      store.close();
    }
  }

  @Test
  void refusesUnknownKeysAndBadRetention() {
    LogstoreSinkProvider p = new LogstoreSinkProvider(null);
    assertEquals(
        "ttl",
        assertThrows(InvalidParameterException.class, () -> p.validate(Map.of("ttl", "1")))
            .parameter());
    for (String bad : new String[] {"0", "-5", "3651", "ten", ""}) {
      assertEquals(
          "retentionDays",
          assertThrows(
                  InvalidParameterException.class, () -> p.validate(Map.of("retentionDays", bad)))
              .parameter(),
          bad);
    }
  }
}
