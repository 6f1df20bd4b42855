package org.opentrail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.opentrail.internal.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts access key secrets with AES-256-GCM under a master key kept in its own owner-only file,
 * outside the identity store: a random 12-byte IV per secret and the access key id as associated
 * data, so a secret cannot be moved to another key unnoticed. The signature schemes need the plain
 * secret to compute an HMAC, so secrets are encrypted, not hashed.
 */
final class SecretCipher {
  private static final Logger LOG = LoggerFactory.getLogger(SecretCipher.class);
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;

  private SecretCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The master key in {@code file}, created (0600, directory 0700) if there is none yet. */
  static SecretCipher open(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] k = Ids.bytes(KEY_BYTES);
      String text = Base64.getEncoder().encodeToString(k) + "\n";
      if (DurableFiles.writeNew(file, text.getBytes(StandardCharsets.US_ASCII))) {
        LOG.info(
            "Master key for access key secrets created in {}; back it up apart from the data",
            file);
        return new SecretCipher(k);
      }
    }
    if (DurableFiles.openToOthers(file)) {
      LOG.warn(
          "The master key {} can be read or written by others than its owner; make it 0600", file);
    }
    byte[] k;
    try {
      k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IllegalArgumentException e) {
      throw new IOException("The master key " + file + " is not base64", e);
    }
    if (k.length != KEY_BYTES) {
      throw new IOException(
          "The master key " + file + " is not a 256-bit key (" + k.length + " bytes)");
    }
    return new SecretCipher(k);
  }

  SealedSecret seal(String accessKeyId, String secret) {
    byte[] iv = Ids.bytes(IV_BYTES);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, accessKeyId, iv);
      return new SealedSecret(iv, c.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * The plain secret.
   *
   * @throws IllegalStateException if it does not decrypt (another master key, or damaged data)
   */
  byte[] open(String accessKeyId, SealedSecret sealed) {
    try {
      return cipher(Cipher.DECRYPT_MODE, accessKeyId, sealed.iv()).doFinal(sealed.data());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "The secret of access key "
              + accessKeyId
              + " does not decrypt: the master key is not the one it was stored with, or the file is damaged");
    }
  }

  private Cipher cipher(int mode, String accessKeyId, byte[] iv) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(TRANSFORMATION);
    c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
    c.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
    return c;
  }
}
