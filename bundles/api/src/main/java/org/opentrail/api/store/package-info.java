/**
 * The event store SPI: durable append with sequence numbers, lookup, sequential reads for delivery
 * cursors, named streams (the history and logstores) with their own retention, and holds that keep
 * retention from purging what a reader still needs. The embedded store implements it; a server
 * backend may replace it.
 */
@Export
@Version("1.4.0")
package org.opentrail.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
