package org.opentrail.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypts secrets other bundles must keep (a destination's password or secret key) under the
 * master key that protects access key secrets, so that no secret is stored in plain text.
 *
 * <p>A sealed value is {@code sealed:v1:<base64 iv>:<base64 ciphertext and tag>} (AES-256-GCM),
 * bound to its {@code context}: it opens only with the same context, so a sealed value copied to
 * another destination or account does not decrypt.
 *
 * @since 1.2
 */
@ProviderType
public interface SecretSealer {
  /** The prefix of every sealed value. */
  String PREFIX = "sealed:v1:";

  /**
   * Encrypts {@code plain}.
   *
   * @param context what the secret belongs to, e.g. {@code <account>/<trail>/<destination>/<key>}
   */
  String seal(String context, String plain);

  /**
   * The plain secret.
   *
   * @throws IllegalArgumentException if {@code sealed} is not a sealed value
   * @throws IllegalStateException if it does not decrypt with this context and master key; the
   *     message never holds the secret
   */
  String unseal(String context, String sealed);

  /** Whether {@code value} is a sealed value (by its prefix). */
  static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }
}
