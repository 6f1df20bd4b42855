package org.opentrail.api.alert;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Alert rules per account, evaluated on their schedule against {@link
 * org.opentrail.api.logsearch.LogSearch} with the account's identity. A firing rule notifies its
 * webhook (POST JSON signed with {@code X-OpenTrail-Signature: sha256=<hex HMAC-SHA256 of the
 * body>}), the log and the account's history (an {@code AlertFired} or {@code AlertResolved}
 * event), once per repeat interval while it keeps firing, and once more when it resolves; never
 * during its silence window. Rules, states and histories survive restarts.
 *
 * <p>Each notification goes to its places separately: the log line and the history event once, when
 * the rule fires or resolves; the webhook until it answers 2xx. A webhook that still fails after
 * its immediate retries is retried at later ticks with a doubling backoff, a bounded number of
 * times, without logging or recording the notification again ({@link AlertState#webhook()} shows
 * it).
 *
 * <p>Alert events never feed alert rules: a rule's search does not count {@code AlertFired} or
 * {@code AlertResolved} events unless it names them (e.g. {@code eventName: AlertFired}), so no
 * rule can keep itself, or another rule, firing.
 *
 * <p>Errors are {@link org.opentrail.api.OpenTrailException}s: {@code InvalidParameter} (400)
 * naming the bad field (name, schedule, condition, severity, webhook host not allowed); {@code
 * InvalidQuery} (400) for a search that does not parse; {@code LogStoreNotExist} (404) for a
 * logstore the account does not have; {@code AlertRuleNotExist} (404) for an unknown rule; {@code
 * AlertRuleAlreadyExist} (409); {@code SecretSealerUnavailable} (503) for a webhook rule while no
 * secret sealer is installed.
 */
@ProviderType
public interface AlertService {
  /** Creates a rule; the answer holds the webhook's signing secret, shown this once. */
  CreatedRule create(String accountId, AlertRule rule);

  /**
   * Replaces a rule's definition (found by its name), checked exactly as {@link #create} checks a
   * new one. The webhook's secret, the silence window and the history are kept; the state (firing,
   * last notification, a pending webhook notification) is reset to {@code ok} only when the
   * logstore, the query or the condition changes, since only those change what fires. A rule
   * created without a webhook has no secret: giving it one is refused ({@code InvalidParameter});
   * delete and create it instead.
   *
   * @return the rule as stored (defaults applied)
   */
  AlertRule update(String accountId, AlertRule rule);

  /** Deletes a rule with its state and history. */
  void delete(String accountId, String name);

  /** The account's rules, by name. */
  List<AlertRule> list(String accountId);

  /** A rule's state and recent evaluations. */
  AlertState state(String accountId, String name);

  /**
   * Silences a rule over {@code [from, to)}: it is evaluated and its history recorded, but nobody
   * is notified. {@code to} not after {@code from} ends any silence.
   */
  AlertState silence(String accountId, String name, Instant from, Instant to);

  /** Evaluates a rule now (operators, tests), notifying as a scheduled evaluation would. */
  Evaluation evaluate(String accountId, String name);
}
