package org.opentrail.internal.source;

/** A webhook body that is not what the service sends: the message says what and where. */
public final class PayloadException extends Exception {
  private static final long serialVersionUID = 1L;

  public PayloadException(String message) {
    super(message);
  }

  public PayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
