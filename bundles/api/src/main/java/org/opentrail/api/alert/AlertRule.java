package org.opentrail.api.alert;

/**
 * An alert rule as its owner states it; never holds the webhook's signing secret.
 *
 * @param name 2 to 64 characters: lowercase letters, digits, {@code -} and {@code _}, starting and
 *     ending with a letter or digit (Log Service's naming rule for alert rules), unique per account
 * @param logstore {@code actiontrail_<trail>}, {@code innertrail_<name>} or {@code history}
 * @param query the search, in Log Service's search syntax ({@code *} for every event)
 * @param everyMinutes how often the rule is evaluated, 1 to 1440 minutes
 * @param lastMinutes the window each evaluation searches, the last 1 to 10080 minutes
 * @param condition {@code count > n}, {@code count >= n}, {@code count < n}, {@code count <= n},
 *     {@code count == n}, or a field condition {@code field == "value"} (true when at least one
 *     event of the window matches the search and has that value)
 * @param severity {@code critical}, {@code high}, {@code medium}, {@code low} or {@code report}
 *     (Log Service's alert severities)
 * @param webhookUrl an http or https URL whose host the operator allowed, or {@code null}
 * @param repeatIntervalMinutes while the rule keeps firing, at most one notification per this many
 *     minutes, 1 to 10080
 */
public record AlertRule(
    String name,
    String logstore,
    String query,
    int everyMinutes,
    int lastMinutes,
    String condition,
    String severity,
    String webhookUrl,
    int repeatIntervalMinutes) {}
