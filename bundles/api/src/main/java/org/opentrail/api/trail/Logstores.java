package org.opentrail.api.trail;

import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.store.EventStore;

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

  /**
   * The store stream an account reads as {@code logstore}: {@link EventStore#HISTORY} for {@code
   * history}, else its own {@code actiontrail_*} or {@code innertrail_*} stream ({@link #stream}),
   * which must exist. Search, analysis, export and consumption resolve names this one way.
   *
   * @throws InvalidParameterException ({@code InvalidParameter}, 400) for an account id that is not
   *     12 to 16 digits, or no logstore
   * @throws OpenTrailException {@code LogStoreNotExist} (404) for any other name, or a logstore the
   *     account does not have, naming it as the caller did (another account's is the same answer)
   * @since 1.5
   */
  public static String readableStream(EventStore store, String accountId, String logstore) {
    if (accountId == null || !IdentityService.ACCOUNT_ID.matcher(accountId).matches()) {
      throw new InvalidParameterException(
          "AccountId", "An account id is 12 to 16 digits, not '" + accountId + "'.");
    }
    if (logstore == null || logstore.isEmpty()) {
      throw InvalidParameterException.missing("LogStore");
    }
    if (EventStore.HISTORY.equals(logstore)) {
      return EventStore.HISTORY;
    }
    String stream = stream(accountId, logstore);
    if (stream.equals(logstore) || store.stream(stream).isEmpty()) {
      throw new OpenTrailException(
          "LogStoreNotExist", "The logstore " + logstore + " does not exist.", 404);
    }
    return stream;
  }
}
