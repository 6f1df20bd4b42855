package org.opentrail.api;

/**
 * An error with ActionTrail's shape: a machine-readable {@code Code}, a human-readable {@code
 * Message} and the HTTP status an API answers it with. Every OpenTrail service reports bad input
 * and unavailable resources this way, so the shell and the HTTP API can show it unchanged.
 */
public class OpenTrailException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int httpStatus;

  public OpenTrailException(String code, String message, int httpStatus) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  public OpenTrailException(String code, String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** The error code, e.g. {@code InvalidParameter}. */
  public String code() {
    return code;
  }

  /** The HTTP status the error maps to: 4xx for bad input, 5xx for server-side trouble. */
  public int httpStatus() {
    return httpStatus;
  }
}
