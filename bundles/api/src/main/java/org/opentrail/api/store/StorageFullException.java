package org.opentrail.api.store;

/**
 * Recording is refused because the disk under the store has less free space than its configured
 * floor ({@code ServiceUnavailable.StorageFull}, HTTP 503). Nothing of the refused request is
 * stored; recording resumes by itself once space is freed. The floor keeps room for the index,
 * cursors and status files, which are still written.
 */
public class StorageFullException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  /** The error code, as the HTTP API answers it. */
  public static final String CODE = "ServiceUnavailable.StorageFull";

  public StorageFullException(String message) {
    super(CODE, message);
  }
}
