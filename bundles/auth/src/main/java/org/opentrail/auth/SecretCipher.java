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
 * Encrypts access key secrets and digest signing keys with AES-256-GCM under a master key kept in
 * its own owner-only file, outside the identity store: a random 12-byte IV per secret and what the
 * secret belongs to as associated data (the access key id; for a signing key its account and
 * fingerprint), so a secret cannot be moved to another owner unnoticed. The signature schemes need
 * the plain secret to compute an HMAC, so secrets are encrypted, not hashed.
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
    return existing(file);
  }

  /**
   * The master key in {@code file}, which must exist: for readers that never make one (the identity
   * registry makes it at first start).
   *
   * @throws IOException if it is missing, not base64 or not a 256-bit key
   */
  static SecretCipher existing(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("The master key " + file + " is missing: restore it from a backup");
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
    return seal(accessKeyId, secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Encrypts {@code plain} bound to {@code associatedData}: it opens only with the same associated
   * data.
   */
  SealedSecret seal(String associatedData, byte[] plain) {
    byte[] iv = Ids.bytes(IV_BYTES);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, associatedData, iv);
      return new SealedSecret(iv, c.doFinal(plain));
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
    return open(accessKeyId, sealed, "The secret of access key " + accessKeyId);
  }

  /**
   * The plain bytes sealed with {@code associatedData}.
   *
   * @param what names the secret in the error, e.g. {@code The private key ab12... of account 1234}
   * @throws IllegalStateException if it does not decrypt (another master key, other associated
   *     data, or damaged data); the message names {@code what}, never the bytes
   */
  byte[] open(String associatedData, SealedSecret sealed, String what) {
    try {
      return cipher(Cipher.DECRYPT_MODE, associatedData, sealed.iv()).doFinal(sealed.data());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          what
              + " does not decrypt: the master key is not the one it was stored with, or the file is damaged");
    }
  }

  private Cipher cipher(int mode, String associatedData, byte[] iv)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(TRANSFORMATION);
    c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
    c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
    return c;
  }
}
