package org.opentrail.alerts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.auth.SecretSealer;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces one notification of a rule in two of its three places, once: the log (a WARN line) and
 * the account's history (an event); the webhook, the third, is {@link WebhookDelivery}'s.
 *
 * <p>The history event is ActionTrail-shaped: {@code eventName} {@code AlertFired} or {@code
 * AlertResolved}; {@code eventType} {@code AliyunServiceEvent} (ActionTrail's type for what a
 * service does by itself, not for a caller's API call); {@code eventRW} {@code Read}, because an
 * alert changes no resource: it reports what a search read (a trail with the default {@code All}
 * delivers it; one filtered to {@code Write} does not, as for any read); {@code serviceName} {@code
 * opentrail.alert}; {@code resourceType} {@code ACS::OpenTrail::AlertRule} and {@code resourceName}
 * the rule; {@code additionalEventData} the severity, state, count, condition, window and sample
 * eventIds. No secret is in it.
 */
final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  static final String RESOURCE_TYPE = "ACS::OpenTrail::AlertRule";
  static final String SERVICE = "opentrail.alert";

  private final EventRecorder recorder;

  Notifier(EventRecorder recorder) {
    this.recorder = recorder;
  }

  /**
   * The webhook's JSON body: {@code rule, accountId, severity, state (firing|resolved), count,
   * condition, logstore, query, windowFrom, windowTo, time, summary, sampleEventIds (at most 10)}.
   */
  static Map<String, Object> payload(
      String account,
      AlertRule r,
      String state,
      long count,
      Instant from,
      Instant to,
      Instant now,
      List<String> samples) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", r.name());
    m.put("accountId", account);
    m.put("severity", r.severity());
    m.put("state", state);
    m.put("count", count);
    m.put("condition", r.condition());
    m.put("logstore", r.logstore());
    m.put("query", r.query());
    m.put("windowFrom", from.toString());
    m.put("windowTo", to.toString());
    m.put("time", now.truncatedTo(ChronoUnit.SECONDS).toString());
    m.put(
        "summary",
        "Alert "
            + r.name()
            + " ("
            + r.severity()
            + ") is "
            + state
            + ": "
            + count
            + " events of "
            + r.logstore()
            + " in the last "
            + r.lastMinutes()
            + " minutes, condition "
            + r.condition());
    m.put("sampleEventIds", samples.size() > 10 ? samples.subList(0, 10) : samples);
    return m;
  }

  /**
   * Announces a notification in the log (one WARN line) and the account's history (one event),
   * once: the webhook is {@link WebhookDelivery}'s job, retried without announcing again. A failure
   * to record the history event is logged and does not stop the webhook.
   */
  void announce(String account, AlertRule r, Map<String, Object> payload) {
    String state = (String) payload.get("state");
    LOG.warn(
        "Alert {} of account {} ({}) is {}: {} events, condition {}",
        r.name(),
        account,
        r.severity(),
        state,
        payload.get("count"),
        r.condition());
    record(account, r, state, payload);
  }

  private void record(String account, AlertRule r, String state, Map<String, Object> payload) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put(EventFields.EVENT_VERSION, "1");
    e.put(EventFields.EVENT_TIME, payload.get("time"));
    e.put(EventFields.EVENT_TYPE, "AliyunServiceEvent");
    e.put(EventFields.EVENT_NAME, state.equals("firing") ? "AlertFired" : "AlertResolved");
    e.put(EventFields.EVENT_RW, "Read");
    e.put(EventFields.SERVICE_NAME, SERVICE);
    e.put(EventFields.EVENT_SOURCE, "opentrail.local");
    e.put(EventFields.SOURCE_IP_ADDRESS, "Internal");
    e.put(
        EventFields.USER_IDENTITY,
        Map.of("type", "system", "userName", SERVICE, "accountId", account));
    e.put(EventFields.RESOURCE_TYPE, RESOURCE_TYPE);
    e.put(EventFields.RESOURCE_NAME, r.name());
    Map<String, Object> data = new LinkedHashMap<>(payload);
    data.remove("rule");
    data.remove("accountId");
    data.remove("time");
    e.put(EventFields.ADDITIONAL_EVENT_DATA, data);
    try {
      var res = recorder.record(account, List.of(Event.of(e)), Provenance.NONE);
      if (res.rejected() > 0) {
        LOG.error("The {} event of alert {} was refused: {}", state, r.name(), res.outcomes());
      }
    } catch (RuntimeException ex) {
      LOG.error(
          "The {} event of alert {} could not be recorded: {}", state, r.name(), ex.toString());
    }
  }

  /** The context a rule's secret is sealed under: {@code <account>/alert/<rule>/webhook.secret}. */
  static String context(String account, String rule) {
    return account + "/alert/" + rule + "/webhook.secret";
  }

  static String unseal(SecretSealer sealer, String account, String rule, String sealed) {
    return sealed == null ? null : sealer.unseal(context(account, rule), sealed);
  }
}
