package org.opentrail.logservice;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.trail.Logstores;

/**
 * How an event looks as a log of its logstore, as Log Service shows ActionTrail's logs (its "Log
 * fields" page for ActionTrail): in an {@code actiontrail_*} logstore a log has the topic {@code
 * actiontrail_audit_event} and one field {@code event}, the event's JSON; in the history and in
 * {@code innertrail_*} logstores a log has the event's top-level fields, strings as they are and
 * anything else (objects, numbers, booleans) as JSON text. Its time is the eventTime in Unix
 * seconds. The same shape answers GetLogs (JSON) and PullLogs (protobuf).
 */
final class LogShape {
  static final String TOPIC = "actiontrail_audit_event";
  private static final byte[] EVENT_KEY = "event".getBytes(StandardCharsets.UTF_8);

  private LogShape() {}

  /** The topic of the logstore's logs: ActionTrail's for a trail's logstore, else empty. */
  static String topic(String logstore) {
    return logstore.startsWith(Logstores.TRAIL_PREFIX) ? TOPIC : "";
  }

  /** The log's fields, in the event's order. */
  static Map<String, String> contents(String logstore, Event event) {
    Map<String, String> out = new LinkedHashMap<>();
    if (logstore.startsWith(Logstores.TRAIL_PREFIX)) {
      out.put("event", new String(event.toJson(), StandardCharsets.UTF_8));
      return out;
    }
    for (Map.Entry<String, Object> f : event.fields().entrySet()) {
      Object v = f.getValue();
      if (v == null) {
        continue;
      }
      out.put(f.getKey(), v instanceof String s ? s : EventJson.toString(v));
    }
    return out;
  }

  /**
   * The log's fields as UTF-8 key and value bytes, alternately ({@code [k0, v0, k1, v1, ...]}), for
   * the protobuf encoding: a trail log's {@code event} is the event's JSON bytes as they are.
   */
  static List<byte[]> contentBytes(String logstore, Event event) {
    List<byte[]> out = new ArrayList<>();
    if (logstore.startsWith(Logstores.TRAIL_PREFIX)) {
      out.add(EVENT_KEY);
      out.add(event.toJson());
      return out;
    }
    for (Map.Entry<String, String> f : contents(logstore, event).entrySet()) {
      out.add(f.getKey().getBytes(StandardCharsets.UTF_8));
      out.add(f.getValue().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The eventTime in Unix seconds. */
  static int time(long timeMillis) {
    return (int) Math.floorDiv(timeMillis, 1000L);
  }
}
