/**
 * ActionTrail's audit event: the immutable {@link org.opentrail.api.event.Event}, its JSON form,
 * the attributes events are looked up by, and the {@link org.opentrail.api.event.EventRecorder}
 * that sources hand events to.
 */
@Export
@Version("1.1.0")
package org.opentrail.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
