package org.opentrail.api.source;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A supported service: registered through Declarative Services by a source bundle that turns the
 * service's own audit log into events (MinIO's audit webhook, the Kubernetes API server's audit
 * webhook). Registering one makes the service supported at once ({@code source:list}, the API's
 * {@code ListSupportedServices}); unregistering it removes it and touches nothing recorded.
 *
 * <p>The source receives on the HTTP whiteboard under {@value #PATH_PREFIX}{@code <name>/} and
 * records through {@link org.opentrail.api.event.EventRecorder}: client operations into the event
 * history, service-internal ones with {@code recordServiceInternal} into the inner trail.
 */
@ConsumerType
public interface EventSource {
  /** Where every source receives: {@code /sources/<name>/<instance>}. */
  String PATH_PREFIX = "/sources/";

  /** What the source supports. */
  SourceInfo info();
}
