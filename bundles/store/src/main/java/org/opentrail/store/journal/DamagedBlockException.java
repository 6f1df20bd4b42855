package org.opentrail.store.journal;

import java.io.IOException;

/** A block of a segment failed its checksum or no longer parses: its bytes are damaged. */
final class DamagedBlockException extends IOException {
  private static final long serialVersionUID = 1L;

  final long offset;
  final long length;

  DamagedBlockException(String message, long offset, long length) {
    super(message);
    this.offset = offset;
    this.length = length;
  }
}
