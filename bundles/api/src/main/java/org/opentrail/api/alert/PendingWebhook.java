package org.opentrail.api.alert;

import java.time.Instant;

/**
 * A notification a rule's webhook has not received yet. The log line and the history event of that
 * notification were written once, when it was made; only the webhook is retried.
 *
 * @param state {@code firing} or {@code resolved}: which notification is owed
 * @param notified when the notification was made (its log line and history event)
 * @param attempts webhook attempts so far, the immediate retries included
 * @param nextAttempt when it is tried again (at the scheduler's next tick after it, or at the next
 *     evaluation), or {@code null} once retries are exhausted (given up)
 * @param lastError why the last attempt failed, e.g. {@code HTTP 503 after 3 attempts}
 */
public record PendingWebhook(
    String state, Instant notified, int attempts, Instant nextAttempt, String lastError) {
  /** Whether retries are exhausted and nothing more will be tried. */
  public boolean givenUp() {
    return nextAttempt == null;
  }
}
