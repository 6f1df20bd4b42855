package org.opentrail.api.proof;

import java.time.Instant;

/**
 * The public half of an account's digest signing key, as ListPublicKeys gives it.
 *
 * @param fingerprint SHA-256 of {@code value}, 64 lower-case hex digits; digests name their key by
 *     it ({@code publicKeyFingerprint})
 * @param algorithm the JDK signature algorithm, {@code Ed25519}
 * @param value the key, X.509 SubjectPublicKeyInfo DER (what {@code PublicKey.getEncoded()} gives)
 * @param validityStart when it began signing
 * @param validityEnd when it stopped signing (it was rotated), or {@code null} while it is current
 * @since 1.0
 */
public record PublicKeyInfo(
    String fingerprint,
    String algorithm,
    byte[] value,
    Instant validityStart,
    Instant validityEnd) {
  public PublicKeyInfo {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** True if the key signed at {@code time}: within [validityStart, validityEnd]. */
  public boolean validAt(Instant time) {
    return !time.isBefore(validityStart) && (validityEnd == null || !time.isAfter(validityEnd));
  }
}
