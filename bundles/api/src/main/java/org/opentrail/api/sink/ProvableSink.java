package org.opentrail.api.sink;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sink that writes objects (files) and can hold digest files beside them, so that a destination
 * can be proven complete and unaltered offline (docs/PROOF.md). The delivery engine then lists
 * every object it wrote in signed digests, and has each digest written into the destination's
 * digest path.
 *
 * @since 1.2
 */
@ConsumerType
public interface ProvableSink extends Sink {
  /**
   * Delivers a batch, as {@link #deliver}, and says which objects now hold it. Delivering the same
   * batch again must give the same objects with the same names and bytes.
   *
   * @throws Exception if it was not delivered; the same batch is retried later
   */
  List<DeliveredObject> deliverObjects(DeliveryBatch batch) throws Exception;

  @Override
  default void deliver(DeliveryBatch batch) throws Exception {
    deliverObjects(batch);
  }

  /**
   * Writes a digest file durably at {@code path}, relative to the destination's root (the layout is
   * ActionTrail's: {@code AliyunLogs/Actiontrail-Digest/<region>/<YYYY>/<MM>/<DD>/<name>.json}),
   * replacing one of the same name.
   *
   * @throws Exception if it was not written; it is tried again later
   */
  void writeDigest(String path, byte[] content) throws Exception;
}
