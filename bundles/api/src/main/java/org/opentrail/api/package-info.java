/** Errors shared by every OpenTrail service: a code, a message and an HTTP status. */
@Export
@Version("1.0.0")
package org.opentrail.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
