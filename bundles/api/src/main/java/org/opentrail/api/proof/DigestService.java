package org.opentrail.api.proof;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Signed digests of the streams (the history and every logstore), written at a fixed interval and
 * at a clean stop, and the live check of a stream against them (docs/PROOF.md).
 *
 * @since 1.0
 */
@ProviderType
public interface DigestService {
  /**
   * Ends the current interval now and writes a digest of every stream.
   *
   * @return the digests written, paths relative to the stream digest directory
   * @throws IllegalStateException if a digest could not be signed or written (in words)
   */
  List<String> digestNow();

  /**
   * Checks a stream against its signed digests: each digest's signature, key and link to the one
   * before, then the stream's records against the chain values the digests signed, and the newest
   * records against the chain the writer holds.
   *
   * @param upTo the time the digests should reach (a truncated end is a finding), or {@code null}
   *     for now
   * @param stoppedOk whether digests may end at a clean stop long before {@code upTo}
   * @param progress hears a line every few seconds of a long check
   * @throws IllegalArgumentException for an unknown stream
   */
  ProofReport verify(String stream, Instant upTo, boolean stoppedOk, Consumer<String> progress);
}
