package org.opentrail.launcher;

/** OpenTrail cannot start or connect as asked; the message says why and what to do. */
final class LaunchException extends Exception {
  private static final long serialVersionUID = 1L;

  LaunchException(String message) {
    super(message);
  }

  LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
