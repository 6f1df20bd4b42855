package org.opentrail.api.trail;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Trail management with ActionTrail's semantics. Errors are {@link
 * org.opentrail.api.OpenTrailException}s: {@code InvalidParameter} (naming the parameter), {@code
 * TrailAlreadyExists}, {@code TrailNotFound}, {@code DeliveryJobNotFound}, {@code
 * DeliveryJobAlreadyRunning}.
 */
@ProviderType
public interface TrailService {
  /** Creates a trail; it starts stopped. Nothing is created if any part of the spec is refused. */
  Trail create(String accountId, TrailSpec spec);

  /**
   * Replaces a trail's filter and destinations (the name cannot change). A destination that keeps
   * its id and type keeps its cursor; a new one starts at the newest event.
   */
  Trail update(String accountId, TrailSpec spec);

  /** Deletes a trail and its destinations' state (what they delivered stays where it went). */
  void delete(String accountId, String name);

  /** The account's trails with these names, or all of them if {@code names} is empty. */
  List<Trail> describe(String accountId, List<String> names);

  /** One trail. */
  Trail get(String accountId, String name);

  TrailStatus status(String accountId, String name);

  /** Starts delivering events recorded from now on. */
  Trail startLogging(String accountId, String name);

  /** Stops delivering; events recorded while stopped are not delivered later. */
  Trail stopLogging(String accountId, String name);

  /**
   * Acknowledges a destination's gaps (events the store could not read, see {@link
   * DestinationStatus#gaps}): they are no longer shown, and what is repaired later in them is not
   * delivered.
   *
   * @param destinationId the destination, or {@code null} for every destination of the trail
   * @return how many gaps were acknowledged
   * @throws org.opentrail.api.OpenTrailException {@code TrailNotFound}, or {@code InvalidParameter}
   *     (DestinationId) for a destination the trail does not have
   */
  int acknowledgeGaps(String accountId, String trailName, String destinationId);

  /** The sink types installed now. */
  List<SinkType> sinkTypes();

  /**
   * Every destination resource that belongs to an account, as its sink names it ({@link
   * org.opentrail.api.sink.ResourceSinkProvider#resource}), with the account that owns it: for the
   * operator, never for an account (it names other accounts' resources).
   *
   * @return resource to owning account id, sorted by resource
   * @since 1.4
   */
  default java.util.SortedMap<String, String> resourceOwners() {
    return new java.util.TreeMap<>();
  }

  /** Starts a delivery history job for a trail; at most one runs per account. */
  DeliveryJob createDeliveryJob(String accountId, String trailName);

  DeliveryJob getDeliveryJob(String accountId, long jobId);

  List<DeliveryJob> listDeliveryJobs(String accountId);

  /** Deletes a job, stopping it if it runs (what it delivered stays). */
  void deleteDeliveryJob(String accountId, long jobId);

  /**
   * Restores events damaged in the event history from what one destination of a trail holds: its
   * sink reads back what it delivered (the sink type must support it, see {@link
   * org.opentrail.api.sink.ReadableSink}), and the store puts back the trail account's events it
   * lost, each checked by eventId, at their original sequences.
   *
   * @param progress hears a line every few seconds
   * @throws org.opentrail.api.InvalidParameterException for an unknown destination, or a sink type
   *     that cannot read back or is not installed
   */
  org.opentrail.api.store.RepairReport repairFrom(
      String accountId,
      String trailName,
      String destinationId,
      java.util.function.Consumer<String> progress);
}
