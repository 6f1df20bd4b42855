package org.opentrail.api.trail;

import java.time.Instant;

/**
 * A delivery history job (backfill): delivers a trail's events recorded before it started logging,
 * as far back as the event history keeps them, to each of its destinations.
 *
 * @param id the job's id
 * @param accountId the account
 * @param trailName the trail
 * @param state running, finished or failed
 * @param eventsDone events of the range handled so far (delivered or not matching the trail)
 * @param eventsTotal events in the range
 * @param createTime when the job was created
 * @param updateTime when its progress last changed
 * @param error why it failed, or {@code null}
 */
public record DeliveryJob(
    long id,
    String accountId,
    String trailName,
    State state,
    long eventsDone,
    long eventsTotal,
    Instant createTime,
    Instant updateTime,
    String error) {

  /** A job's state. */
  public enum State {
    RUNNING,
    FINISHED,
    FAILED
  }
}
