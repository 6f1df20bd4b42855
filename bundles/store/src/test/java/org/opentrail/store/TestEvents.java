package org.opentrail.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.opentrail.api.event.Event;
import org.opentrail.store.journal.PreparedEvent;
import org.osgi.util.converter.Converters;

/** Events and configurations for store tests. */
public final class TestEvents {
  public static final String ACCOUNT = "1234567890123456";

  private TestEvents() {}

  /** A complete event as the recorder would hand it to the store. */
  public static Event event(
      String id, Instant time, String user, String name, String rw, String resource) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventId", id);
    e.put("eventVersion", "1");
    e.put("eventTime", time.toString());
    e.put("eventName", name);
    e.put("eventRW", rw);
    e.put("eventType", "ApiCall");
    e.put("serviceName", "Ecs");
    e.put("acsRegion", "cn-hangzhou");
    e.put("resourceType", "ACS::ECS::Instance");
    e.put("resourceName", resource);
    e.put("recipientAccountId", ACCOUNT);
    e.put(
        "userIdentity",
        Map.of(
            "type",
            "ram-user",
            "userName",
            user,
            "accessKeyId",
            "LTAI" + user,
            "accountId",
            ACCOUNT));
    e.put("requestParameters", Map.of("InstanceId", resource, "Padding", "x".repeat(200)));
    e.put("vendorField", List.of(1, 2, 3));
    return Event.of(e);
  }

  public static Event event(Instant time, String user) {
    return event(
        UUID.randomUUID().toString(), time, user, "DescribeInstances", "Read", "i-" + user);
  }

  public static PreparedEvent prepared(Event e) {
    return StreamStore.prepare(e);
  }

  /** A store configuration: the defaults with some keys (dotted names) overridden. */
  public static StoreConfig config(Map<String, Object> overrides) {
    Map<String, Object> m = new LinkedHashMap<>(overrides);
    return Converters.standardConverter().convert(m).to(StoreConfig.class);
  }
}
