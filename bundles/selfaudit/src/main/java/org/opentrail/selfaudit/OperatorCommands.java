package org.opentrail.selfaudit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Records every shell command line that changes something (trails, identities, entitlements, the
 * store, inner trails, digest signing keys, recorded events, bundles, configuration) as an {@value
 * SelfAuditEvents#OPERATOR} event: who ran it (the OS user, and how they came in: the session
 * variable {@value #CHANNEL} the launcher sets, e.g. {@code local console} or {@code control
 * socket}), the line with secret values redacted, and whether it succeeded. Read-only commands
 * (lists, lookups, status) are not recorded. Gogo calls this for every line a session runs.
 */
@Component(service = CommandSessionListener.class)
public final class OperatorCommands implements CommandSessionListener {
  /** The session variable that says how the operator came in. */
  static final String CHANNEL = "opentrail.channel";

  private static final Set<String> READS =
      Set.of(
          "trail:list",
          "trail:status",
          "auth:accounts",
          "auth:users",
          "auth:keys",
          "auth:policies",
          "auth:policy",
          "auth:roles",
          "auth:entitlements",
          "store:status",
          "store:verify",
          "innertrail:describe",
          "innertrail:status",
          "proof:keys",
          "proof:verify");
  private static final Set<String> WRITE_SCOPES =
      Set.of("trail", "auth", "store", "innertrail", "proof", "cm");
  private static final Set<String> FELIX =
      Set.of("install", "start", "stop", "update", "uninstall", "refresh", "resolve");

  private final SelfAuditEvents events;

  @Activate
  public OperatorCommands(
      @Reference EventRecorder recorder, @Reference IdentityService identities) {
    this.events = new SelfAuditEvents(recorder, identities);
  }

  @Override
  public void beforeExecute(CommandSession session, CharSequence command) {}

  @Override
  public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    done(
        session,
        command,
        exception == null
            ? "failed"
            : org.opentrail.api.trail.DestinationSpec.redactSecrets(exception.toString()));
  }

  @Override
  public void afterExecute(CommandSession session, CharSequence command, Object result) {
    done(session, command, null);
  }

  private void done(CommandSession session, CharSequence command, String error) {
    List<String> changing = changingCommands(command.toString());
    if (changing.isEmpty()) {
      return;
    }
    Map<String, Object> id = new LinkedHashMap<>();
    id.put(EventFields.IDENTITY_TYPE, "local-operator");
    id.put(EventFields.IDENTITY_USER_NAME, System.getProperty("user.name", "unknown"));
    Object channel = session == null ? null : session.get(CHANNEL);
    id.put(
        EventFields.IDENTITY_SESSION_CONTEXT,
        Map.of("channel", channel == null ? "unknown" : channel.toString()));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("command", redact(command.toString()));
    params.put("commands", changing);
    events.record(
        SelfAuditEvents.OPERATOR,
        changing.get(0),
        EventFields.WRITE,
        id,
        "ACS::OpenTrail::Command",
        changing.get(0),
        params,
        error);
  }

  /** The state-changing commands of a line, as {@code scope:function}, in order. */
  static List<String> changingCommands(String line) {
    List<String> out = new ArrayList<>();
    for (String part : line.split("[;|\\n]")) {
      String[] words = part.strip().split("\\s+");
      if (words.length == 0 || words[0].isEmpty()) {
        continue;
      }
      String name = words[0];
      String scope = name.contains(":") ? name.substring(0, name.indexOf(':')) : "";
      String function = name.substring(name.indexOf(':') + 1);
      String full;
      if ((scope.isEmpty() || scope.equals("felix")) && FELIX.contains(function)) {
        full = "felix:" + function;
      } else if (WRITE_SCOPES.contains(scope) && !READS.contains(name)) {
        full = name;
      } else if (name.equals("event:record")) {
        full = name;
      } else {
        continue;
      }
      out.add(full);
    }
    return out;
  }

  /** The line with the value of every secret-looking {@code key=value} or option redacted. */
  static String redact(String line) {
    StringBuilder b = new StringBuilder();
    String[] words = line.split("(?<=\\s)|(?=\\s)");
    boolean nextIsSecret = false;
    for (String w : words) {
      if (w.isBlank()) {
        b.append(w);
        continue;
      }
      if (nextIsSecret) {
        b.append(SelfAuditEvents.REDACTED);
        nextIsSecret = false;
        continue;
      }
      int eq = w.indexOf('=');
      String key = eq > 0 ? w.substring(0, eq) : w;
      if (eq > 0 && SelfAuditEvents.secret(key.replaceAll("^[-'\"{,]+", ""))) {
        b.append(w, 0, eq + 1).append(SelfAuditEvents.REDACTED);
      } else if (w.startsWith("-") && SelfAuditEvents.secret(w)) {
        b.append(w);
        nextIsSecret = true;
      } else {
        b.append(w);
      }
    }
    // pairs inside destinations (s3:bucket=b,secretAccessKey=...), spaced pairs, URLs
    String r = org.opentrail.api.trail.DestinationSpec.redactSecrets(b.toString());
    return SelfAuditEvents.clip(r, 4096);
  }

  /**
   * {@code key = value} across the words of a line (a quoted destination with spaces around its
   * {@code =}), and {@code key=value} inside a URL's parameters.
   */
}
