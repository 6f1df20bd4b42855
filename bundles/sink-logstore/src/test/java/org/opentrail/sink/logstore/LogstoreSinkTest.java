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
      var info = store.stream("actiontrail_" + A + "_my-trail").orElseThrow();
      assertEquals(20, info.eventCount(), "a redelivered batch adds nothing");
      assertEquals(180, info.spec().retentionDays());
      assertTrue(info.spec().writeProtected());
      assertTrue(store.find("actiontrail_" + A + "_my-trail", A, "ev-7").isPresent());
      assertTrue(
          store.find("history", A, "ev-7").isEmpty(), "the logstore is separate from the history");
    } finally {
      store.close();
    }
  }

  /**
   * Issue 10: two accounts with a trail of the same name each get their own logstore with their own
   * retention, whichever creates it first, and a changed retention takes effect.
   */
  @Test
  void twoAccountsNeverShareALogstoreOrItsRetention() throws Exception {
    String b = "6543210987654321";
    EmbeddedEventStore store =
        new EmbeddedEventStore(
            dir, Converters.standardConverter().convert(Map.of()).to(StoreConfig.class));
    try {
      LogstoreSinkProvider p = new LogstoreSinkProvider(store);
      Sink sinkA =
          p.open(new SinkTarget(A, "shared-name", "logstore", Map.of("retentionDays", "1")));
      Sink sinkB =
          p.open(new SinkTarget(b, "shared-name", "logstore", Map.of("retentionDays", "90")));
      sinkA.deliver(batch(A, "a-", 3));
      sinkB.deliver(batch(b, "b-", 5));
      var a = store.stream("actiontrail_" + A + "_shared-name").orElseThrow();
      var bb = store.stream("actiontrail_" + b + "_shared-name").orElseThrow();
      assertEquals(1, a.spec().retentionDays());
      assertEquals(90, bb.spec().retentionDays());
      assertEquals(3, a.eventCount());
      assertEquals(5, bb.eventCount());
      assertTrue(store.find("actiontrail_" + b + "_shared-name", A, "a-1").isEmpty());
      // the destination's retention is changed: opening it again applies it
      p.open(new SinkTarget(A, "shared-name", "logstore", Map.of("retentionDays", "30")));
      assertEquals(
          30,
          store.stream("actiontrail_" + A + "_shared-name").orElseThrow().spec().retentionDays());
      assertEquals(
          "logstore://" + A + "/actiontrail_" + A + "_shared-name",
          p.resource(new SinkTarget(A, "shared-name", "logstore", Map.of())));
    } finally {
      store.close();
    }
  }

  @Test
  void anotherAccountsProjectNeedsItsRole() {
    LogstoreSinkProvider p = new LogstoreSinkProvider(null);
    String other = "acs:log:cn-hangzhou:6543210987654321:project/their-project";
    p.validate(Map.of("project", other));
    assertEquals(
        403,
        assertThrows(
                org.opentrail.api.OpenTrailException.class,
                () ->
                    p.resource(new SinkTarget(A, "my-trail", "logstore", Map.of("project", other))))
            .httpStatus());
    // even through a role of that account: the embedded logstore is read by its own account only,
    // which could never look another account's events up in it
    assertEquals(
        "InvalidParameter.CrossAccountLogstore",
        assertThrows(
                org.opentrail.api.OpenTrailException.class,
                () ->
                    p.resource(
                        new SinkTarget(
                            A,
                            "my-trail",
                            "logstore",
                            Map.of("project", other),
                            "6543210987654321")))
            .code());
    assertEquals(
        "SlsProjectArn",
        assertThrows(
                InvalidParameterException.class,
                () -> p.validate(Map.of("project", "acs:log:x:12:project/p")))
            .parameter());
  }

  private static DeliveryBatch batch(String account, String prefix, int n) {
    List<StoredEvent> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      events.add(
          new StoredEvent(
              i,
              System.currentTimeMillis(),
              Event.of(
                  Map.of(
                      "eventId",
                      prefix + i,
                      "eventTime",
                      Instant.now().toString(),
                      "recipientAccountId",
                      account,
                      "eventName",
                      "X",
                      "eventRW",
                      "Write"))));
    }
    return new DeliveryBatch("1-" + n, 1, n, events);
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
