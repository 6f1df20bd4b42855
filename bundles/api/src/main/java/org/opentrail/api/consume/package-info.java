/**
 * Stream consumption of logstores and the event history, as Log Service offers it: opaque cursors
 * (GetCursor), ordered pulls after a cursor (PullLogs / BatchGetLog), and consumer groups whose
 * checkpoints let several programs each follow a logstore exactly once per group and resume after
 * restarts. OpenTrail's logstores have one shard, shard 0.
 */
@Export
@Version("1.0.0")
package org.opentrail.api.consume;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
