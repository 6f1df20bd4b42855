package org.opentrail.trail;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailStatus;

/**
 * The read-only views of trails that {@link TrailManager} answers (DescribeTrails, GetTrailStatus):
 * an account's trails by name, and a trail's status summed up from its destinations' (the latest
 * delivery, the latest error naming its destination, the retention alarm, the latest backfill job).
 */
final class TrailViews {
  private final DeliveryEngine engine;
  private final BackfillJobs jobs;
  private final LoadedTrails trails;
  private final TrailRetention retention;

  TrailViews(TrailContext c, TrailRetention retention) {
    this.engine = c.engine();
    this.jobs = c.jobs();
    this.trails = c.trails();
    this.retention = retention;
  }

  /** DescribeTrails: the account's trails named (every one if {@code names} is empty), by name. */
  List<Trail> describe(String accountId, List<String> names) {
    LoadedTrails.checkAccount(accountId);
    return trails.all().stream()
        .filter(
            t ->
                t.account().equals(accountId)
                    && (names.isEmpty() || names.contains(t.spec().name())))
        .sorted(Comparator.comparing((TrailState t) -> t.spec().name()))
        .map(TrailState::toTrail)
        .toList();
  }

  /** GetTrailStatus, as {@link org.opentrail.api.trail.TrailService#status} describes it. */
  TrailStatus status(String accountId, String name) {
    TrailState t = trails.state(accountId, name);
    List<DestinationStatus> dests = engine.status(t);
    Instant latest =
        dests.stream()
            .map(DestinationStatus::lastDeliveryTime)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    String error =
        dests.stream()
            .filter(d -> d.lastError() != null)
            .max(Comparator.comparing(DestinationStatus::lastErrorTime))
            .map(d -> d.id() + ": " + d.lastError())
            .orElse(null);
    return new TrailStatus(
        t.logging(),
        latest,
        error,
        t.startLogging(),
        t.stopLogging(),
        dests,
        retention.alarm(t),
        jobs.latest(accountId, name));
  }
}
