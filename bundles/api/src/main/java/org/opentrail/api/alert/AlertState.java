package org.opentrail.api.alert;

import java.time.Instant;
import java.util.List;

/**
 * A rule's state and its recent evaluations.
 *
 * @param rule the rule
 * @param status {@code ok} or {@code firing}
 * @param firingSince when the current firing began, or {@code null}
 * @param lastNotified when the last firing notification went out, or {@code null}
 * @param silenceFrom start of the silence window, or {@code null}
 * @param silenceTo end of the silence window (exclusive), or {@code null}
 * @param lastError the last evaluation or webhook error, or {@code null} once one succeeds
 * @param history the last {@link Evaluation#HISTORY} evaluations, newest first
 * @param webhook the notification its webhook has not received yet (being retried, or given up on),
 *     or {@code null} when the webhook got every notification (or the rule has none)
 */
public record AlertState(
    AlertRule rule,
    String status,
    Instant firingSince,
    Instant lastNotified,
    Instant silenceFrom,
    Instant silenceTo,
    String lastError,
    List<Evaluation> history,
    PendingWebhook webhook) {
  public AlertState {
    history = List.copyOf(history);
  }

  /** A state without a pending webhook notification (API 1.0). */
  public AlertState(
      AlertRule rule,
      String status,
      Instant firingSince,
      Instant lastNotified,
      Instant silenceFrom,
      Instant silenceTo,
      String lastError,
      List<Evaluation> history) {
    this(rule, status, firingSince, lastNotified, silenceFrom, silenceTo, lastError, history, null);
  }
}
