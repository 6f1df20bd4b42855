package org.opentrail.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.opentrail.api.alert.PendingWebhook;
import org.opentrail.api.auth.SecretSealer;
import org.opentrail.api.event.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook, tracked apart from the log and the history: a notification is sent at once (with the
 * sender's immediate retries); if that fails it becomes the rule's {@link PendingWebhook} and is
 * sent again, the same body re-signed, once its next attempt is due, the wait doubling from {@code
 * firstWait} up to an hour, at most {@code rounds} times, then given up. A newer notification of
 * the rule replaces one still pending (the receiver gets the rule's latest state). The caller holds
 * the rule's lock.
 */
final class WebhookDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
  private static final Duration MAX_WAIT = Duration.ofHours(1);

  private final WebhookSender sender;
  private final Supplier<SecretSealer> sealer;
  private final Clock clock;
  private final int rounds;
  private final Duration firstWait;

  WebhookDelivery(
      WebhookSender sender,
      Supplier<SecretSealer> sealer,
      Clock clock,
      int rounds,
      Duration firstWait) {
    this.sender = sender;
    this.sealer = sealer;
    this.clock = clock;
    this.rounds = rounds;
    this.firstWait = firstWait;
  }

  /**
   * Sends a notification just announced; answers the evaluation's note: {@code notified}, or {@code
   * webhook pending: <why>} when it is left to the retries.
   */
  String deliver(RuleRecord rec, String state, Map<String, Object> payload) {
    rec.pending = null;
    rec.pendingBody = null;
    rec.pendingRounds = 0;
    if (rec.rule.webhookUrl() == null) {
      return "notified";
    }
    byte[] body = EventJson.write(payload);
    WebhookSender.Sent s = send(rec, body);
    if (s.failure() == null) {
      return "notified";
    }
    Instant now = clock.instant();
    Instant next = rounds > 0 ? now.plus(firstWait) : null;
    rec.pending = new PendingWebhook(state, now, s.attempts(), next, s.failure());
    rec.pendingBody = new String(body, StandardCharsets.UTF_8);
    LOG.warn(
        "Alert {} of account {}: the webhook failed ({}); {}",
        rec.rule.name(),
        rec.accountId,
        s.failure(),
        next == null ? "not retried" : "retrying from " + next);
    return "webhook pending: " + s.failure();
  }

  /** Whether the rule has a pending notification whose next attempt is due at {@code now}. */
  static boolean due(RuleRecord rec, Instant now) {
    PendingWebhook p = rec.pending;
    return p != null && p.nextAttempt() != null && !now.isBefore(p.nextAttempt());
  }

  /** Sends the pending notification again if it is due; answers whether it tried. */
  boolean retryIfDue(RuleRecord rec) {
    Instant now = clock.instant();
    if (!due(rec, now)) {
      return false;
    }
    PendingWebhook p = rec.pending;
    if (rec.rule.webhookUrl() == null || rec.pendingBody == null) {
      rec.pending = null;
      rec.pendingBody = null;
      return false;
    }
    WebhookSender.Sent s = send(rec, rec.pendingBody.getBytes(StandardCharsets.UTF_8));
    int attempts = p.attempts() + s.attempts();
    if (s.failure() == null) {
      rec.pending = null;
      rec.pendingBody = null;
      rec.pendingRounds = 0;
      LOG.info(
          "Alert {} of account {}: the {} webhook was delivered after {} attempts",
          rec.rule.name(),
          rec.accountId,
          p.state(),
          attempts);
      return true;
    }
    rec.pendingRounds++;
    Instant next = rec.pendingRounds >= rounds ? null : now.plus(wait(rec.pendingRounds));
    rec.pending = new PendingWebhook(p.state(), p.notified(), attempts, next, s.failure());
    if (next == null) {
      LOG.error(
          "Alert {} of account {}: gave up on the {} webhook after {} attempts: {}",
          rec.rule.name(),
          rec.accountId,
          p.state(),
          attempts,
          s.failure());
    } else {
      LOG.debug("Alert {}: webhook retry failed ({}), next at {}", rec.rule.name(), s, next);
    }
    return true;
  }

  /** The wait after {@code round} failed retries: firstWait doubled each round, at most an hour. */
  Duration wait(int round) {
    Duration w = firstWait.multipliedBy(1L << Math.min(round, 20));
    return w.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : w;
  }

  /** The lastError a pending notification gives its rule, or {@code null}. */
  static String error(PendingWebhook p) {
    if (p == null) {
      return null;
    }
    return "webhook: "
        + p.lastError()
        + (p.givenUp()
            ? "; gave up after " + p.attempts() + " attempts"
            : "; retrying at " + p.nextAttempt());
  }

  private WebhookSender.Sent send(RuleRecord rec, byte[] body) {
    SecretSealer s = sealer.get();
    if (s == null) {
      return new WebhookSender.Sent(
          0, "no secret sealer is installed to open the webhook's secret");
    }
    String secret = Notifier.unseal(s, rec.accountId, rec.rule.name(), rec.sealedSecret);
    return sender.send(rec.rule.webhookUrl(), secret, body);
  }
}
