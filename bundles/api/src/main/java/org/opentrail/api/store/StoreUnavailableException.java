package org.opentrail.api.store;

import org.opentrail.api.OpenTrailException;

/** The store cannot do what was asked right now (disk full, closed, I/O error): retry later. */
public class StoreUnavailableException extends OpenTrailException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super("StoreUnavailable", message, 503, cause);
  }

  public StoreUnavailableException(String message) {
    super("StoreUnavailable", message, 503);
  }

  /** For a more precise 503 code, such as {@link StorageFullException#CODE}. */
  protected StoreUnavailableException(String code, String message) {
    super(code, message, 503);
  }
}
