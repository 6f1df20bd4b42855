package org.opentrail.logservice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authenticator;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.internal.apicommon.AuditIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(LogAudit.class);
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{1,64}");
  private static final int MAX_VALUE = 1024;

  private final EventRecorder recorder;
  private final Authenticator authenticator;
  private final IdentityService identities;
  private final String region;

  LogAudit(
      EventRecorder recorder,
      Authenticator authenticator,
      IdentityService identities,
      String region) {
    this.recorder = recorder;
    this.authenticator = authenticator;
    this.identities = identities;
    this.region = region;
  }

  /**
   * Records one call.
   *
   * @param error why it failed (in Log Service's words), or {@code null} if it succeeded
   */
  void record(LogRequest r, OpenTrailException error) {
    String account = null;
    try {
      account = account(r);
      RecordResult result = recorder.record(account, List.of(Event.of(event(r, error))));
      if (result.rejected() > 0) {
        LOG.error(
            "The audit event of Log Service request {} was refused: {}",
            r.requestId,
            result.outcomes().get(0).errorMessage());
      }
    } catch (RuntimeException e) {
      LOG.error(
          "The audit event of Log Service request {} (account {}) could not be recorded",
          r.requestId,
          account,
          e);
    }
  }

  private String account(LogRequest r) {
    if (r.principal != null) {
      return r.principal.accountId();
    }
    String key = r.accessKeyId();
    Optional<String> owner =
        key != null && TOKEN.matcher(key).matches()
            ? authenticator.accountOf(key)
            : Optional.empty();
    return owner.orElseGet(identities::defaultAccountId);
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
