package org.opentrail.store.journal;

import java.nio.charset.StandardCharsets;
import org.apache.lucene.util.StringHelper;

/**
 * An event ready to append, prepared on the caller's thread so that the single writer only checks
 * and copies: its record encoding and that encoding's SHA-256 (its leaf in the hash chain), its
 * de-duplication key ({@code account:eventId}, as the index spells it) with that key's hash, and
 * the day it belongs to.
 */
public final class PreparedEvent {
  private final String account;
  private final String eventId;
  private final long timeMillis;
  private final long idTimeMillis;
  private final byte[] encoded;
  private final long[] lookupTerms;
  private final String key;
  private final long keyHash;
  private final byte[] leaf;

  /**
   * @param timeMillis its eventTime
   * @param idTimeMillis the time embedded in a time-ordered eventId, or -1
   * @param encoded the {@link JournalRecord} encoding
   * @param lookupTerms hashes of its lookup attributes, for lookups before the index sees it
   */
  public PreparedEvent(
      String account,
      String eventId,
      long timeMillis,
      long idTimeMillis,
      byte[] encoded,
      long[] lookupTerms) {
    this.account = account;
    this.eventId = eventId;
    this.timeMillis = timeMillis;
    this.idTimeMillis = idTimeMillis;
    this.encoded = encoded;
    this.lookupTerms = lookupTerms;
    this.key = key(account, eventId);
    this.keyHash = hash(key);
    this.leaf = HashChain.leaf(encoded);
  }

  /** The de-duplication key of an account's eventId. */
  public static String key(String account, String eventId) {
    return account + ':' + eventId;
  }

  /** A 64-bit hash of a de-duplication key (for Bloom filters). */
  public static long hash(String key) {
    byte[] b = key.getBytes(StandardCharsets.UTF_8);
    int lo = StringHelper.murmurhash3_x86_32(b, 0, b.length, 0x9747b28c);
    int hi = StringHelper.murmurhash3_x86_32(b, 0, b.length, 0x5bd1e995);
    return ((long) hi << 32) | (lo & 0xFFFFFFFFL);
  }

  public String account() {
    return account;
  }

  public String eventId() {
    return eventId;
  }

  public long timeMillis() {
    return timeMillis;
  }

  public long idTimeMillis() {
    return idTimeMillis;
  }

  public byte[] encoded() {
    return encoded;
  }

  /** Hashes of its lookup attributes (do not change). */
  public long[] lookupTerms() {
    return lookupTerms;
  }

  /** SHA-256 of {@link #encoded()}: its leaf in the stream's hash chain (do not change). */
  public byte[] leaf() {
    return leaf;
  }

  public String key() {
    return key;
  }

  public long keyHash() {
    return keyHash;
  }
}
