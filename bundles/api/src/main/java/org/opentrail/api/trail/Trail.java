package org.opentrail.api.trail;

import java.time.Instant;

/**
 * A trail as stored.
 *
 * @param accountId the account it belongs to
 * @param spec what it delivers and where
 * @param logging whether it is delivering (a trail created through the API starts stopped)
 * @param createTime when it was created
 * @param updateTime when it was last changed
 * @param startLoggingTime when it last started logging, or {@code null}
 * @param stopLoggingTime when it last stopped logging, or {@code null}
 */
public record Trail(
    String accountId,
    TrailSpec spec,
    boolean logging,
    Instant createTime,
    Instant updateTime,
    Instant startLoggingTime,
    Instant stopLoggingTime) {

  public String name() {
    return spec.name();
  }
}
