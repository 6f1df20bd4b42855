package org.opentrail.api.sink;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sink type, registered as a service with the property {@value #TYPE} naming it (e.g. {@code
 * file}). While no provider of a destination's type is registered, the destination waits and its
 * events wait in the store; when one appears, delivery resumes where it stopped.
 */
@ConsumerType
public interface SinkProvider {
  /** The service property naming the sink type. */
  String TYPE = "opentrail.sink.type";

  /**
   * Checks a destination's configuration.
   *
   * @throws org.opentrail.api.InvalidParameterException naming the offending key, for an unknown
   *     key, a missing required key or a bad value
   */
  void validate(Map<String, String> config);

  /**
   * Opens a sink for one destination (its configuration already validated).
   *
   * @throws Exception if it cannot be opened now; it is tried again later
   */
  Sink open(SinkTarget target) throws Exception;
}
