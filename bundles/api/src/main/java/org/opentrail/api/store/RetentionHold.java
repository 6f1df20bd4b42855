package org.opentrail.api.store;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered as a service by anything that still needs events a stream's retention would purge,
 * such as a trail destination that has not delivered them yet. Retention never purges events with a
 * sequence number at or above the lowest one any hold asks for.
 */
@ConsumerType
public interface RetentionHold {
  /**
   * The lowest sequence number of {@code stream} this hold still needs, or {@link Long#MAX_VALUE}
   * if it needs nothing there.
   */
  long oldestSequenceNeeded(String stream);
}
