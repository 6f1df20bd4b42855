package org.opentrail.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.RecordResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happens in the console as ActionTrail records its own console: every sign-in,
 * successful or not, as eventType and eventName {@code ConsoleSignin} (serviceName {@code AasSub}
 * for a RAM user, {@code additionalEventData.loginAccount}), as in ActionTrail's "Logon events of
 * RAM users"; every change, and every refusal, as eventType {@code ConsoleOperation} with the
 * eventName of the API operation it stands for. Never a password.
 */
final class ConsoleAudit {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleAudit.class);

  /** Where a request came from, for the event. */
  record Origin(String sourceIp, String userAgent, String requestId) {}

  private final EventRecorder recorder;
  private final String region;

  ConsoleAudit(EventRecorder recorder, String region) {
    this.recorder = recorder;
    this.region = region;
  }

  /**
   * A sign-in ({@code ConsoleSignin}) or sign-out ({@code ConsoleSignout}, as Account Logon names
   * it).
   *
   * @param eventName {@code ConsoleSignin} or {@code ConsoleSignout}
   * @param account the account it is filed under (the named one if it exists, else the default)
   * @param userName the user named (clipped), {@code root} for the root identity, or {@code null}
   * @param root whether the root identity signed in (with its access key)
   * @param accessKeyId the access key signed in with (checked to be one), or {@code null}
   * @param loginAccount the sign-in name as typed (clipped and made printable)
   * @param error why it failed, or {@code null}
   */
  void signin(
      String eventName,
      String account,
      String userName,
      boolean root,
      String loginAccount,
      String accessKeyId,
      Origin origin,
      OpenTrailException error) {
    Map<String, Object> e = base("ConsoleSignin", eventName, null, origin);
    // ActionTrail: AasSub for a RAM user's sign-in, AasCustomer for the account's own
    e.put(EventFields.SERVICE_NAME, root ? "AasCustomer" : "AasSub");
    e.put(EventFields.EVENT_SOURCE, "signin.opentrail");
    Map<String, Object> id = new LinkedHashMap<>();
    id.put(
        EventFields.IDENTITY_TYPE,
        root ? "root-account" : userName != null ? "ram-user" : "unknown");
    id.put(EventFields.IDENTITY_ACCOUNT_ID, account);
    if (root) {
      id.put(EventFields.IDENTITY_PRINCIPAL_ID, account);
    }
    if (accessKeyId != null) {
      id.put(EventFields.IDENTITY_ACCESS_KEY_ID, accessKeyId);
    }
    if (userName != null) {
      id.put(EventFields.IDENTITY_USER_NAME, userName);
    }
    e.put(EventFields.USER_IDENTITY, id);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("loginAccount", loginAccount);
    extra.put("mfaChecked", "false");
    e.put(EventFields.ADDITIONAL_EVENT_DATA, extra);
    error(e, error);
    record(account, e);
  }

  /**
   * A change made in the console, or a page or action refused.
   *
   * @param eventName the API operation it stands for, e.g. {@code CreateTrail}
   * @param write whether it changes anything
   * @param resourceType e.g. {@code ACS::ActionTrail::Trail}, or {@code null}
   * @param resourceName the resource, or {@code null}
   * @param parameters what was asked (no secret)
   */
  void operation(
      Principal p,
      String eventName,
      boolean write,
      String resourceType,
      String resourceName,
      Map<String, Object> parameters,
      Origin origin,
      OpenTrailException error) {
    operation(
        "actiontrail", p, eventName, write, resourceType, resourceName, parameters, origin, error);
  }

  /**
   * A change made in the console to another service's resource ({@code ram}: a user's own console
   * password), as {@link #operation(Principal, String, boolean, String, String, Map, Origin,
   * OpenTrailException)}.
   */
  void operation(
      String service,
      Principal p,
      String eventName,
      boolean write,
      String resourceType,
      String resourceName,
      Map<String, Object> parameters,
      Origin origin,
      OpenTrailException error) {
    Map<String, Object> e =
        base("ConsoleOperation", eventName, write ? EventFields.WRITE : EventFields.READ, origin);
    e.put(EventFields.SERVICE_NAME, service);
    e.put(EventFields.EVENT_SOURCE, service + ".console.opentrail");
    Map<String, Object> id = new LinkedHashMap<>();
    id.put(EventFields.IDENTITY_TYPE, p.identityType());
    id.put(EventFields.IDENTITY_ACCOUNT_ID, p.accountId());
    id.put(EventFields.IDENTITY_USER_NAME, p.userName() == null ? "root" : p.userName());
    if (p.accessKeyId() != null) {
      id.put(EventFields.IDENTITY_ACCESS_KEY_ID, p.accessKeyId());
    }
    id.put("arn", p.arn());
    e.put(EventFields.USER_IDENTITY, id);
    e.put(EventFields.REQUEST_PARAMETERS, parameters == null ? Map.of() : parameters);
    if (resourceType != null && resourceName != null) {
      e.put(EventFields.RESOURCE_TYPE, resourceType);
      e.put(EventFields.RESOURCE_NAME, Text.clip(resourceName, 256));
    }
    error(e, error);
    record(p.accountId(), e);
  }

  private Map<String, Object> base(String type, String name, String rw, Origin origin) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put(EventFields.EVENT_VERSION, "1");
    e.put(EventFields.EVENT_TYPE, type);
    e.put(EventFields.EVENT_CATEGORY, "Management");
    e.put(EventFields.EVENT_NAME, name);
    if (rw != null) {
      e.put(EventFields.EVENT_RW, rw);
    }
    e.put(EventFields.ACS_REGION, region);
    e.put(EventFields.REQUEST_ID, origin.requestId());
    e.put(EventFields.SOURCE_IP_ADDRESS, origin.sourceIp());
    e.put(EventFields.USER_AGENT, Text.clip(origin.userAgent(), 512));
    return e;
  }

  private static void error(Map<String, Object> e, OpenTrailException error) {
    if (error != null) {
      e.put(EventFields.ERROR_CODE, error.code());
      e.put(
          EventFields.ERROR_MESSAGE,
          Text.clip(
              org.opentrail.api.trail.DestinationSpec.redactSecrets(
                  error.getMessage() == null ? "" : error.getMessage()),
              1024));
    }
  }

  private void record(String account, Map<String, Object> e) {
    try {
      RecordResult r = recorder.record(account, List.of(Event.of(e)));
      if (r.rejected() > 0) {
        LOG.error(
            "The console event {} was refused: {}",
            e.get(EventFields.REQUEST_ID),
            r.outcomes().get(0).errorMessage());
      }
    } catch (RuntimeException x) {
      LOG.error("The console event {} could not be recorded", e.get(EventFields.REQUEST_ID), x);
    }
  }
}
