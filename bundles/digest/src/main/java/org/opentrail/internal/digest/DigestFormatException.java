package org.opentrail.internal.digest;

/** A file that is not a digest as docs/PROOF.md specifies; the message says why, in words. */
public final class DigestFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DigestFormatException(String message) {
    super(message);
  }
}
