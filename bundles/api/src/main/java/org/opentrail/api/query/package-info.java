/**
 * ActionTrail's LookupEvents over the event history and logstores: the {@link
 * org.opentrail.api.query.EventQuery} service and its request and result.
 */
@Export
@Version("1.1.0")
package org.opentrail.api.query;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
