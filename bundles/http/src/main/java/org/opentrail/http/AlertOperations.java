package org.opentrail.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.alert.AlertService;
import org.opentrail.api.alert.AlertState;
import org.opentrail.api.alert.CreatedRule;
import org.opentrail.api.alert.Evaluation;
import org.opentrail.api.alert.PendingWebhook;

/**
 * Alert rules over the API, as OpenTrail RPC operations in ActionTrail's style (Log Service's own
 * alert API is not offered): CreateAlertRule, UpdateAlertRule, DeleteAlertRule, DescribeAlertRules,
 * SilenceAlertRule and EvaluateAlertRule, each authorized as {@code actiontrail:<Operation>} on
 * {@code acs:actiontrail:<region>:<account>:alertrule/<Name>} ({@code alertrule/*} for
 * DescribeAlertRules without a Name); those that show what a rule found (Create, Update, Describe,
 * Evaluate) also need {@code actiontrail:LookupEvents}, since a rule's counts, conditions and
 * sample eventIds tell what its logstore holds. Parameters: {@code Name}, {@code LogStoreName},
 * {@code Query}, {@code IntervalMinutes}, {@code WindowMinutes}, {@code Condition}, {@code
 * Severity}, {@code WebhookUrl}, {@code RepeatIntervalMinutes}; UpdateAlertRule changes only those
 * given ({@code RemoveWebhook=true} drops the webhook). The webhook's signing secret is in
 * CreateAlertRule's answer only ({@code WebhookSecret}); audit events never hold it. Rule checks
 * are the alert service's, so the API refuses exactly what {@code alert:create} refuses.
 */
final class AlertOperations {
  static final String TYPE = "ACS::OpenTrail::AlertRule";
  private static final int MAX_QUERY = 4096;
  private static final int MAX_CONDITION = 512;
  private static final int MAX_URL = 2048;
  private static final int LISTED_EVALUATIONS = 10;

  /**
   * The alert service's bounds (those of {@code alert:create}), checked here too so that an error
   * names the parameter the caller gave, not the service's field.
   */
  private static final int MAX_INTERVAL = 1440;

  private static final int MAX_WINDOW = 10080;

  private final Supplier<AlertService> alerts;

  AlertOperations(Supplier<AlertService> alerts) {
    this.alerts = alerts;
  }

  private static Operation.Builder op(String name) {
    return Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, name);
  }

  private static final String[] RULE =
      new String[] {
        "Name",
        "LogStoreName",
        "Query",
        "IntervalMinutes",
        "WindowMinutes",
        "Condition",
        "Severity",
        "WebhookUrl",
        "RepeatIntervalMinutes"
      };

  List<Operation> operations() {
    return List.of(
        op("CreateAlertRule")
            .readsEvents()
            .write()
            .parameters(RULE)
            .resource("alertrule", "Name", TYPE)
            .handler(this::create),
        op("UpdateAlertRule")
            .readsEvents()
            .write()
            .parameters(concat(RULE, "RemoveWebhook"))
            .resource("alertrule", "Name", TYPE)
            .handler(this::update),
        op("DeleteAlertRule")
            .write()
            .parameters("Name")
            .resource("alertrule", "Name", TYPE)
            .handler(
                r -> {
                  service().delete(r.account(), r.required("Name"));
                  return Map.of();
                }),
        op("DescribeAlertRules")
            .readsEvents()
            .parameters("Name")
            .resource("alertrule", "Name", TYPE)
            .handler(this::describe),
        op("SilenceAlertRule")
            .write()
            .parameters("Name", "StartTime", "EndTime")
            .resource("alertrule", "Name", TYPE)
            .handler(this::silence),
        op("EvaluateAlertRule")
            .readsEvents()
            .write() // moves the rule's state and may notify
            .parameters("Name")
            .resource("alertrule", "Name", TYPE)
            .handler(
                r ->
                    Map.of(
                        "Evaluation",
                        evaluation(service().evaluate(r.account(), r.required("Name"))))));
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }

  private AlertService service() {
    AlertService s = alerts.get();
    if (s == null) {
      throw new OpenTrailException(
          "ServiceUnavailable",
          "Alert rules need the alerts feature, which is not installed on this server.",
          503);
    }
    return s;
  }

  private Map<String, Object> create(ApiRequest r) {
    CreatedRule c =
        service()
            .create(
                r.account(),
                new AlertRule(
                    r.required("Name"),
                    r.required("LogStoreName"),
                    text(r, "Query", MAX_QUERY, "*"),
                    minutes(r, "IntervalMinutes", MAX_INTERVAL, 5),
                    minutes(r, "WindowMinutes", MAX_WINDOW, 15),
                    text(r, "Condition", MAX_CONDITION, null),
                    text(r, "Severity", 16, "medium"),
                    text(r, "WebhookUrl", MAX_URL, null),
                    minutes(r, "RepeatIntervalMinutes", MAX_WINDOW, 60)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("AlertRule", rule(c.rule()));
    if (c.webhookSecret() != null) {
      m.put("WebhookSecret", c.webhookSecret());
    }
    return m;
  }

  private Map<String, Object> update(ApiRequest r) {
    AlertService s = service();
    AlertRule old = s.state(r.account(), r.required("Name")).rule();
    Boolean remove = r.bool("RemoveWebhook");
    if (Boolean.TRUE.equals(remove) && r.optional("WebhookUrl") != null) {
      throw new InvalidParameterException(
          "RemoveWebhook", "Give either WebhookUrl or RemoveWebhook=true, not both.");
    }
    AlertRule changed =
        new AlertRule(
            old.name(),
            text(r, "LogStoreName", 128, old.logstore()),
            text(r, "Query", MAX_QUERY, old.query()),
            minutes(r, "IntervalMinutes", MAX_INTERVAL, old.everyMinutes()),
            minutes(r, "WindowMinutes", MAX_WINDOW, old.lastMinutes()),
            text(r, "Condition", MAX_CONDITION, old.condition()),
            text(r, "Severity", 16, old.severity()),
            Boolean.TRUE.equals(remove) ? null : text(r, "WebhookUrl", MAX_URL, old.webhookUrl()),
            minutes(r, "RepeatIntervalMinutes", MAX_WINDOW, old.repeatIntervalMinutes()));
    AlertRule stored = changed.equals(old) ? old : s.update(r.account(), changed);
    return Map.of("AlertRule", rule(stored));
  }

  private Map<String, Object> describe(ApiRequest r) {
    AlertService s = service();
    String name = r.optional("Name");
    List<Object> out = new ArrayList<>();
    if (name != null) {
      out.add(state(s.state(r.account(), name), Evaluation.HISTORY));
    } else {
      for (AlertRule rule : s.list(r.account())) {
        out.add(state(s.state(r.account(), rule.name()), LISTED_EVALUATIONS));
      }
    }
    return Map.of("AlertRules", out);
  }

  private Map<String, Object> silence(ApiRequest r) {
    Instant start = Times.parse(r, "StartTime", Instant.now());
    if (r.optional("EndTime") == null) {
      throw InvalidParameterException.missing("EndTime");
    }
    Instant end = Times.parse(r, "EndTime", null);
    AlertState s = service().silence(r.account(), r.required("Name"), start, end);
    return Map.of("AlertRule", state(s, 0));
  }

  /** A text parameter of at most {@code max} characters, or {@code orElse} when absent. */
  private static String text(ApiRequest r, String name, int max, String orElse) {
    String v = r.optional(name);
    if (v == null) {
      return orElse;
    }
    if (v.length() > max) {
      throw new InvalidParameterException(
          name,
          "The parameter " + name + " is at most " + max + " characters, not " + v.length() + ".");
    }
    return v;
  }

  /** A number of minutes from 1 to {@code max}, or {@code orElse} when absent. */
  private static int minutes(ApiRequest r, String name, int max, int orElse) {
    Long n = r.number(name, 1, max);
    return n == null ? orElse : n.intValue();
  }

  static Map<String, Object> rule(AlertRule r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", r.name());
    m.put("LogStoreName", r.logstore());
    m.put("Query", r.query());
    m.put("IntervalMinutes", r.everyMinutes());
    m.put("WindowMinutes", r.lastMinutes());
    m.put("Condition", r.condition());
    m.put("Severity", r.severity());
    m.put("WebhookUrl", r.webhookUrl());
    m.put("RepeatIntervalMinutes", r.repeatIntervalMinutes());
    return m;
  }

  private static Map<String, Object> state(AlertState s, int evaluations) {
    Map<String, Object> m = rule(s.rule());
    m.put("Status", s.status());
    m.put("FiringSince", Times.format(s.firingSince()));
    m.put("LastNotified", Times.format(s.lastNotified()));
    m.put("SilenceStartTime", Times.format(s.silenceFrom()));
    m.put("SilenceEndTime", Times.format(s.silenceTo()));
    m.put("LastError", s.lastError());
    PendingWebhook p = s.webhook();
    if (p != null) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("State", p.state());
      w.put("NotifiedTime", Times.format(p.notified()));
      w.put("Attempts", p.attempts());
      w.put("NextAttemptTime", Times.format(p.nextAttempt()));
      w.put("LastError", p.lastError());
      m.put("PendingWebhook", w);
    }
    if (evaluations > 0) {
      m.put(
          "Evaluations",
          s.history().stream().limit(evaluations).map(AlertOperations::evaluation).toList());
    }
    return m;
  }

  private static Map<String, Object> evaluation(Evaluation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Time", Times.format(e.time()));
    m.put("WindowStartTime", Times.format(e.from()));
    m.put("WindowEndTime", Times.format(e.to()));
    m.put("Count", e.count());
    m.put("Complete", e.complete());
    m.put("Outcome", e.outcome());
    m.put("Notification", e.notification());
    m.put("Error", e.error());
    return m;
  }
}
