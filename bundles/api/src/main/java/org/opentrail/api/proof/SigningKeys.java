package org.opentrail.api.proof;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Each account's digest signing key pair (Ed25519, from the JDK). The private key never leaves the
 * provider and is stored only encrypted under the master key; the public keys, current and retired,
 * stay retrievable so that digests signed before a rotation still verify.
 *
 * @since 1.0
 */
@ProviderType
public interface SigningKeys {
  /**
   * The account's current public key, making its first key pair if it has none.
   *
   * @throws IllegalArgumentException for an account that does not exist
   */
  PublicKeyInfo currentKey(String accountId);

  /**
   * The account's public keys that were valid at any time in [{@code from}, {@code to}] (either may
   * be {@code null} for no bound), oldest first: CloudTrail's ListPublicKeys.
   *
   * @throws IllegalArgumentException for an account that does not exist
   */
  List<PublicKeyInfo> publicKeys(String accountId, Instant from, Instant to);

  /**
   * Ends the current key's validity now and makes a new key pair the current one. Digests signed
   * with the old key still verify with its public key.
   *
   * @return the new current key
   * @throws IllegalArgumentException for an account that does not exist
   */
  PublicKeyInfo rotate(String accountId);

  /**
   * Signs {@code data} with the account's current key (making one first if it has none).
   *
   * @throws IllegalArgumentException for an account that does not exist
   * @throws IllegalStateException if the key cannot be read (its file is damaged or the master key
   *     is wrong); nothing is signed
   */
  DigestSignature sign(String accountId, byte[] data);
}
