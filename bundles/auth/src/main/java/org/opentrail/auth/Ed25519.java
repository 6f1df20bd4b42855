package org.opentrail.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * Ed25519 with the JDK's own provider: key pairs, fingerprints, signatures. Public keys travel as
 * X.509 SubjectPublicKeyInfo DER (44 bytes), private keys as PKCS#8 DER; a fingerprint is the
 * lower-case hex SHA-256 of the public key's DER, as {@code publicKeyFingerprint} in digests.
 */
final class Ed25519 {
  /** The JDK's name of the algorithm, for keys and signatures alike. */
  static final String ALGORITHM = "Ed25519";

  private Ed25519() {}

  static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JDK has no Ed25519 (it has since Java 15)", e);
    }
  }

  /** 64 lower-case hex digits: SHA-256 of {@code publicKeyDer}. */
  static String fingerprint(byte[] publicKeyDer) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKeyDer));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * The public key in X.509 DER.
   *
   * @throws GeneralSecurityException if it is not an Ed25519 public key
   */
  static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
  }

  /**
   * The private key in PKCS#8 DER.
   *
   * @throws GeneralSecurityException if it is not an Ed25519 private key
   */
  static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  /** The 64-byte signature of {@code data}. */
  static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance(ALGORITHM);
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  /** Whether {@code signature} is {@code key}'s over {@code data}. */
  static boolean verify(PublicKey key, byte[] data, byte[] signature)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(ALGORITHM);
    s.initVerify(key);
    s.update(data);
    return s.verify(signature);
  }
}
