package org.opentrail.api.trail;

import java.time.Instant;
import java.util.Objects;

/**
 * An account's inner trail (Inner-ActionTrail): the service-internal operations of every supported
 * source for the account, kept in one dedicated logstore {@code innertrail_<name>} that users read
 * but never write.
 *
 * @param accountId the account it belongs to (at most one inner trail per account)
 * @param name as a trail name, {@link TrailSpec#NAME}
 * @param enabled whether service-internal operations are being collected
 * @param retentionDays how long the logstore keeps events (180 by default, 1 to 3650)
 * @param createTime when it was created
 * @param updateTime when it was last changed
 * @since 1.3
 */
public record InnerTrail(
    String accountId,
    String name,
    boolean enabled,
    int retentionDays,
    Instant createTime,
    Instant updateTime) {
  /** The retention an inner trail's logstore is set to when it is created or enabled. */
  public static final int DEFAULT_RETENTION_DAYS = 180;

  /** The prefix of inner trail logstore names. */
  public static final String LOGSTORE_PREFIX = "innertrail_";

  public InnerTrail {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(name, "name");
  }

  /** The logstore's name as users see and query it: {@code innertrail_<name>}. */
  public String logstore() {
    return LOGSTORE_PREFIX + name;
  }

  /** The store stream that holds it (one per account, so accounts never share one). */
  public String stream() {
    return stream(accountId, logstore());
  }

  /**
   * The store stream behind an account's {@code innertrail_<name>} logstore: {@code
   * innertrail_<accountId>_<name>} ({@link Logstores#stream}). Other names are returned unchanged.
   */
  public static String stream(String accountId, String logstore) {
    if (logstore == null || !logstore.startsWith(LOGSTORE_PREFIX)) {
      return logstore;
    }
    return Logstores.stream(accountId, logstore);
  }
}
