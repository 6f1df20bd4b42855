package org.opentrail.http;

import java.util.Map;
import org.opentrail.api.OpenTrailException;

/**
 * An error whose answer carries fields besides {@code Code}, {@code Message} and {@code RequestId}.
 */
final class DetailedException extends OpenTrailException {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, Object> details;

  DetailedException(String code, String message, int httpStatus, Map<String, Object> details) {
    super(code, message, httpStatus);
    this.details = details;
  }

  Map<String, Object> details() {
    return details;
  }
}
