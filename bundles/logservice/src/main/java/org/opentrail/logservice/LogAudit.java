package org.opentrail.logservice;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authenticator;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.internal.apicommon.AuditIdentity;
import org.opentrail.internal.apicommon.CallAudit;

/**
 * Records every Log Service call, allowed, refused or failed, as an ActionTrail event in the
 * history of the account it concerns (the caller's, else the account of the access key it named,
 * else the default account), before it is answered: {@code eventName} the Log Service operation
 * ({@code ListLogStores}, {@code GetLogs}, ..., or {@code Unknown}), {@code serviceName} {@code
 * log}, {@code eventSource} {@value ConsumeOperations#EVENT_SOURCE}, the caller (never a secret or
 * signature), the project, logstore and query parameters (the query text cut to 1 KiB), the
 * outcome, and the error if any. Resource: {@code ACS::SLS::LogStore} {@code <project>/<logstore>}.
 */
final class LogAudit {
  private static final int MAX_VALUE = 1024;

  private final CallAudit calls;
  private final String region;

  LogAudit(
      EventRecorder recorder,
      Authenticator authenticator,
      IdentityService identities,
      String region) {
    this.calls = new CallAudit(recorder, authenticator, identities, "Log Service request");
    this.region = region;
  }

  /**
   * Records one call.
   *
   * @param error why it failed (in Log Service's words), or {@code null} if it succeeded
   */
  void record(LogRequest r, OpenTrailException error) {
    calls.record(r.requestId, r.principal, r.accessKeyId(), () -> event(r, error));
  }

  private Map<String, Object> event(LogRequest r, OpenTrailException error) {
    LogOperation op = r.route == null ? null : r.route.op();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put(EventFields.EVENT_VERSION, "1");
    e.put(EventFields.EVENT_TYPE, "ApiCall");
    e.put(EventFields.EVENT_CATEGORY, "Management");
    e.put(EventFields.EVENT_NAME, op == null ? "Unknown" : op.eventName);
    e.put(EventFields.EVENT_RW, op != null && op.write ? EventFields.WRITE : EventFields.READ);
    e.put(EventFields.SERVICE_NAME, "log");
    e.put(EventFields.EVENT_SOURCE, ConsumeOperations.EVENT_SOURCE);
    e.put(EventFields.ACS_REGION, region);
    e.put(EventFields.API_VERSION, "0.6.0");
    e.put(EventFields.REQUEST_ID, r.requestId);
    e.put(EventFields.SOURCE_IP_ADDRESS, r.sourceIp);
    e.put(EventFields.USER_AGENT, r.userAgent);
    String key = r.principal == null ? r.accessKeyId() : null;
    e.put(EventFields.USER_IDENTITY, AuditIdentity.of(r.principal, key));
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("method", LogRequest.printable(r.method, 16));
    parameters.put("path", LogRequest.printable(r.path, MAX_VALUE));
    if (r.project != null) {
      parameters.put("project", r.project);
    }
    r.query.forEach(
        (k, v) -> {
          if (parameters.size() < 40) {
            parameters.put(LogRequest.printable(k, 64), LogRequest.printable(v, MAX_VALUE));
          }
        });
    if (op == LogOperation.GET_LOGS && r.body.length > 0) {
      parameters.put(
          "(body)",
          LogRequest.printable(
              new String(r.body, java.nio.charset.StandardCharsets.UTF_8), MAX_VALUE));
    }
    if (r.auditNote != null) {
      parameters.put("(outcome)", r.auditNote);
    }
    e.put(EventFields.REQUEST_PARAMETERS, parameters);
    if (r.route != null && r.route.logstore() != null && r.project != null) {
      e.put(EventFields.RESOURCE_TYPE, "ACS::SLS::LogStore");
      e.put(EventFields.RESOURCE_NAME, r.project + "/" + r.route.logstore());
    }
    if (error != null) {
      e.put(EventFields.ERROR_CODE, error.code());
      String message = error.getMessage() == null ? "" : error.getMessage();
      e.put(
          EventFields.ERROR_MESSAGE,
          LogRequest.printable(DestinationSpec.redactSecrets(message), MAX_VALUE));
    }
    return e;
  }
}
