package org.opentrail.api.trail;

import java.time.Instant;
import java.util.List;

/**
 * ActionTrail's GetTrailStatus, plus each destination's status.
 *
 * @param isLogging whether the trail is delivering
 * @param latestDeliveryTime when any destination last delivered, or {@code null}
 * @param latestDeliveryError the most recent delivery error of any destination, or {@code null}
 * @param startLoggingTime when it last started logging, or {@code null}
 * @param stopLoggingTime when it last stopped logging, or {@code null}
 * @param destinations each destination's status
 * @param retentionAlarm why events this trail had not delivered were (or are about to be) purged by
 *     retention, or {@code null}
 * @param deliveryJob the trail's latest delivery history job, or {@code null}
 */
public record TrailStatus(
    boolean isLogging,
    Instant latestDeliveryTime,
    String latestDeliveryError,
    Instant startLoggingTime,
    Instant stopLoggingTime,
    List<DestinationStatus> destinations,
    String retentionAlarm,
    DeliveryJob deliveryJob) {
  public TrailStatus {
    destinations = List.copyOf(destinations);
  }
}
