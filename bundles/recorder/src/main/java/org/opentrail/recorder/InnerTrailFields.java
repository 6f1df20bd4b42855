package org.opentrail.recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;

/**
 * The fields Inner-ActionTrail logs carry, added beside the event's own fields to a
 * service-internal operation (Alibaba Cloud, "Inner-ActionTrail log fields",
 * https://www.alibabacloud.com/help/doc-detail/139245.htm): {@code EventID, EventVersion (1.0.0),
 * EventProduct, EventName, EventDescription, EventType, EventMethod, ResourceType, ResourceID,
 * ResourceRegionID, ResourceOwnerID, EventAdditionalDetail, EventTime, EventLevel}.
 *
 * <p>{@code EventType} is {@code ALIYUN_INITIATED_SERVICE}, Inner-ActionTrail's value for
 * operations a service performs by itself (lifecycle, replication, healing), so saved queries on it
 * work. {@code EventMethod} is the read/write kind ({@code Write}, {@code Read}, or {@code Other}
 * when the event has none). {@code EventLevel} is {@code INFO}, or {@code WARNING} for a failed
 * operation. Absent event fields leave their Inner-ActionTrail field absent.
 */
final class InnerTrailFields {
  static final String VERSION = "1.0.0";
  static final String SERVICE_INITIATED = "ALIYUN_INITIATED_SERVICE";

  private InnerTrailFields() {}

  /** The Inner-ActionTrail fields of a normalized (complete) event of {@code accountId}. */
  static Map<String, Object> of(Event e, String accountId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("EventID", e.eventId());
    m.put("EventVersion", VERSION);
    put(m, "EventProduct", e.serviceName());
    put(m, "EventName", e.eventName());
    m.put("EventDescription", description(e));
    m.put("EventType", SERVICE_INITIATED);
    String rw = e.eventRW();
    m.put("EventMethod", rw == null ? "Other" : rw);
    put(m, "ResourceType", e.resourceType());
    put(m, "ResourceID", e.resourceName());
    put(m, "ResourceRegionID", e.acsRegion());
    m.put("ResourceOwnerID", accountId);
    Object detail = e.get(EventFields.ADDITIONAL_EVENT_DATA);
    if (detail != null) {
      m.put("EventAdditionalDetail", detail);
    }
    put(m, "EventTime", e.get(EventFields.EVENT_TIME) instanceof String t ? t : null);
    String error = e.get(EventFields.ERROR_CODE) instanceof String c ? c : null;
    m.put("EventLevel", error == null || error.isEmpty() ? "INFO" : "WARNING");
    return m;
  }

  private static String description(Event e) {
    StringBuilder b = new StringBuilder();
    b.append(e.serviceName()).append(' ').append(e.eventName());
    if (e.resourceName() != null) {
      b.append(" on ").append(e.resourceName());
    }
    Object agent = e.get(EventFields.USER_AGENT);
    if (agent instanceof String a && !a.isEmpty()) {
      b.append(" by ").append(a);
    }
    return b.toString();
  }

  private static void put(Map<String, Object> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
