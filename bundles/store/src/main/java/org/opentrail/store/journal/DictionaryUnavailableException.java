package org.opentrail.store.journal;

import java.io.IOException;

/**
 * The zstd dictionary a block of records compressed one by one needs is missing or damaged in both
 * of its copies. The block itself may be intact, so this is never recorded as damage: readers fail
 * (lookups count the events as unreadable, the indexer and deliveries retry) until the dictionary
 * is back.
 */
public final class DictionaryUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  DictionaryUnavailableException(String message) {
    super(message);
  }
}
