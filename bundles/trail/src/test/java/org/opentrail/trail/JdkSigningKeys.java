package org.opentrail.trail;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.internal.digest.DigestDocument;

/**
 * {@link SigningKeys} for tests: one JDK Ed25519 key pair for every account, in memory (the real
 * provider, with keys kept encrypted, is the auth bundle's).
 */
final class JdkSigningKeys implements SigningKeys {
  private final KeyPair pair;

  JdkSigningKeys() {
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public PublicKeyInfo currentKey(String accountId) {
    byte[] der = pair.getPublic().getEncoded();
    return new PublicKeyInfo(DigestDocument.sha256Hex(der), "Ed25519", der, Instant.EPOCH, null);
  }

  @Override
  public List<PublicKeyInfo> publicKeys(String accountId, Instant from, Instant to) {
    return List.of(currentKey(accountId));
  }

  @Override
  public PublicKeyInfo rotate(String accountId) {
    throw new UnsupportedOperationException("the test keys do not rotate");
  }

  @Override
  public DigestSignature sign(String accountId, byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(data);
      return new DigestSignature(currentKey(accountId).fingerprint(), "Ed25519", s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code signature} over {@code data} verifies with the public key {@code der}. */
  static boolean verifies(byte[] der, byte[] data, byte[] signature)
      throws GeneralSecurityException {
    PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(k);
    s.update(data);
    return s.verify(signature);
  }
}
