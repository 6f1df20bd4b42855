package org.opentrail.consume;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.Logstores;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/** The real embedded store and events for the tests. */
final class Fixture {
  static final String A = "1234567890123456";
  static final String B = "6543210987654321";
  static final String LOGSTORE = "actiontrail_audit";

  private Fixture() {}

  static EmbeddedEventStore store(Path dir, Map<String, Object> overrides) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>(overrides);
    m.putIfAbsent("index.refresh.millis", 20);
    return new EmbeddedEventStore(
        dir, Converters.standardConverter().convert(m).to(StoreConfig.class));
  }

  /** Creates the account's logstore; answers its store stream. */
  static String logstore(EmbeddedEventStore store, String account, int retentionDays) {
    String stream = Logstores.stream(account, LOGSTORE);
    store.createStream(new StreamSpec(stream, retentionDays, true));
    return stream;
  }

  static Event event(String account, Instant time, int padding) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventId", UUID.randomUUID().toString());
    e.put("eventVersion", "1");
    e.put("eventTime", time.toString());
    e.put("eventName", "PutObject");
    e.put("eventRW", "Write");
    e.put("eventType", "ApiCall");
    e.put("serviceName", "Oss");
    e.put("acsRegion", "cn-hangzhou");
    e.put("recipientAccountId", account);
    e.put("userIdentity", Map.of("type", "ram-user", "userName", "alice", "accountId", account));
    e.put("requestParameters", Map.of("Padding", "x".repeat(padding)));
    return Event.of(e);
  }

  /** {@code n} events a second apart from {@code start}, appended; answers their eventIds. */
  static List<String> append(
      EmbeddedEventStore store, String stream, String account, Instant start, int n, int padding) {
    List<Event> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      events.add(event(account, start.plusSeconds(i), padding));
    }
    store.append(stream, events);
    return events.stream().map(Event::eventId).toList();
  }
}
