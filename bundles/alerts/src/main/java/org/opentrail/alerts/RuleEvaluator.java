package org.opentrail.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.alert.Evaluation;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.logsearch.SearchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates one rule and moves its state, Log Service style:
 *
 * <ul>
 *   <li>the count is GetHistograms' count of the search over {@code [now - lastMinutes, now)} with
 *       the rule owner's account, so a rule sees exactly what its owner's search sees;
 *   <li>{@code ok} → condition holds: {@code firing}, notify (with up to 10 sample eventIds);
 *   <li>{@code firing} → still holds: notify again only once {@code repeatIntervalMinutes} have
 *       passed since the last notification that reached its webhook (de-duplication);
 *   <li>{@code firing} → no longer holds: {@code ok}, and a {@code resolved} notification if a
 *       firing one went out; an incomplete count (index behind) never resolves a rule;
 *   <li>inside the silence window nothing is notified; the evaluation is still recorded.
 * </ul>
 *
 * A notification is announced (log, history) once; a webhook that fails after its immediate retries
 * is left to {@link WebhookDelivery}'s later retries, the failure visible as the evaluation's
 * notification ({@code webhook pending: <why>}), the rule's lastError and its pending webhook.
 * Alert events are never counted unless the rule names them ({@link AlertEvents}).
 */
final class RuleEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);

  private final LogSearch search;
  private final Notifier notifier;
  private final WebhookDelivery webhook;
  private final Clock clock;

  RuleEvaluator(LogSearch search, Notifier notifier, WebhookDelivery webhook, Clock clock) {
    this.search = search;
    this.notifier = notifier;
    this.webhook = webhook;
    this.clock = clock;
  }

  /** The search a rule counts: its query, narrowed by its condition, without alert events. */
  static String search(AlertRule r) {
    return AlertEvents.exclude(
        r.logstore(), r.query(), Condition.parse(r.condition()).search(r.query()));
  }

  /** Retries the rule's pending webhook notification if due (the caller holds its lock). */
  boolean retryWebhook(RuleRecord rec) {
    boolean tried = webhook.retryIfDue(rec);
    if (tried) {
      rec.lastError = WebhookDelivery.error(rec.pending);
    }
    return tried;
  }

  /**
   * Evaluates {@code rec} (the caller holds its lock) and answers what happened; a pending webhook
   * notification that is due is retried first.
   */
  Evaluation evaluate(RuleRecord rec) {
    retryWebhook(rec);
    Instant now = clock.instant();
    AlertRule r = rec.rule;
    Instant from = now.minus(Duration.ofMinutes(r.lastMinutes()));
    rec.lastEvaluated = now;
    Condition c = Condition.parse(r.condition());
    String query = search(r);
    Histogram h;
    try {
      h =
          search.getHistograms(
              rec.accountId, r.logstore(), from, now, query, Duration.between(from, now));
    } catch (OpenTrailException e) {
      LOG.warn(
          "Alert {} of account {} could not be evaluated: {}",
          r.name(),
          rec.accountId,
          e.getMessage());
      rec.lastError = e.code() + ": " + e.getMessage();
      Evaluation ev =
          new Evaluation(now, from, now, 0, false, Evaluation.ERROR, "none", rec.lastError);
      rec.add(ev);
      return ev;
    }
    boolean holds = c.holds(h.count());
    boolean silenced = rec.silenced(now);
    String outcome;
    String note = "none";
    if (holds) {
      outcome = Evaluation.FIRING;
      boolean first = !Evaluation.FIRING.equals(rec.status);
      if (first) {
        rec.status = Evaluation.FIRING;
        rec.firingSince = now;
      }
      boolean due =
          rec.lastNotified == null
              || !now.isBefore(
                  rec.lastNotified.plus(Duration.ofMinutes(r.repeatIntervalMinutes())));
      if (silenced) {
        note = "silenced";
      } else if (!due) {
        note = "deduplicated";
      } else {
        note = send(rec, "firing", h.count(), from, now, query);
        rec.lastNotified = now;
      }
    } else if (Evaluation.FIRING.equals(rec.status) && h.complete()) {
      outcome = Evaluation.RESOLVED;
      boolean told = rec.lastNotified != null;
      rec.status = Evaluation.OK;
      rec.firingSince = null;
      rec.lastNotified = null;
      if (silenced) {
        note = "silenced";
      } else if (told) {
        note = send(rec, "resolved", h.count(), from, now, query);
      }
    } else {
      outcome = Evaluation.FIRING.equals(rec.status) ? Evaluation.FIRING : Evaluation.OK;
    }
    rec.lastError = WebhookDelivery.error(rec.pending);
    Evaluation ev = new Evaluation(now, from, now, h.count(), h.complete(), outcome, note, null);
    rec.add(ev);
    return ev;
  }

  private String send(
      RuleRecord rec, String state, long count, Instant from, Instant to, String q) {
    AlertRule r = rec.rule;
    List<String> samples = List.of();
    if (state.equals("firing") && count > 0) {
      SearchResult s = search.getLogs(rec.accountId, r.logstore(), from, to, q, 0, 10, true, false);
      samples = s.events().stream().map(e -> e.event().eventId()).toList();
    }
    Map<String, Object> payload =
        Notifier.payload(rec.accountId, r, state, count, from, to, clock.instant(), samples);
    notifier.announce(rec.accountId, r, payload);
    return webhook.deliver(rec, state, payload);
  }
}
