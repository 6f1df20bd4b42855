package org.opentrail.api.event;

import org.opentrail.api.OpenTrailException;

/** Input that is not the JSON it should be: a syntax error, invalid UTF-8, too deep, and so on. */
public class MalformedJsonException extends OpenTrailException {
  private static final long serialVersionUID = 1L;

  public MalformedJsonException(String message) {
    super("MalformedJson", message, 400);
  }

  public MalformedJsonException(String message, Throwable cause) {
    super("MalformedJson", message, 400, cause);
  }
}
