package org.opentrail.source.minio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One MinIO audit entry as {@link AuditEntryReader} read it, credentials already redacted. The
 * format is MinIO's {@code audit.Entry} (github.com/minio/madmin-go {@code logger/audit/entry.go};
 * before 2023 {@code internal/logger/message/audit/entry.go} in minio/minio), documented in
 * minio/minio {@code docs/logging/README.md} ("Audit Targets"):
 *
 * <pre>
 * version, deploymentid, siteName, time (RFC 3339 with nanoseconds), event, type, trigger,
 * api {name, bucket, object, objects [{objectName, versionId}], status, statusCode, rx, tx,
 *      txHeaders, timeToFirstByte, timeToFirstByteInNS, timeToResponse, timeToResponseInNS},
 * remotehost, requestID, userAgent, requestPath, requestHost, requestNode, requestClaims,
 * requestQuery, requestHeader, responseHeader, tags, accessKey, parentUser, error
 * </pre>
 *
 * Strings MinIO leaves out ({@code omitempty}) or sends empty are {@code null} here. Fields this
 * reader does not know are kept in {@link #extra} (top level) and {@link #apiExtra}, in order.
 */
final class AuditEntry {
  /** The position of the entry in its body, from 0 (for messages). */
  int index;

  /** The first thing wrong with the entry, or {@code null} if it can be recorded. */
  String problem;

  String version;
  String deploymentId;
  String time;
  String event;
  String trigger;
  String remoteHost;
  String requestId;
  String userAgent;
  String requestPath;
  String requestHost;
  String requestNode;
  String accessKey;
  String parentUser;
  String error;

  String apiName;
  String bucket;
  String object;

  /** {@code api.objects}: {@code {objectName, versionId}} maps, or {@code null}. */
  List<Map<String, Object>> objects;

  String status;

  /** {@code api.statusCode}, or 0 if absent (MinIO omits a zero code). */
  int statusCode;

  Map<String, Object> requestClaims;
  Map<String, Object> requestQuery;
  Map<String, Object> requestHeader;
  Map<String, Object> responseHeader;

  /** The {@code api} fields other than name, bucket, object and objects, as sent. */
  final Map<String, Object> apiExtra = new LinkedHashMap<>();

  /** Top-level fields in additionalEventData as sent: everything not mapped elsewhere. */
  final Map<String, Object> extra = new LinkedHashMap<>();

  /** The raw size of the entry in the body, in bytes. */
  long rawBytes;

  /** Records the first problem; later ones are dropped (one reason per entry). */
  void problem(String what) {
    if (problem == null) {
      problem = what;
    }
  }

  /**
   * The operation MinIO did by itself rather than for a client: {@code trigger} (or, where it is
   * empty, {@code event}) is set and is not {@code incoming}. Entries older than MinIO's {@code
   * trigger} field (added in July 2021) were all client requests.
   */
  boolean serviceInternal() {
    String t = triggerValue();
    return t != null && !t.equals("incoming");
  }

  /**
   * {@code trigger}, else {@code event}, trimmed ({@code " ilm:transition"} carries a leading space
   * in MinIO's source), or {@code null}.
   */
  String triggerValue() {
    String t = trigger != null ? trigger.strip() : null;
    if (t == null || t.isEmpty()) {
      t = event != null ? event.strip() : null;
    }
    return t == null || t.isEmpty() ? null : t;
  }

  /** The object's response header, ignoring case, or {@code null}. */
  String responseHeader(String name) {
    if (responseHeader == null) {
      return null;
    }
    Object v = responseHeader.get(name);
    if (v == null) {
      for (Map.Entry<String, Object> e : responseHeader.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          v = e.getValue();
          break;
        }
      }
    }
    return v instanceof String s && !s.isEmpty() ? s : null;
  }
}
