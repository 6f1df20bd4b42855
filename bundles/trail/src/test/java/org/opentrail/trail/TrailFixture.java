package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * A store, a recorder, trails with the memory sink type, and a delivery role that accounts in
 * {@link #granted} have granted (account {@link #A} at the start).
 */
abstract class TrailFixture {
  static final String A = "1234567890123456";
  @TempDir Path dir;
  EmbeddedEventStore store;
  EventRecorderService recorder;
  TrailManager trails;
  MemorySinkProvider mem = new MemorySinkProvider();
  final Set<String> granted = ConcurrentHashMap.newKeySet();
  final DeliveryRole role = granted::contains;

  static <T> T config(Class<T> type, Map<String, Object> m) {
    return Converters.standardConverter().convert(m).to(type);
  }

  @BeforeEach
  void open() throws Exception {
    store = new EmbeddedEventStore(dir.resolve("store"), config(StoreConfig.class, Map.of()));
    recorder = new EventRecorderService(store, config(RecorderConfig.class, Map.of()), "cn-test");
    granted.add(A);
    trails = openTrails();
    trails.bindDeliveryRole(role);
    trails.addSinkProvider("mem", mem);
  }

  /** Trails with no delivery role service bound (they deliver nothing until one is). */
  TrailManager openTrails() throws Exception {
    return new TrailManager(
        store,
        dir.resolve("trails"),
        config(
            TrailConfig.class,
            Map.of(
                "batch.linger.millis", 20, "retry.initial.millis", 100, "retry.max.millis", 400)));
  }

  @AfterEach
  void close() {
    trails.close();
    store.close();
  }

  List<String> record(int n, String rw) {
    return record(A, n, rw, "cn-test");
  }

  List<String> record(int n, String rw, String region) {
    return record(A, n, rw, region);
  }

  List<String> record(String account, int n, String rw, String region) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("eventName", "Read".equals(rw) ? "DescribeThings" : "ChangeThing");
      if (rw != null) {
        e.put("eventRW", rw); // none: as ActionTrail's ConsoleSignin
      }
      e.put("serviceName", "Svc");
      e.put("acsRegion", region);
      e.put("userIdentity", Map.of("type", "ram-user", "userName", "u" + i));
      events.add(Event.of(e));
    }
    return recorder.record(account, events).outcomes().stream().map(EventOutcome::eventId).toList();
  }

  static void await(BooleanSupplier c, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  DestinationStatus dest(String trail, String id) {
    return dest(A, trail, id);
  }

  DestinationStatus dest(String account, String trail, String id) {
    return trails.status(account, trail).destinations().stream()
        .filter(d -> d.id().equals(id))
        .findFirst()
        .orElseThrow();
  }
}
