package org.opentrail.api.store;

/**
 * A point of a stream's hash chain: the chain value after the record with sequence number {@code
 * sequence} ({@code sequence} is one before the stream's first record for the chain's start).
 *
 * <p>The chain (docs/PROOF.md): {@code h(first - 1) = SHA-256("OpenTrail chain v1\n" + stream)},
 * {@code h(s) = SHA-256(h(s - 1) || int64 big-endian s || SHA-256(record s))}, where record s is
 * the journal's encoding of the event, exactly the bytes acknowledged.
 *
 * @param sequence the last sequence number the chain value covers
 * @param hash the chain value, 64 lower-case hex digits
 * @since 1.3
 */
public record ChainHead(long sequence, String hash) {
  public ChainHead {
    if (hash == null || !hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a chain value is 64 lower-case hex digits");
    }
  }
}
