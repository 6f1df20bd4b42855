package org.opentrail.sink.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.store.StoredEvent;

/** A mixed stream of ActionTrail events, with awkward content, numbered from 1. */
final class Events {
  private Events() {}

  static final String[] NAMES = {"PutObject", "GetObject", "ConsoleSignin", "DeleteBucket"};

  static StoredEvent event(long seq) {
    return event(seq, "123456789012");
  }

  /** Event {@code seq} as received by {@code account}: the same eventId in every account. */
  static StoredEvent event(long seq, String account) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("eventId", "e-" + seq + "-0a1b");
    f.put("eventVersion", "1");
    f.put("eventTime", Instant.ofEpochMilli(1_790_000_000_000L + seq * 1000).toString());
    f.put("eventName", NAMES[(int) (seq % NAMES.length)]);
    f.put("eventRW", seq % 3 == 0 ? "Read" : "Write");
    f.put("eventType", seq % 4 == 2 ? "ConsoleSignin" : "ApiCall");
    f.put("eventCategory", "Management");
    f.put("serviceName", seq % 2 == 0 ? "Oss" : "Ecs");
    f.put("acsRegion", "cn-hangzhou");
    f.put("sourceIpAddress", "10.0.0." + seq % 250);
    f.put("requestId", "req-" + seq);
    f.put("recipientAccountId", account);
    Map<String, Object> who = new LinkedHashMap<>();
    who.put("type", seq % 5 == 0 ? "root-account" : "ram-user");
    who.put("userName", "user-" + seq % 7 + (seq % 11 == 0 ? "\tTab\\Back\nNew\"Quote" : ""));
    who.put("accessKeyId", "LTAI" + seq % 13);
    f.put("userIdentity", who);
    if (seq % 9 == 0) {
      f.put("errorCode", "NoPermission");
      f.put("errorMessage", "denied \u00e9\u4e2d\u6587 \ud83d\ude00");
    }
    f.put("resourceType", "ACS::OSS::Bucket");
    f.put("resourceName", "bucket-" + seq % 17);
    f.put("requestParameters", Map.of("Key", "k\\" + seq, "Nul", seq % 23 == 0 ? "a\u0000b" : "x"));
    f.put("unknownVendorField", List.of(seq, true, 1.5));
    Event e = Event.of(f);
    return new StoredEvent(seq, e.eventTimeMillis(), e);
  }

  /** Events {@code from} to {@code to}, both included, as one batch. */
  static DeliveryBatch batch(long from, long to) {
    return batch(from, to, "123456789012");
  }

  /** Events {@code from} to {@code to} of {@code account}, both included, as one batch. */
  static DeliveryBatch batch(long from, long to, String account) {
    List<StoredEvent> list = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      list.add(event(s, account));
    }
    return new DeliveryBatch("b-" + from + "-" + to, from, to, list);
  }
}
