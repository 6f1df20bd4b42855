package org.opentrail.logsearch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.IndexConfig.FieldType;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.Logstores;

/**
 * How an event looks as a log of its logstore, and the default index configurations.
 *
 * <p>In an {@code actiontrail_*} logstore a log is what Log Service shows for ActionTrail (its "Log
 * fields" page for ActionTrail): {@code __topic__} = {@code actiontrail_audit_event} and the event
 * under {@code event}, so fields are addressed as {@code event.eventName}, {@code
 * event.userIdentity.userName}, ... On the history and in {@code innertrail_*} logstores a log is
 * the event itself, its fields addressed as stored ({@code eventName}, {@code
 * userIdentity.userName}).
 */
final class LogFields {
  /** Log Service's topic of ActionTrail's logs. */
  static final String TOPIC = "__topic__";

  static final String TOPIC_VALUE = "actiontrail_audit_event";
  static final String EVENT_PREFIX = "event.";

  /** ActionTrail's fields indexed by default, with their types (eventTime as epoch millis). */
  private static final Map<String, FieldType> ACTIONTRAIL = new LinkedHashMap<>();

  static {
    for (String f :
        List.of(
            "eventId",
            "eventVersion",
            "eventName",
            "eventRW",
            "eventType",
            "eventCategory",
            "eventSource",
            "serviceName",
            "acsRegion",
            "apiVersion",
            "requestId",
            "sourceIpAddress",
            "resourceType",
            "resourceName",
            "recipientAccountId",
            "errorCode",
            "isGlobal",
            "userIdentity.type",
            "userIdentity.userName",
            "userIdentity.accessKeyId",
            "userIdentity.principalId",
            "userIdentity.accountId")) {
      ACTIONTRAIL.put(f, FieldType.KEYWORD);
    }
    ACTIONTRAIL.put("userAgent", FieldType.TEXT);
    ACTIONTRAIL.put("errorMessage", FieldType.TEXT);
    ACTIONTRAIL.put("eventTime", FieldType.LONG);
  }

  private LogFields() {}

  /** Whether the stream's logs are ActionTrail's logs as Log Service shows them. */
  static boolean trailLayout(String stream) {
    return stream.startsWith(Logstores.TRAIL_PREFIX);
  }

  /** The configuration a stream's index starts with. */
  static IndexConfig defaults(String stream) {
    Map<String, FieldType> fields = new LinkedHashMap<>();
    if (trailLayout(stream)) {
      fields.put(TOPIC, FieldType.KEYWORD);
      ACTIONTRAIL.forEach((k, v) -> fields.put(EVENT_PREFIX + k, v));
    } else {
      fields.putAll(ACTIONTRAIL);
    }
    return new IndexConfig(true, fields);
  }

  /** Whether a stream is searched per account (the history holds every account's events). */
  static boolean shared(String stream) {
    return EventStore.HISTORY.equals(stream);
  }

  /**
   * The values of a field of an event as a log of the stream: none if absent, several for a list;
   * maps are left out (index their fields by name instead).
   */
  static List<Object> values(String stream, Event event, String field) {
    String path = field;
    if (trailLayout(stream)) {
      if (TOPIC.equals(field)) {
        return List.of(TOPIC_VALUE);
      }
      if (!field.startsWith(EVENT_PREFIX)) {
        return List.of();
      }
      path = field.substring(EVENT_PREFIX.length());
    }
    if ("eventTime".equals(path)) {
      long t = event.eventTimeMillis();
      return List.of(t);
    }
    Object v = event.fields();
    for (String part : path.split("\\.", -1)) {
      if (!(v instanceof Map<?, ?> m)) {
        return List.of();
      }
      v = m.get(part);
    }
    if (v == null || v instanceof Map<?, ?>) {
      return List.of();
    }
    if (v instanceof List<?> list) {
      return list.stream()
          .filter(x -> x != null && !(x instanceof Map<?, ?>))
          .map(x -> (Object) x)
          .toList();
    }
    return List.of(v);
  }
}
