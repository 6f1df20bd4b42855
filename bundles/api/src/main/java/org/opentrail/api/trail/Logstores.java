package org.opentrail.api.trail;

/**
 * How the logstores users name map to store streams. Users name a trail's logstore {@code
 * actiontrail_<trail>} and an inner trail's {@code innertrail_<name>}, as in ActionTrail, where
 * each lives in the account's own Log Service project. OpenTrail has one store for every account,
 * so each account's logstore is its own stream, {@code <prefix><accountId>_<rest>}: two accounts
 * with a trail of the same name never share a logstore, its retention or its events.
 *
 * @since 1.4
 */
public final class Logstores {
  /** The prefix of a trail's logstore: {@code actiontrail_<trail>}. */
  public static final String TRAIL_PREFIX = "actiontrail_";

  private Logstores() {}

  /** The logstore a trail delivers to as users name it: {@code actiontrail_<trail>}. */
  public static String trailLogstore(String trail) {
    return TRAIL_PREFIX + trail;
  }

  /**
   * The store stream behind an account's logstore: {@code actiontrail_<accountId>_<trail>} or
   * {@code innertrail_<accountId>_<name>} (at most 96 characters). Other names (the history) are
   * returned unchanged.
   */
  public static String stream(String accountId, String logstore) {
    for (String prefix : new String[] {TRAIL_PREFIX, InnerTrail.LOGSTORE_PREFIX}) {
      if (logstore != null && logstore.startsWith(prefix)) {
        return prefix + accountId + "_" + logstore.substring(prefix.length());
      }
    }
    return logstore;
  }
}
