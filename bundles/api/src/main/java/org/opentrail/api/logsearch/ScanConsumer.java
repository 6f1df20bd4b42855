package org.opentrail.api.logsearch;

import java.util.List;
import org.opentrail.api.store.StoredEvent;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives the matches of a {@link LogSearch#scan scan}, a chunk at a time, in sequence order. */
@ConsumerType
@FunctionalInterface
public interface ScanConsumer {
  /**
   * One chunk of matching events.
   *
   * @param chunk at most {@link LogSearch#SCAN_CHUNK} events, each with a sequence number above
   *     every one delivered before; not kept by the scan after the call returns
   * @param done events delivered so far, this chunk included
   * @param total matching events when the scan started (the denominator of a progress percent)
   * @return {@code true} to go on, {@code false} to stop the scan here
   */
  boolean accept(List<StoredEvent> chunk, long done, long total);
}
