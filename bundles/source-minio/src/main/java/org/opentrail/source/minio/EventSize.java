package org.opentrail.source.minio;

import static org.opentrail.api.event.EventFields.ADDITIONAL_EVENT_DATA;
import static org.opentrail.api.event.EventFields.REQUEST_PARAMETERS;
import static org.opentrail.api.event.EventFields.RESPONSE_ELEMENTS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventRecorder;

/**
 * Keeps an event from a very large entry within {@link EventRecorder#MAX_EVENT_BYTES}, which the
 * recorder would otherwise refuse whole: a {@code DeleteMultipleObjects} entry names up to 1,000
 * objects of up to 1,024 bytes each, and MinIO logs every request header. Parts are dropped in this
 * order until the event fits, each named in {@code additionalEventData.truncated}: the response
 * headers, the request headers, {@code tags}, the object list (its length stays as {@code
 * requestParameters.objectsOmitted}), the claims. The operation, its identity, resource, outcome
 * and ids are never dropped. A service-internal event counts its additionalEventData twice (the
 * inner trail stores it again as {@code EventAdditionalDetail}).
 */
final class EventSize {
  /** What an event may use, leaving room for what the recorder adds (recordedBy, account...). */
  static final int BUDGET = EventRecorder.MAX_EVENT_BYTES - (16 << 10);

  private EventSize() {}

  /** The event, or a smaller one built from {@code fields} (changed in place) if it is too big. */
  @SuppressWarnings("unchecked")
  static Event fit(Event event, Map<String, Object> fields, boolean internal) {
    if (size(event, fields, internal) <= BUDGET) {
      return event;
    }
    Map<String, Object> params = (Map<String, Object>) fields.get(REQUEST_PARAMETERS);
    Map<String, Object> additional = (Map<String, Object>) fields.get(ADDITIONAL_EVENT_DATA);
    List<String> dropped = new ArrayList<>();
    for (int step = 0; step < 5; step++) {
      String what = drop(step, fields, params, additional);
      if (what == null) {
        continue;
      }
      dropped.add(what);
      additional.put("truncated", List.copyOf(dropped));
      event = Event.of(fields);
      if (size(event, fields, internal) <= BUDGET) {
        return event;
      }
    }
    return event; // still too large: the recorder refuses it and says why
  }

  private static String drop(
      int step,
      Map<String, Object> fields,
      Map<String, Object> params,
      Map<String, Object> additional) {
    switch (step) {
      case 0:
        return fields.remove(RESPONSE_ELEMENTS) != null ? RESPONSE_ELEMENTS : null;
      case 1:
        return params != null && params.remove("requestHeader") != null
            ? REQUEST_PARAMETERS + ".requestHeader"
            : null;
      case 2:
        return additional.remove("tags") != null ? ADDITIONAL_EVENT_DATA + ".tags" : null;
      case 3:
        if (params != null && params.get("objects") instanceof List<?> objects) {
          params.remove("objects");
          params.put("objectsOmitted", objects.size());
          return REQUEST_PARAMETERS + ".objects";
        }
        return null;
      default:
        return additional.remove("requestClaims") != null
            ? ADDITIONAL_EVENT_DATA + ".requestClaims"
            : null;
    }
  }

  private static long size(Event event, Map<String, Object> fields, boolean internal) {
    long size = event.jsonSize();
    if (internal) {
      size += EventJson.write(fields.get(ADDITIONAL_EVENT_DATA)).length;
    }
    return size;
  }
}
