package org.opentrail.store.journal;

/**
 * An event ready to append: encoded on the caller's thread so that the single writer only copies
 * bytes.
 *
 * @param account the recipient account
 * @param eventId the event id
 * @param timeMillis its eventTime
 * @param idTimeMillis the time embedded in a time-ordered eventId, or -1
 * @param encoded the {@link JournalRecord} encoding
 */
public record PreparedEvent(
    String account, String eventId, long timeMillis, long idTimeMillis, byte[] encoded) {
  /** The de-duplication key: account and eventId. */
  public String key() {
    return account + '\u0000' + eventId;
  }
}
