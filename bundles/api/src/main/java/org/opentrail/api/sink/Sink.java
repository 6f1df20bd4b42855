package org.opentrail.api.sink;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open destination. Delivery is at least once: a batch may come again (after a failure, a crash,
 * or its provider being replaced) with the same {@link DeliveryBatch#key() key} and the same
 * events; a sink should make that invisible (e.g. a file named after the key replaces itself).
 */
@ConsumerType
public interface Sink extends AutoCloseable {
  /**
   * Delivers a batch durably; returning means it is delivered and will not be sent again.
   *
   * @throws Exception if it was not delivered; the same batch is retried later
   */
  void deliver(DeliveryBatch batch) throws Exception;

  /** Releases what the sink holds; no delivery is in progress when this is called. */
  @Override
  void close();
}
