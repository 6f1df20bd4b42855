package org.opentrail.source.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.LookupKey;

/**
 * One audit entry (an <a
 * href="https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event">audit.k8s.io/v1
 * Event</a>, as the reader left it) as an ActionTrail event. The field mapping is the table in
 * {@link KubernetesTranslator}; resources and names are made in {@link Resources}, the identity in
 * {@link Identities}, the id and time in {@link AuditStamps}, redaction in {@link Redaction}.
 */
final class AuditEntries {
  /** Where a kept object is dropped again: the event would come near the recorder's limit. */
  static final int MAX_EVENT_BYTES = EventRecorder.MAX_EVENT_BYTES - 4096;

  /** Entries whose JSON is smaller than this cannot make an event near the limit. */
  static final int SMALL_ENTRY_BYTES = 64 << 10;

  /** Longest requestURI kept (the whole one goes into the eventId). */
  static final int MAX_URI = 8192;

  /** The fields of an entry this class maps; any other is kept in additionalEventData. */
  static final Set<String> KNOWN =
      Set.of(
          "kind",
          "apiVersion",
          "level",
          "auditID",
          "stage",
          "requestURI",
          "verb",
          "user",
          "impersonatedUser",
          "sourceIPs",
          "userAgent",
          "objectRef",
          "responseStatus",
          "requestObject",
          "responseObject",
          "requestReceivedTimestamp",
          "stageTimestamp",
          "annotations");

  private AuditEntries() {}

  /** The mapped event, and whether it is a service-internal operation. */
  record Mapped(Event event, boolean internal) {}

  /**
   * Maps one entry whose {@code auditID}, {@code stage} and {@code verb} are non-blank strings.
   *
   * @param idStage {@code null} for a final stage, else the stage (see {@link AuditStamps#eventId})
   * @param rawBytes the entry's size in the body
   * @throws IllegalArgumentException for a malformed entry, with what is wrong
   */
  static Mapped map(
      Map<String, Object> e, String idStage, long rawBytes, KubernetesOptions options) {
    String auditId = (String) e.get("auditID");
    String stage = (String) e.get("stage");
    String verb = (String) e.get("verb");
    String uri = optionalString(e, "requestURI");
    Map<String, Object> user = optionalObject(e, "user");
    Object impersonated = optionalObject(e, "impersonatedUser");
    String username = user == null ? null : optionalString(user, "username");
    String received = optionalString(e, "requestReceivedTimestamp");
    String stageAt = optionalString(e, "stageTimestamp");
    Map<String, Object> objectRef = optionalObject(e, "objectRef");
    Map<String, Object> status = optionalObject(e, "responseStatus");
    Integer code = status != null && status.get("code") instanceof Number n ? n.intValue() : null;

    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("eventId", AuditStamps.eventId(auditId, received, verb, uri, username, idStage));
    ev.put("eventVersion", "1");
    String time = received != null ? received : stageAt;
    if (time != null) {
      ev.put("eventTime", AuditStamps.wholeSeconds(time));
    }
    if (stageAt != null && received != null) {
      AuditStamps.wholeSeconds(stageAt); // checked: a malformed stageTimestamp is a bad entry
    }
    Resources r = Resources.of(objectRef);
    ev.put("eventName", lookupValue(verb + " " + (r != null ? r.operand() : path(uri))));
    ev.put("eventRW", isRead(verb) ? "Read" : "Write");
    ev.put("eventType", "ApiCall");
    ev.put("eventCategory", "Management");
    ev.put("eventSource", "kubernetes/" + options.instance());
    ev.put("serviceName", KubernetesSource.SERVICE_NAME);
    ev.put("requestId", auditId);
    if (r != null && r.apiVersion() != null) {
      ev.put("apiVersion", r.apiVersion());
    }
    List<?> ips = e.get("sourceIPs") instanceof List<?> l ? l : null;
    if (ips != null && !ips.isEmpty() && ips.get(0) instanceof String ip) {
      ev.put("sourceIpAddress", ip);
    }
    String agent = optionalString(e, "userAgent");
    if (agent != null) {
      ev.put("userAgent", agent);
    }
    ev.put("userIdentity", Identities.userIdentity(user, impersonated));
    if (r != null) {
      r.putInto(ev);
    }

    Map<String, Object> omitted = new LinkedHashMap<>();
    boolean secrets = r != null && r.isCoreSecrets();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("verb", verb);
    if (uri != null) {
      params.put("requestURI", Redaction.requestUri(clip(uri, MAX_URI)));
    }
    if (objectRef != null) {
      params.put("objectRef", objectRef);
    }
    RequestContent.keepObject(e, "requestObject", params, omitted, options, secrets);
    ev.put("requestParameters", params);
    Map<String, Object> response = new LinkedHashMap<>();
    if (status != null) {
      Map<String, Object> s = new LinkedHashMap<>(status);
      if (s.get("metadata") instanceof Map<?, ?> meta && meta.isEmpty()) {
        s.remove("metadata");
      }
      response.put("responseStatus", s);
    }
    RequestContent.keepObject(e, "responseObject", response, omitted, options, secrets);
    if (!response.isEmpty()) {
      ev.put("responseElements", response);
    }
    if (code != null && code >= 400) {
      String reason = optionalString(status, "reason");
      ev.put("errorCode", reason != null && !reason.isBlank() ? reason : Integer.toString(code));
      String message = optionalString(status, "message");
      if (message != null && !message.isBlank()) {
        ev.put("errorMessage", message);
      }
    } else if (code == null && "Panic".equals(stage)) {
      ev.put("errorCode", "Panic");
    }

    Map<String, Object> more = new LinkedHashMap<>();
    more.put("auditID", auditId);
    putIfPresent(more, "auditLevel", e.get("level"));
    more.put("stage", stage);
    putIfPresent(more, "requestReceivedTimestamp", received);
    putIfPresent(more, "stageTimestamp", stageAt);
    putIfPresent(more, "sourceIPs", ips);
    Map<String, Object> annotations =
        RequestContent.annotations(e, options.keepObjects(), secrets, omitted);
    putIfPresent(more, "annotations", annotations);
    for (Map.Entry<String, Object> f : e.entrySet()) {
      if (!KNOWN.contains(f.getKey())) {
        more.put(f.getKey(), f.getValue());
      }
    }
    if (!omitted.isEmpty()) {
      more.put("omitted", omitted);
    }
    ev.put("additionalEventData", more);

    boolean internal =
        options.isInternalUser(username)
            && impersonated == null
            && (code == null || (code != 401 && code != 403));
    Event event = Event.of(ev);
    if (rawBytes >= SMALL_ENTRY_BYTES) {
      event = Shrink.toLimit(event, ev, params, response, more, omitted);
    }
    return new Mapped(event, internal);
  }

  /**
   * Read: the verbs that cannot change anything, {@code get}, {@code list}, {@code watch} (<a
   * href="https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb">request
   * verbs</a>), and {@code head}, {@code options} (the lower-cased HTTP methods of non-resource
   * requests). Everything else is Write, including verbs that grant or use authority ({@code
   * impersonate}, {@code bind}, {@code escalate}, {@code approve}, {@code sign}) and verbs no
   * Kubernetes version defines yet: a Write-only trail must never miss a change.
   */
  static boolean isRead(String verb) {
    return switch (verb) {
      case "get", "list", "watch", "head", "options" -> true;
      default -> false;
    };
  }

  /** The path of a non-resource request ({@code /healthz}), without its query. */
  private static String path(String uri) {
    if (uri == null) {
      return "-";
    }
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** {@code s}, shortened to fit a lookup attribute ({@link LookupKey#MAX_VALUE_LENGTH}). */
  static String lookupValue(String s) {
    return clip(s, LookupKey.MAX_VALUE_LENGTH);
  }

  static String clip(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    String mark = "...(" + s.length() + " chars)";
    return s.substring(0, max - mark.length()) + mark;
  }

  private static void putIfPresent(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static String optionalString(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new IllegalArgumentException(key + " must be a string");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> optionalObject(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof Map<?, ?>) {
      return (Map<String, Object>) v;
    }
    throw new IllegalArgumentException(key + " must be an object");
  }
}
