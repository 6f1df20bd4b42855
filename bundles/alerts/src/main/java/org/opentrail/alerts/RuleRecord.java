package org.opentrail.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.alert.AlertState;
import org.opentrail.api.alert.Evaluation;
import org.opentrail.api.alert.PendingWebhook;

/**
 * Everything kept about one rule: its definition, its sealed webhook secret, its state and its
 * recent evaluations; stored as one JSON object by {@link RuleFiles}. Callers synchronize on the
 * record while they read or change it.
 */
final class RuleRecord {
  final String accountId;
  AlertRule rule;
  String sealedSecret;
  String status = Evaluation.OK;
  Instant firingSince;
  Instant lastNotified;
  Instant lastEvaluated;
  Instant silenceFrom;
  Instant silenceTo;
  String lastError;
  PendingWebhook pending;
  String pendingBody;
  int pendingRounds;
  final java.util.concurrent.atomic.AtomicBoolean queued =
      new java.util.concurrent.atomic.AtomicBoolean();
  final List<Evaluation> history = new ArrayList<>();

  RuleRecord(String accountId, AlertRule rule, String sealedSecret) {
    this.accountId = accountId;
    this.rule = rule;
    this.sealedSecret = sealedSecret;
  }

  boolean silenced(Instant now) {
    return silenceFrom != null
        && silenceTo != null
        && !now.isBefore(silenceFrom)
        && now.isBefore(silenceTo);
  }

  void add(Evaluation e) {
    history.add(0, e);
    while (history.size() > Evaluation.HISTORY) {
      history.remove(history.size() - 1);
    }
  }

  AlertState state() {
    return new AlertState(
        rule,
        status,
        firingSince,
        lastNotified,
        silenceFrom,
        silenceTo,
        lastError,
        history,
        pending);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accountId", accountId);
    m.put("name", rule.name());
    m.put("logstore", rule.logstore());
    m.put("query", rule.query());
    m.put("everyMinutes", rule.everyMinutes());
    m.put("lastMinutes", rule.lastMinutes());
    m.put("condition", rule.condition());
    m.put("severity", rule.severity());
    m.put("webhookUrl", rule.webhookUrl());
    m.put("repeatIntervalMinutes", rule.repeatIntervalMinutes());
    m.put("sealedSecret", sealedSecret);
    m.put("status", status);
    m.put("firingSince", str(firingSince));
    m.put("lastNotified", str(lastNotified));
    m.put("lastEvaluated", str(lastEvaluated));
    m.put("silenceFrom", str(silenceFrom));
    m.put("silenceTo", str(silenceTo));
    m.put("lastError", lastError);
    if (pending != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("state", pending.state());
      p.put("notified", str(pending.notified()));
      p.put("attempts", pending.attempts());
      p.put("nextAttempt", str(pending.nextAttempt()));
      p.put("lastError", pending.lastError());
      p.put("rounds", pendingRounds);
      p.put("body", pendingBody);
      m.put("pendingWebhook", p);
    }
    List<Object> h = new ArrayList<>();
    for (Evaluation e : history) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("time", e.time().toString());
      x.put("from", e.from().toString());
      x.put("to", e.to().toString());
      x.put("count", e.count());
      x.put("complete", e.complete());
      x.put("outcome", e.outcome());
      x.put("notification", e.notification());
      x.put("error", e.error());
      h.add(x);
    }
    m.put("history", h);
    return m;
  }

  @SuppressWarnings("unchecked")
  static RuleRecord fromJson(Map<String, Object> m) {
    AlertRule rule =
        new AlertRule(
            (String) m.get("name"),
            (String) m.get("logstore"),
            (String) m.get("query"),
            ((Number) m.get("everyMinutes")).intValue(),
            ((Number) m.get("lastMinutes")).intValue(),
            (String) m.get("condition"),
            (String) m.get("severity"),
            (String) m.get("webhookUrl"),
            ((Number) m.get("repeatIntervalMinutes")).intValue());
    RuleRecord r =
        new RuleRecord((String) m.get("accountId"), rule, (String) m.get("sealedSecret"));
    r.status = (String) m.get("status");
    r.firingSince = time(m.get("firingSince"));
    r.lastNotified = time(m.get("lastNotified"));
    r.lastEvaluated = time(m.get("lastEvaluated"));
    r.silenceFrom = time(m.get("silenceFrom"));
    r.silenceTo = time(m.get("silenceTo"));
    r.lastError = (String) m.get("lastError");
    if (m.get("pendingWebhook") instanceof Map<?, ?> p) {
      r.pending =
          new PendingWebhook(
              (String) p.get("state"),
              time(p.get("notified")),
              ((Number) p.get("attempts")).intValue(),
              time(p.get("nextAttempt")),
              (String) p.get("lastError"));
      r.pendingRounds = ((Number) p.get("rounds")).intValue();
      r.pendingBody = (String) p.get("body");
    }
    for (Object o : (List<Object>) m.get("history")) {
      Map<String, Object> x = (Map<String, Object>) o;
      r.history.add(
          new Evaluation(
              time(x.get("time")),
              time(x.get("from")),
              time(x.get("to")),
              ((Number) x.get("count")).longValue(),
              Boolean.TRUE.equals(x.get("complete")),
              (String) x.get("outcome"),
              (String) x.get("notification"),
              (String) x.get("error")));
    }
    return r;
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Instant time(Object o) {
    return o == null ? null : Instant.parse((String) o);
  }
}
