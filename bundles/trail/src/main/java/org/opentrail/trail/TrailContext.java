package org.opentrail.trail;

import org.opentrail.api.store.EventStore;

/**
 * What the parts of one {@link TrailManager} share: the event store, the settings in force, the
 * trails on disk ({@link TrailRepository}) and in memory ({@link LoadedTrails}), the delivery
 * engine and the backfill jobs.
 */
record TrailContext(
    EventStore store,
    TrailSettings config,
    TrailRepository repository,
    DeliveryEngine engine,
    BackfillJobs jobs,
    LoadedTrails trails) {}
