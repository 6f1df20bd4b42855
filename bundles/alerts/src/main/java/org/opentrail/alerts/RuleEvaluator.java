package org.opentrail.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.alert.Evaluation;
import org.opentrail.api.auth.SecretSealer;
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
 * A webhook that fails after its retries leaves the last notification time unchanged, so the next
 * evaluation tries again; the failure is the evaluation's notification and the rule's lastError.
 */
final class RuleEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);

  private final LogSearch search;
  private final Notifier notifier;
  private final Supplier<SecretSealer> sealer;
  private final Clock clock;

  RuleEvaluator(LogSearch search, Notifier notifier, Supplier<SecretSealer> sealer, Clock clock) {
    this.search = search;
    this.notifier = notifier;
    this.sealer = sealer;
    this.clock = clock;
  }

  /** Evaluates {@code rec} (the caller holds its lock) and answers what happened. */
  Evaluation evaluate(RuleRecord rec) {
    Instant now = clock.instant();
    AlertRule r = rec.rule;
    Instant from = now.minus(Duration.ofMinutes(r.lastMinutes()));
    rec.lastEvaluated = now;
    Condition c = Condition.parse(r.condition());
    String query = c.search(r.query());
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
    String failure = null;
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
        failure = send(rec, "firing", h.count(), from, now, query);
        note = failure == null ? "notified" : "failed: " + failure;
        if (failure == null) {
          rec.lastNotified = now;
        }
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
        failure = send(rec, "resolved", h.count(), from, now, query);
        note = failure == null ? "notified" : "failed: " + failure;
      }
    } else {
      outcome = Evaluation.FIRING.equals(rec.status) ? Evaluation.FIRING : Evaluation.OK;
    }
    rec.lastError = failure == null ? null : "webhook: " + failure;
    Evaluation ev = new Evaluation(now, from, now, h.count(), h.complete(), outcome, note, null);
    rec.add(ev);
    return ev;
  }

  private String send(
      RuleRecord rec, String state, long count, Instant from, Instant to, String q) {
    AlertRule r = rec.rule;
    List<String> samples = List.of();
    if (state.equals("firing") && count > 0) {
      SearchResult s = search.getLogs(rec.accountId, r.logstore(), from, to, q, 0, 10, true);
      samples = s.events().stream().map(e -> e.event().eventId()).toList();
    }
    Map<String, Object> payload =
        Notifier.payload(rec.accountId, r, state, count, from, to, clock.instant(), samples);
    String secret = null;
    if (r.webhookUrl() != null) {
      SecretSealer s = sealer.get();
      if (s == null) {
        return "no secret sealer is installed to open the webhook's secret";
      }
      secret = Notifier.unseal(s, rec.accountId, r.name(), rec.sealedSecret);
    }
    return notifier.notify(rec.accountId, r, payload, secret);
  }
}
