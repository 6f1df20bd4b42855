package org.opentrail.shell;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.alert.AlertService;
import org.opentrail.api.alert.AlertState;
import org.opentrail.api.alert.CreatedRule;
import org.opentrail.api.alert.Evaluation;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventJson;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code alert:*}: Log Service-style alert rules on a logstore or the history (a search every N
 * minutes over the last M, a condition, a severity, a signed webhook), their state and history,
 * silence windows and evaluation on demand. Present once the alerts feature is installed.
 */
@Component(
    service = AlertCommands.class,
    property = {
      "osgi.command.scope=alert",
      "osgi.command.function=create",
      "osgi.command.function=update",
      "osgi.command.function=list",
      "osgi.command.function=show",
      "osgi.command.function=delete",
      "osgi.command.function=silence",
      "osgi.command.function=evaluate"
    })
public final class AlertCommands {
  private final AlertService alerts;
  private final IdentityService identities;

  @Activate
  public AlertCommands(@Reference AlertService alerts, @Reference IdentityService identities) {
    this.alerts = alerts;
    this.identities = identities;
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  @Descriptor("Create an alert rule; a webhook's signing secret is shown this once")
  public String create(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history")
          @Parameter(
              names = {"--logstore"},
              absentValue = "")
          String logstore,
      @Descriptor("the Log Service search (default *)")
          @Parameter(
              names = {"--query"},
              absentValue = "*")
          String query,
      @Descriptor("evaluate every N minutes, 1 to 1440 (default 5)")
          @Parameter(
              names = {"--every"},
              absentValue = "5")
          int every,
      @Descriptor("over the last M minutes, 1 to 10080 (default 15)")
          @Parameter(
              names = {"--window"},
              absentValue = "15")
          int window,
      @Descriptor("count > n, count >= n, count < n, count <= n, count == n, or field == \"value\"")
          @Parameter(
              names = {"--condition"},
              absentValue = "")
          String condition,
      @Descriptor("critical, high, medium, low or report (default medium)")
          @Parameter(
              names = {"--severity"},
              absentValue = "medium")
          String severity,
      @Descriptor("http(s) URL on a host allowed in org.opentrail.alerts allowed.webhook.hosts")
          @Parameter(
              names = {"--webhook"},
              absentValue = "")
          String webhook,
      @Descriptor("while firing, notify at most once per N minutes (default 60)")
          @Parameter(
              names = {"--repeat"},
              absentValue = "60")
          int repeat,
      @Descriptor("the rule's name: lowercase letters, digits, - and _") String name) {
    CreatedRule c =
        alerts.create(
            account(account),
            new AlertRule(
                name,
                logstore.isEmpty() ? null : logstore,
                query,
                every,
                window,
                condition,
                severity,
                webhook.isEmpty() ? null : webhook,
                repeat));
    String out = "Alert rule " + c.rule().name() + " created.";
    if (c.webhookSecret() != null) {
      out +=
          "\nWebhook signing secret (shown only now; X-OpenTrail-Signature is sha256=<hex"
              + " HMAC-SHA256 of the body> with it): "
              + c.webhookSecret();
    }
    return out;
  }

  @Descriptor(
      "Change an alert rule: only the options given change; its state resets only when the"
          + " logstore, query or condition changes")
  public String update(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("a new logstore: actiontrail_<trail>, innertrail_<name> or history")
          @Parameter(
              names = {"--logstore"},
              absentValue = "")
          String logstore,
      @Descriptor("a new Log Service search")
          @Parameter(
              names = {"--query"},
              absentValue = "")
          String query,
      @Descriptor("evaluate every N minutes, 1 to 1440")
          @Parameter(
              names = {"--every"},
              absentValue = "0")
          int every,
      @Descriptor("over the last M minutes, 1 to 10080")
          @Parameter(
              names = {"--window"},
              absentValue = "0")
          int window,
      @Descriptor("count > n, count >= n, count < n, count <= n, count == n, or field == \"value\"")
          @Parameter(
              names = {"--condition"},
              absentValue = "")
          String condition,
      @Descriptor("critical, high, medium, low or report")
          @Parameter(
              names = {"--severity"},
              absentValue = "")
          String severity,
      @Descriptor("a new webhook URL (the secret is kept), or none to remove the webhook")
          @Parameter(
              names = {"--webhook"},
              absentValue = "")
          String webhook,
      @Descriptor("while firing, notify at most once per N minutes")
          @Parameter(
              names = {"--repeat"},
              absentValue = "0")
          int repeat,
      @Descriptor("silence from now for 30m, 2h, 1d, ...; 0s ends the silence")
          @Parameter(
              names = {"--silence"},
              absentValue = "")
          String silence,
      @Descriptor("the rule's name") String name) {
    String a = account(account);
    AlertRule r = alerts.state(a, name).rule();
    AlertRule changed =
        new AlertRule(
            name,
            logstore.isEmpty() ? r.logstore() : logstore,
            query.isEmpty() ? r.query() : query,
            every == 0 ? r.everyMinutes() : every,
            window == 0 ? r.lastMinutes() : window,
            condition.isEmpty() ? r.condition() : condition,
            severity.isEmpty() ? r.severity() : severity,
            webhook.isEmpty() ? r.webhookUrl() : webhook.equals("none") ? null : webhook,
            repeat == 0 ? r.repeatIntervalMinutes() : repeat);
    AlertRule stored = changed.equals(r) ? r : alerts.update(a, changed);
    String out = "Alert rule " + stored.name() + (changed.equals(r) ? " unchanged." : " updated.");
    if (!silence.isEmpty()) {
      Instant now = Instant.now();
      AlertState s = alerts.silence(a, name, now, now.plus(Durations.parse("--silence", silence)));
      out += s.silenceTo() == null ? " Not silenced." : " Silenced until " + s.silenceTo() + ".";
    }
    return out + "\nState: " + alerts.state(a, name).status() + ".";
  }

  @Descriptor("The account's alert rules and their states")
  public String list(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    Table t = new Table(60, "NAME", "LOGSTORE", "EVERY/WINDOW", "CONDITION", "SEVERITY", "STATE");
    int n = 0;
    for (AlertRule r : alerts.list(a)) {
      AlertState s = alerts.state(a, r.name());
      t.row(
          r.name(),
          r.logstore(),
          r.everyMinutes() + "m/" + r.lastMinutes() + "m",
          r.condition(),
          r.severity(),
          s.status()
              + (s.silenceTo() != null && s.silenceTo().isAfter(Instant.now())
                  ? " (silenced)"
                  : ""));
      n++;
    }
    return n == 0 ? "No alert rules." : t.toString().stripTrailing();
  }

  @Descriptor("An alert rule, its state and its recent evaluations, newest first")
  public String show(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("print the answer as JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json,
      @Descriptor("the rule's name") String name) {
    AlertState s = alerts.state(account(account), name);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      AlertRule r = s.rule();
      m.put("name", r.name());
      m.put("logstore", r.logstore());
      m.put("query", r.query());
      m.put("everyMinutes", r.everyMinutes());
      m.put("lastMinutes", r.lastMinutes());
      m.put("condition", r.condition());
      m.put("severity", r.severity());
      m.put("webhookUrl", r.webhookUrl());
      m.put("repeatIntervalMinutes", r.repeatIntervalMinutes());
      m.put("status", s.status());
      m.put("firingSince", str(s.firingSince()));
      m.put("lastNotified", str(s.lastNotified()));
      m.put("silenceFrom", str(s.silenceFrom()));
      m.put("silenceTo", str(s.silenceTo()));
      m.put("lastError", s.lastError());
      if (s.webhook() != null) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("state", s.webhook().state());
        w.put("notified", str(s.webhook().notified()));
        w.put("attempts", s.webhook().attempts());
        w.put("nextAttempt", str(s.webhook().nextAttempt()));
        w.put("lastError", s.webhook().lastError());
        m.put("pendingWebhook", w);
      }
      m.put("history", s.history().stream().map(AlertCommands::json).toList());
      return EventJson.toString(m);
    }
    AlertRule r = s.rule();
    StringBuilder b = new StringBuilder();
    b.append(r.name()).append(": ").append(r.logstore()).append(" \"").append(r.query());
    b.append("\" every ").append(r.everyMinutes()).append("m over the last ");
    b.append(r.lastMinutes()).append("m, ").append(r.condition()).append(", ");
    b.append(r.severity()).append(", repeat ").append(r.repeatIntervalMinutes()).append('m');
    b.append(r.webhookUrl() == null ? "" : ", webhook " + r.webhookUrl()).append('\n');
    b.append("state ").append(s.status());
    if (s.silenceTo() != null) {
      b.append(", silenced ").append(s.silenceFrom()).append(" to ").append(s.silenceTo());
    }
    if (s.lastError() != null) {
      b.append(", last error: ").append(s.lastError());
    }
    b.append('\n');
    if (s.webhook() != null) {
      b.append("webhook owes the ").append(s.webhook().state()).append(" notification of ");
      b.append(s.webhook().notified()).append(": ").append(s.webhook().attempts());
      b.append(" attempts, ");
      b.append(s.webhook().givenUp() ? "given up" : "next attempt at " + s.webhook().nextAttempt());
      b.append('\n');
    }
    Table t = new Table(80, "TIME", "COUNT", "OUTCOME", "NOTIFICATION");
    for (Evaluation e : s.history()) {
      t.row(
          e.time(),
          e.count() + (e.complete() ? "" : " (incomplete)"),
          e.outcome(),
          e.error() != null ? e.error() : e.notification());
    }
    return b + t.toString().stripTrailing();
  }

  private static Map<String, Object> json(Evaluation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time().toString());
    m.put("from", e.from().toString());
    m.put("to", e.to().toString());
    m.put("count", e.count());
    m.put("complete", e.complete());
    m.put("outcome", e.outcome());
    m.put("notification", e.notification());
    m.put("error", e.error());
    return m;
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  @Descriptor("Delete an alert rule with its state and history")
  public String delete(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the rule's name") String name) {
    alerts.delete(account(account), name);
    return "Alert rule " + name + " deleted.";
  }

  @Descriptor("Silence an alert rule from now: evaluated and recorded, nobody notified")
  public String silence(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("how long: 30m, 2h, 1d, ...; 0s ends the silence")
          @Parameter(
              names = {"--for"},
              absentValue = "")
          String duration,
      @Descriptor("the rule's name") String name) {
    if (duration.isEmpty()) {
      throw new IllegalArgumentException("alert:silence needs --for, e.g. --for 2h");
    }
    Instant now = Instant.now();
    AlertState s =
        alerts.silence(account(account), name, now, now.plus(Durations.parse("--for", duration)));
    return s.silenceTo() == null
        ? "Alert rule " + name + " is not silenced."
        : "Alert rule " + name + " silenced until " + s.silenceTo() + ".";
  }

  @Descriptor("Evaluate an alert rule now, notifying as a scheduled evaluation would")
  public String evaluate(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the rule's name") String name) {
    Evaluation e = alerts.evaluate(account(account), name);
    if (e.error() != null) {
      return name + ": error: " + e.error();
    }
    return name
        + ": count "
        + e.count()
        + (e.complete() ? "" : " (incomplete)")
        + ", "
        + e.outcome()
        + ", notification "
        + e.notification();
  }
}
