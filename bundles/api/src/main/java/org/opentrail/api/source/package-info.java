/**
 * The event source SPI: a bundle that turns a service's audit log into events registers an {@link
 * org.opentrail.api.source.EventSource} describing the service it supports.
 *
 * @since 1.0
 */
@Export
@Version("1.0.0")
package org.opentrail.api.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
