package org.opentrail.api.alert;

import java.time.Instant;

/**
 * One evaluation of a rule.
 *
 * @param time when it ran
 * @param from the window's start, inclusive
 * @param to the window's end, exclusive
 * @param count events of the window matching the rule's search (and field condition)
 * @param complete {@code false} if the index had not caught up, so the count may be low
 * @param outcome {@code ok}, {@code firing}, {@code resolved} or {@code error}
 * @param notification what was sent: {@code none}, {@code deduplicated}, {@code silenced}, {@code
 *     notified}, or {@code webhook pending: <reason>} when the log line and history event went out
 *     but the webhook could not be reached after its immediate retries (it is retried later, see
 *     {@link AlertState#webhook()})
 * @param error why the evaluation failed (outcome {@code error}), or {@code null}
 */
public record Evaluation(
    Instant time,
    Instant from,
    Instant to,
    long count,
    boolean complete,
    String outcome,
    String notification,
    String error) {
  public static final String OK = "ok";
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";
  public static final String ERROR = "error";

  /** Most evaluations a rule's state keeps. */
  public static final int HISTORY = 50;
}
