package org.opentrail.source.minio;

import static org.opentrail.api.event.EventFields.*;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;

/**
 * Turns a read {@link AuditEntry} into an ActionTrail event (field by field in the bundle's README
 * table): eventName from {@code api.name} (for service-internal entries without one, the trigger),
 * eventRW and eventCategory from {@link ApiNames}, the bucket and object as {@code
 * ACS::OSS::Bucket} / {@code ACS::OSS::Object} ({@code <bucket>/<object>}), the identity from
 * {@code accessKey}, {@code parentUser} and {@code requestClaims}, errors only for {@code
 * statusCode >= 400}. Whatever is not mapped stays in requestParameters, responseElements or
 * additionalEventData as MinIO sent it (credentials redacted), so nothing is dropped; what is
 * absent stays absent.
 */
final class MinioEvents {
  static final String SERVICE = "MinIO";
  static final String BUCKET = "ACS::OSS::Bucket";
  static final String OBJECT = "ACS::OSS::Object";

  /** Most characters of object names in referencedResources (at most 255 names, too). */
  static final int MAX_REFERENCED_CHARS = 32 << 10;

  /** Entries this large (raw bytes) are measured after mapping and trimmed if need be. */
  static final int LARGE_ENTRY = 160 << 10;

  private MinioEvents() {}

  /** The event of an entry, or {@code null} with {@link AuditEntry#problem} set. */
  static Event build(AuditEntry e) {
    if (e.problem != null) {
      return null;
    }
    EntryTime time;
    try {
      time = EntryTime.parse(e.time);
    } catch (DateTimeException notATime) {
      e.problem("time is not an RFC 3339 time with a zone");
      return null;
    }
    boolean internal = e.serviceInternal();
    String trigger = e.triggerValue();
    String name = e.apiName != null ? e.apiName : internal ? trigger : null;
    if (name == null) {
      e.problem("it names no operation (api.name is empty)");
      return null;
    }
    int kind = ApiNames.kind(name);
    boolean read = (kind & ApiNames.READ) != 0 || (internal && trigger.startsWith("scanner:"));

    Map<String, Object> ev = new LinkedHashMap<>(32);
    ev.put(EVENT_ID, EventIds.of(e, time.epochMillis()));
    ev.put(EVENT_VERSION, "1");
    ev.put(EVENT_TIME, time.eventTime());
    ev.put(EVENT_NAME, name);
    ev.put(EVENT_RW, read ? READ : WRITE);
    ev.put(EVENT_TYPE, internal ? "AliyunServiceEvent" : "ApiCall");
    ev.put(EVENT_CATEGORY, (kind & ApiNames.DATA) != 0 ? "Data" : "Management");
    putIf(ev, EVENT_SOURCE, e.requestHost);
    ev.put(SERVICE_NAME, SERVICE);
    putIf(ev, REQUEST_ID, e.requestId);
    putIf(ev, SOURCE_IP_ADDRESS, ip(e.remoteHost));
    putIf(ev, USER_AGENT, e.userAgent);
    Map<String, Object> notes = new LinkedHashMap<>(2);
    ev.put(USER_IDENTITY, MinioIdentity.of(e, internal, notes));
    resources(e, ev);
    errors(e, internal, ev);
    Map<String, Object> params = new LinkedHashMap<>();
    putIf(params, "bucket", e.bucket);
    putIf(params, "object", e.object);
    if (e.objects != null && !e.objects.isEmpty()) {
      params.put("objects", e.objects);
    }
    putIf(params, "requestPath", e.requestPath);
    putIf(params, "requestQuery", e.requestQuery);
    putIf(params, "requestHeader", e.requestHeader);
    if (!params.isEmpty()) {
      ev.put(REQUEST_PARAMETERS, params);
    }
    putIf(ev, RESPONSE_ELEMENTS, e.responseHeader);
    Map<String, Object> additional = new LinkedHashMap<>();
    additional.put("version", e.version);
    putIf(additional, "deploymentid", e.deploymentId);
    additional.put("time", e.time);
    additional.putAll(e.extra);
    if (!e.apiExtra.isEmpty()) {
      additional.put("api", e.apiExtra);
    }
    putIf(additional, "requestClaims", e.requestClaims);
    additional.putAll(notes);
    ev.put(ADDITIONAL_EVENT_DATA, additional);
    Event event = Event.of(ev);
    return e.rawBytes > LARGE_ENTRY ? EventSize.fit(event, ev, internal) : event;
  }

  /** The bucket and object as resourceType/resourceName and referencedResources. */
  private static void resources(AuditEntry e, Map<String, Object> ev) {
    String bucket = e.bucket;
    if (bucket == null) {
      return;
    }
    String object = e.object;
    if (object == null && e.objects != null && e.objects.size() == 1) {
      object = nonEmpty(e.objects.get(0).get("objectName"));
    }
    Map<String, Object> refs = new LinkedHashMap<>(4);
    refs.put(BUCKET, List.of(bucket));
    String path = object == null ? null : bucket + "/" + object;
    if (path != null && path.length() <= LookupKey.MAX_VALUE_LENGTH) {
      ev.put(RESOURCE_TYPE, OBJECT);
      ev.put(RESOURCE_NAME, path);
      refs.put(OBJECT, List.of(path));
    } else {
      ev.put(RESOURCE_TYPE, BUCKET);
      ev.put(RESOURCE_NAME, bucket);
      List<String> objects = new ArrayList<>();
      if (e.objects != null) {
        int chars = 0;
        for (Map<String, Object> o : e.objects) {
          String n = nonEmpty(o.get("objectName"));
          String p = n == null ? null : bucket + "/" + n;
          if (p != null && p.length() <= LookupKey.MAX_VALUE_LENGTH) {
            chars += p.length();
            if (objects.size() == LookupKey.MAX_VALUES - 1 || chars > MAX_REFERENCED_CHARS) {
              break; // the rest are in requestParameters.objects, not looked up
            }
            objects.add(p);
          }
        }
      }
      if (!objects.isEmpty()) {
        refs.put(OBJECT, objects);
      }
    }
    ev.put(REFERENCED_RESOURCES, refs);
  }

  /**
   * Failures: a client request with {@code statusCode >= 400} (errorCode MinIO's S3 error code when
   * its {@code X-Minio-Error-Code} response header names it, else the status code; errorMessage
   * {@code X-Minio-Error-Desc}, else the status text); a service-internal operation with an {@code
   * error} or the status {@code FAILED} (errorCode {@code FAILED}, errorMessage the error).
   */
  private static void errors(AuditEntry e, boolean internal, Map<String, Object> ev) {
    if (e.statusCode > 0 || !internal) {
      if (e.statusCode >= 400) {
        String code = e.responseHeader("X-Minio-Error-Code");
        ev.put(ERROR_CODE, code != null ? code : Integer.toString(e.statusCode));
        String desc = unquote(e.responseHeader("X-Minio-Error-Desc"));
        putIf(ev, ERROR_MESSAGE, desc != null ? desc : e.status);
      }
    } else if (e.error != null || "FAILED".equalsIgnoreCase(e.status)) {
      ev.put(ERROR_CODE, "FAILED");
      putIf(ev, ERROR_MESSAGE, e.error);
    }
  }

  /** MinIO writes IPv6 addresses in brackets ({@code handlers.GetSourceIP}); ActionTrail not. */
  static String ip(String remoteHost) {
    if (remoteHost != null
        && remoteHost.length() > 2
        && remoteHost.charAt(0) == '['
        && remoteHost.charAt(remoteHost.length() - 1) == ']') {
      return remoteHost.substring(1, remoteHost.length() - 1);
    }
    return remoteHost;
  }

  private static String unquote(String s) {
    if (s != null && s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nonEmpty(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : null;
  }

  static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
