/**
 * The sink SPI: how a bundle adds a kind of destination (a sink type) that trails can deliver to.
 * Register a {@link org.opentrail.api.sink.SinkProvider} service with the service property {@value
 * org.opentrail.api.sink.SinkProvider#TYPE}.
 */
@Export
@Version("1.3.0")
package org.opentrail.api.sink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
