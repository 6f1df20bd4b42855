package org.opentrail.auth;

import java.util.Arrays;

/**
 * An access key secret encrypted with AES-256-GCM under the master key.
 *
 * @param iv the random 12-byte nonce of this secret
 * @param data the ciphertext with its 16-byte authentication tag
 */
record SealedSecret(byte[] iv, byte[] data) {
  @Override
  public boolean equals(Object o) {
    return o instanceof SealedSecret s && Arrays.equals(iv, s.iv) && Arrays.equals(data, s.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(iv) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "SealedSecret[***]";
  }
}
