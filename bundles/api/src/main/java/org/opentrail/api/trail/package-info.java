/**
 * Trails: named, per-account deliveries of events to one or more destinations (sinks), with
 * ActionTrail's management semantics, their status, and delivery history (backfill) jobs.
 */
@Export
@Version("1.5.0")
package org.opentrail.api.trail;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
