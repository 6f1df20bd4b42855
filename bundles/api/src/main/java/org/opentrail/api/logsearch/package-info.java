/**
 * Log Service-style search over logstores and the event history: the search part of Log Service's
 * {@code search | analysis} query shape (GetLogs), counts per time bucket (GetHistograms), and each
 * logstore's index configuration, a streaming scan of all matches and their export to a file, and
 * the analysis part after {@code |}, SQL ({@link org.opentrail.api.logsearch.LogSearch#analyze}).
 */
@Export
@Version("1.3.0")
package org.opentrail.api.logsearch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
