package org.opentrail.sink.opensearch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.store.StoredEvent;

/** A mixed stream of ActionTrail events, with free-form fields of clashing shapes. */
final class Events {
  private Events() {}

  /**
   * {@code n} events from sequence {@code first}, one second apart from {@code start}: reads and
   * writes of several services, requestParameters as an object, a string, an array, a number or
   * nested objects whose same key is a number in one event and an object in another, unknown
   * fields, session contexts, non-ASCII names.
   */
  static List<StoredEvent> mixed(long first, int n, Instant start) {
    List<StoredEvent> out = new ArrayList<>(n);
    String[] services = {"Oss", "Ecs", "Ram", "Sls", "Kms"};
    for (int i = 0; i < n; i++) {
      long seq = first + i;
      Instant t = start.plusSeconds(i);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("eventId", UUID.nameUUIDFromBytes(("e" + seq).getBytes()).toString());
      f.put("eventVersion", "1");
      f.put("recipientAccountId", "1234567890123456");
      f.put("eventTime", t.toString());
      f.put("eventName", i % 7 == 0 ? "ConsoleSignin" : "Put" + services[i % 5] + "Thing");
      f.put("eventRW", i % 2 == 0 ? "Write" : "Read");
      f.put("eventType", i % 7 == 0 ? "ConsoleSignin" : "ApiCall");
      f.put("eventCategory", "Management");
      f.put("serviceName", services[i % 5]);
      f.put("acsRegion", i % 3 == 0 ? "cn-hangzhou" : "eu-central-1");
      f.put("sourceIpAddress", i % 4 == 0 ? "internal" : "10.0.0." + (i % 250));
      f.put("userAgent", "aliyun-cli/3.0 (ü " + i + ")");
      f.put("resourceName", "objekt-ß-" + seq);
      f.put("isGlobal", i % 11 == 0);
      f.put("requestParameters", shape(i));
      f.put("responseElements", i % 2 == 0 ? Map.of("RequestId", "r" + seq) : List.of(1, "two"));
      f.put("additionalEventData", i % 3 == 0 ? "plain text" : Map.of("MFAUsed", i % 2 == 0));
      Map<String, Object> identity = new LinkedHashMap<>();
      identity.put("type", "ram-user");
      identity.put("userName", "user-" + (i % 13));
      identity.put("accessKeyId", "LTAI" + (i % 5));
      identity.put(
          "sessionContext",
          i % 2 == 0 ? Map.of("attributes", Map.of("mfaAuthenticated", "true")) : "none");
      f.put("userIdentity", identity);
      if (i % 5 == 0) {
        f.put("vendorExtra", i % 10 == 0 ? Map.of("deep", List.of(Map.of("x", 1))) : "flat");
      }
      out.add(new StoredEvent(seq, t.toEpochMilli(), Event.of(f)));
    }
    return out;
  }

  private static Object shape(int i) {
    return switch (i % 5) {
      case 0 -> Map.of("BucketName", "b" + i, "Size", i);
      case 1 -> "a string, not an object";
      case 2 -> List.of("a", Map.of("k", 1), 3);
      case 3 -> Map.of("BucketName", Map.of("nested", true));
      default -> i;
    };
  }

  /** One batch of events, keyed as the engine keys them: by its sequence range. */
  static DeliveryBatch batch(List<StoredEvent> events) {
    long a = events.get(0).sequence();
    long b = events.get(events.size() - 1).sequence();
    return new DeliveryBatch("b-" + a + "-" + b, a, b, events);
  }
}
