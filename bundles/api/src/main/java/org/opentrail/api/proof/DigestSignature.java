package org.opentrail.api.proof;

/**
 * A signature made by {@link SigningKeys#sign}.
 *
 * @param fingerprint the signing key's {@link PublicKeyInfo#fingerprint()}
 * @param algorithm the JDK signature algorithm, {@code Ed25519}
 * @param value the signature bytes
 * @since 1.0
 */
public record DigestSignature(String fingerprint, String algorithm, byte[] value) {
  public DigestSignature {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }
}
