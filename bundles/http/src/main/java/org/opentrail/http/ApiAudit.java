package org.opentrail.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authenticator;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.internal.apicommon.AuditIdentity;
import org.opentrail.internal.apicommon.CallAudit;

/**
 * Records every API call, allowed, refused or failed, as an ActionTrail event in the history of the
 * account it concerns: the caller's, else the account of the access key it named, else the default
 * account. The event carries the operation, who called (never a secret or a signature), from where,
 * the business parameters (large ones by size only) and the error, if any. It is recorded before
 * the call is answered.
 */
final class ApiAudit {

  private static final Pattern TOKEN = CallAudit.TOKEN;

  private static final int MAX_RESOURCE_NAME = 256;

  private final CallAudit calls;

  ApiAudit(EventRecorder recorder, Authenticator authenticator, IdentityService identities) {
    this.calls = new CallAudit(recorder, authenticator, identities, "request");
  }

  /**
   * Records one call.
   *
   * @param op the operation called, or {@code null} if the action is unknown
   * @param error why it failed, or {@code null} if it succeeded
   */
  void record(ApiRequest r, Operation op, OpenTrailException error) {
    calls.record(r.requestId, r.principal, r.accessKeyId(), () -> event(r, op, error));
  }

  private Map<String, Object> event(ApiRequest r, Operation op, OpenTrailException error) {
    String action = r.params.get("Action");
    Map<String, Object> e = new LinkedHashMap<>();
    e.put(EventFields.EVENT_VERSION, "1");
    e.put(EventFields.EVENT_TYPE, "ApiCall");
    e.put(EventFields.EVENT_CATEGORY, "Management");
    e.put(
        EventFields.EVENT_NAME,
        op != null
            ? op.name()
            : action != null && TOKEN.matcher(action).matches() ? action : "InvalidAction");
    e.put(EventFields.EVENT_RW, op != null && op.write() ? EventFields.WRITE : EventFields.READ);
    String service = op != null ? op.service() : "actiontrail";
    e.put(EventFields.SERVICE_NAME, service);
    e.put(EventFields.EVENT_SOURCE, service + ".opentrail");
    if (op != null) {
      e.put(EventFields.API_VERSION, op.version());
    }
    e.put(EventFields.REQUEST_ID, r.requestId);
    e.put(EventFields.SOURCE_IP_ADDRESS, r.sourceIp);
    e.put(EventFields.USER_AGENT, r.userAgent);
    e.put(EventFields.USER_IDENTITY, identity(r));
    Map<String, Object> parameters =
        r.auditParameters(op != null ? op.bulky() : java.util.Set.of());
    if (r.jsonBody != null) {
      parameters.put("(body)", "(" + r.jsonBody.length + " bytes of JSON)");
    }
    if (r.auditNote != null) {
      parameters.put("(outcome)", r.auditNote);
    }
    e.put(EventFields.REQUEST_PARAMETERS, parameters);
    if (op != null && op.resourceType() != null) {
      String name = op.resourceName(r);
      if (name != null) {
        e.put(EventFields.RESOURCE_TYPE, op.resourceType());
        e.put(EventFields.RESOURCE_NAME, FormCodec.printable(name, MAX_RESOURCE_NAME));
      }
    }
    if (error != null) {
      e.put(EventFields.ERROR_CODE, error.code());
      e.put(
          EventFields.ERROR_MESSAGE,
          ApiRequest.clip(
              error.getMessage() == null
                  ? ""
                  : org.opentrail.api.trail.DestinationSpec.redactSecrets(error.getMessage())));
    }
    return e;
  }

  private static Map<String, Object> identity(ApiRequest r) {
    String key = r.principal == null ? r.accessKeyId() : null;
    return AuditIdentity.of(r.principal, key == null ? null : FormCodec.printable(key));
  }
}
