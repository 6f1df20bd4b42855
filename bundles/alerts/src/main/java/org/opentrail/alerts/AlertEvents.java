package org.opentrail.alerts;

import java.util.Locale;
import org.opentrail.api.store.EventStore;

/**
 * Keeps alert events out of alert rules: the search a rule counts excludes the {@code AlertFired}
 * and {@code AlertResolved} events {@link Notifier} records, unless the rule's own query names them
 * (or their service, {@code opentrail.alert}). Otherwise a rule on {@code *} would count its own
 * notifications and those of every other rule, and could keep itself firing.
 *
 * <p>Alert events are recorded in the history and reach {@code actiontrail_*} logstores through
 * trails, where Log Service's layout names the field {@code event.eventName}; {@code innertrail_*}
 * logstores hold service-internal logs only and are left as they are.
 */
final class AlertEvents {
  static final String FIRED = "AlertFired";
  static final String RESOLVED = "AlertResolved";

  private AlertEvents() {}

  /**
   * The search a rule counts.
   *
   * @param logstore the rule's logstore
   * @param query the rule's own query, as written
   * @param search what the rule counts before exclusion (the query narrowed by its condition)
   */
  static String exclude(String logstore, String query, String search) {
    String field;
    if (EventStore.HISTORY.equals(logstore)) {
      field = "eventName";
    } else if (logstore != null && logstore.startsWith("actiontrail_")) {
      field = "event.eventName";
    } else {
      return search;
    }
    if (names(query)) {
      return search;
    }
    String s = search == null || search.isBlank() ? "*" : search;
    return "(" + s + ") and not " + field + ": " + FIRED + " and not " + field + ": " + RESOLVED;
  }

  /** Whether a query names alert events explicitly. */
  static boolean names(String query) {
    String q = query == null ? "" : query.toLowerCase(Locale.ROOT);
    return q.contains(FIRED.toLowerCase(Locale.ROOT))
        || q.contains(RESOLVED.toLowerCase(Locale.ROOT))
        || q.contains(Notifier.SERVICE);
  }
}
