package org.opentrail.internal.digest;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;

/**
 * JDK Ed25519 keys standing in for the auth bundle's: one account, rotated at chosen times, every
 * key kept with its validity as ListPublicKeys lists them.
 */
final class RotatingKeys implements SigningKeys {
  /** One key pair and when it signed. */
  record Key(KeyPair pair, Instant start, Instant end) {
    PublicKeyInfo info() {
      byte[] der = pair.getPublic().getEncoded();
      return new PublicKeyInfo(DigestDocument.sha256Hex(der), "Ed25519", der, start, end);
    }
  }

  private final List<Key> keys = new ArrayList<>();

  RotatingKeys(Instant firstStart) {
    keys.add(new Key(generate(), firstStart, null));
  }

  static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sign(KeyPair pair, byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(data);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Ends the current key at {@code at} and starts a new one then, as proof:rotatekey does. */
  PublicKeyInfo rotateAt(Instant at) {
    Key current = keys.remove(keys.size() - 1);
    keys.add(new Key(current.pair(), current.start(), at));
    keys.add(new Key(generate(), at, null));
    return currentKey(null);
  }

  /** The key pair of key {@code i}, oldest first. */
  KeyPair pair(int i) {
    return keys.get(i).pair();
  }

  /** Every key, oldest first. */
  List<PublicKeyInfo> infos() {
    return keys.stream().map(Key::info).toList();
  }

  @Override
  public PublicKeyInfo currentKey(String accountId) {
    return keys.get(keys.size() - 1).info();
  }

  @Override
  public List<PublicKeyInfo> publicKeys(String accountId, Instant from, Instant to) {
    return infos();
  }

  @Override
  public PublicKeyInfo rotate(String accountId) {
    throw new UnsupportedOperationException("tests rotate at a chosen time: rotateAt");
  }

  @Override
  public DigestSignature sign(String accountId, byte[] data) {
    return new DigestSignature(
        currentKey(accountId).fingerprint(), "Ed25519", sign(pair(keys.size() - 1), data));
  }
}
