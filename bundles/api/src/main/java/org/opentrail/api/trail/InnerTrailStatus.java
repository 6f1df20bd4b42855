package org.opentrail.api.trail;

import java.util.List;

/**
 * Whether an inner trail collects, and what stops it.
 *
 * @param trail the inner trail
 * @param collecting true if service-internal operations are being stored now
 * @param entitled whether the account holds the {@value InnerTrailService#ENTITLEMENT} entitlement
 * @param roleGranted whether the account has the delivery role
 * @param storedEvents events in its logstore
 * @param problems what keeps it from collecting, in words (empty while collecting)
 * @since 1.3
 */
public record InnerTrailStatus(
    InnerTrail trail,
    boolean collecting,
    boolean entitled,
    boolean roleGranted,
    long storedEvents,
    List<String> problems) {
  public InnerTrailStatus {
    problems = List.copyOf(problems);
  }
}
