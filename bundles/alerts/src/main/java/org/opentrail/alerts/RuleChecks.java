package org.opentrail.alerts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.alert.AlertRule;

/**
 * Checks a rule before it is stored: each failure an {@link InvalidParameterException} naming the
 * field and saying what is expected. The rules follow Log Service's alert rules where it has one
 * (naming, severities); schedule bounds are OpenTrail's.
 */
final class RuleChecks {
  /** Log Service: 2 to 64 lowercase letters, digits, - and _, starting and ending alphanumeric. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}[a-z0-9]");

  static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "report");
  static final int MAX_EVERY = 1440;
  static final int MAX_WINDOW = 10080;

  private RuleChecks() {}

  /**
   * The rule with defaults applied (query {@code *}, repeat interval 60 minutes, severity in lower
   * case) and its parsed condition checked.
   *
   * @param allowedHosts hosts a webhook may call ({@code host} or {@code *.domain}), lower case
   */
  static AlertRule check(AlertRule r, Set<String> allowedHosts) {
    if (r.name() == null || !NAME.matcher(r.name()).matches()) {
      throw new InvalidParameterException(
          "Name",
          "The alert rule name \""
              + r.name()
              + "\" is invalid: 2 to 64 characters, lowercase letters, digits, - and _, starting"
              + " and ending with a letter or digit.");
    }
    if (r.logstore() == null || r.logstore().isBlank()) {
      throw InvalidParameterException.missing("Logstore");
    }
    range("Every", r.everyMinutes(), MAX_EVERY);
    range("Window", r.lastMinutes(), MAX_WINDOW);
    int repeat = r.repeatIntervalMinutes() == 0 ? 60 : r.repeatIntervalMinutes();
    range("Repeat", repeat, MAX_WINDOW);
    Condition.parse(r.condition());
    String severity = r.severity() == null ? "" : r.severity().toLowerCase(Locale.ROOT);
    if (!SEVERITIES.contains(severity)) {
      throw new InvalidParameterException(
          "Severity",
          "The severity \"" + r.severity() + "\" is invalid: one of " + SEVERITIES + ".");
    }
    String webhook = r.webhookUrl() == null || r.webhookUrl().isBlank() ? null : r.webhookUrl();
    if (webhook != null) {
      webhook(webhook, allowedHosts);
    }
    String query = r.query() == null || r.query().isBlank() ? "*" : r.query();
    return new AlertRule(
        r.name(),
        r.logstore(),
        query,
        r.everyMinutes(),
        r.lastMinutes(),
        r.condition().trim(),
        severity,
        webhook,
        repeat);
  }

  private static void range(String param, int minutes, int max) {
    if (minutes < 1 || minutes > max) {
      throw new InvalidParameterException(
          param,
          "The "
              + param.toLowerCase(Locale.ROOT)
              + " of an alert rule is 1 to "
              + max
              + " minutes, not "
              + minutes
              + ".");
    }
  }

  /** Checks a webhook URL: http(s), no user info, a host the operator allowed. */
  static void webhook(String url, Set<String> allowedHosts) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidParameterException(
          "Webhook", "The webhook URL is not a URL: " + e.getReason() + ".");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidParameterException("Webhook", "The webhook URL must be http or https.");
    }
    if (u.getHost() == null || u.getRawUserInfo() != null) {
      throw new InvalidParameterException(
          "Webhook", "The webhook URL needs a host and must not hold user information.");
    }
    if (!allowed(u.getHost().toLowerCase(Locale.ROOT), allowedHosts)) {
      throw new InvalidParameterException(
          "Webhook",
          "The webhook host "
              + u.getHost()
              + " is not allowed: the operator lists the hosts alerts may call in"
              + " allowed.webhook.hosts of org.opentrail.alerts"
              + (allowedHosts.isEmpty() ? " (none yet)." : "."));
    }
  }

  static boolean allowed(String host, Set<String> allowedHosts) {
    for (String a : allowedHosts) {
      if (a.equals(host) || (a.startsWith("*.") && host.endsWith(a.substring(1)))) {
        return true;
      }
    }
    return false;
  }
}
