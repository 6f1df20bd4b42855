package org.opentrail.source.kubernetes;

import java.util.Map;
import org.opentrail.api.event.Event;

/**
 * Keeps a large entry's event under the recorder's size limit ({@link
 * org.opentrail.api.event.EventRecorder#MAX_EVENT_BYTES}) by dropping, in this order, what an
 * operator can best do without: the kept request and response objects, then annotations and unknown
 * fields. What was dropped is named in {@code additionalEventData.omitted}. The API server's own
 * webhook truncation does the same with the objects ({@code
 * --audit-webhook-truncate-max-event-size}, <a
 * href="https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#parameter-tuning">parameter
 * tuning</a>); this is the last line when it is off.
 */
final class Shrink {
  private Shrink() {}

  /**
   * {@code event}, or a smaller one built again from the same (mutable) field maps.
   *
   * @param fields the event's fields; {@code params}, {@code response} and {@code more} are its
   *     {@code requestParameters}, {@code responseElements} and {@code additionalEventData}
   */
  static Event toLimit(
      Event event,
      Map<String, Object> fields,
      Map<String, Object> params,
      Map<String, Object> response,
      Map<String, Object> more,
      Map<String, Object> omitted) {
    int size = event.jsonSize();
    if (size <= AuditEntries.MAX_EVENT_BYTES) {
      return event;
    }
    String why = "the event would be " + size + " bytes";
    boolean dropped = drop(params, "requestObject", omitted, why);
    dropped |= drop(response, "responseObject", omitted, why);
    if (response.isEmpty()) {
      fields.remove("responseElements");
    }
    if (dropped) {
      more.put("omitted", omitted);
      event = Event.of(fields);
      if (event.jsonSize() <= AuditEntries.MAX_EVENT_BYTES) {
        return event;
      }
    }
    more.keySet().removeIf(k -> !k.equals("omitted") && !isCore(k));
    omitted.put("additionalEventData", "annotations and unknown fields dropped: " + why);
    more.put("omitted", omitted);
    return Event.of(fields);
  }

  private static boolean isCore(String key) {
    return switch (key) {
      case "auditID",
          "auditLevel",
          "stage",
          "requestReceivedTimestamp",
          "stageTimestamp",
          "sourceIPs" ->
          true;
      default -> false;
    };
  }

  private static boolean drop(
      Map<String, Object> from, String key, Map<String, Object> omitted, String why) {
    if (from.remove(key) == null) {
      return false;
    }
    omitted.put(key, "too large: " + why);
    return true;
  }
}
