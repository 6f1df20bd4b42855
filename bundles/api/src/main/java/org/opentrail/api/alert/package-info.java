/**
 * Alert rules on logstores and the history, in the manner of Log Service alerts: a search run on a
 * schedule over a window, a condition on its result, a severity, and notifications (a signed
 * webhook, the log, an event in the history) with de-duplication and silence windows.
 */
@Export
@Version("1.1.0")
package org.opentrail.api.alert;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
