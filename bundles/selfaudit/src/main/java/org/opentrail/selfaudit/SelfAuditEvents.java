package org.opentrail.selfaudit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happens to the platform itself as ActionTrail events of service {@code OpenTrail} in
 * the installation's default account: {@code eventType} {@value #OPERATOR} for a command an
 * operator ran, {@value #PLATFORM} for what the platform did or saw (a bundle installed, a
 * configuration changed, a start or a stop). Times are whole seconds. A failure to record is
 * logged, never thrown: the command or change it describes has happened already.
 */
final class SelfAuditEvents {
  static final String OPERATOR = "OperatorCommand";
  static final String PLATFORM = "PlatformEvent";
  private static final Logger LOG = LoggerFactory.getLogger(SelfAuditEvents.class);
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(secret|password|passwd|token|credential|private|key\\.data).*");
  static final String REDACTED = "<redacted>";

  private final EventRecorder recorder;
  private final IdentityService identities;

  SelfAuditEvents(EventRecorder recorder, IdentityService identities) {
    this.recorder = recorder;
    this.identities = identities;
  }

  /** Whether a configuration key or option names a secret, whose value is never recorded. */
  static boolean secret(String key) {
    return SECRET.matcher(key).matches();
  }

  /**
   * Records one event.
   *
   * @param rw {@code Read} or {@code Write}
   * @param identity the userIdentity object
   * @param resourceType e.g. {@code ACS::OpenTrail::Bundle}, or {@code null}
   * @param error the error message, or {@code null} if it succeeded
   */
  void record(
      String type,
      String name,
      String rw,
      Map<String, Object> identity,
      String resourceType,
      String resourceName,
      Map<String, Object> parameters,
      String error) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put(EventFields.EVENT_VERSION, "1");
    e.put(EventFields.EVENT_TIME, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    e.put(EventFields.EVENT_TYPE, type);
    e.put(EventFields.EVENT_NAME, name);
    e.put(EventFields.EVENT_RW, rw);
    e.put(EventFields.SERVICE_NAME, "OpenTrail");
    e.put(EventFields.EVENT_SOURCE, "opentrail.local");
    e.put(EventFields.SOURCE_IP_ADDRESS, "Internal");
    e.put(EventFields.USER_IDENTITY, identity);
    if (resourceType != null && resourceName != null) {
      e.put(EventFields.RESOURCE_TYPE, resourceType);
      e.put(EventFields.RESOURCE_NAME, clip(resourceName, 256));
    }
    e.put(EventFields.REQUEST_PARAMETERS, parameters);
    if (error != null) {
      e.put(EventFields.ERROR_CODE, "Failed");
      e.put(EventFields.ERROR_MESSAGE, clip(error, 1024));
    }
    try {
      String account = identities.defaultAccountId();
      var r = recorder.record(account, List.of(Event.of(e)), Provenance.NONE);
      if (r.rejected() > 0) {
        LOG.error("The self-audit event {} was refused: {}", name, r.outcomes().get(0));
      }
    } catch (RuntimeException ex) {
      LOG.error("The self-audit event {} could not be recorded: {}", name, ex.toString());
    }
  }

  /** The platform itself as the actor. */
  static Map<String, Object> platform() {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put(EventFields.IDENTITY_TYPE, "system");
    id.put(EventFields.IDENTITY_USER_NAME, "opentrail");
    return id;
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
