package org.opentrail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * An account's digest signing keys on disk, {@code <auth directory>/signing-keys/<accountId>.json}
 * (owner-only, replaced atomically and durably): {@code {"format": 1, "accountId", "algorithm":
 * "Ed25519", "keys": [{"fingerprint", "publicKey" (base64 X.509 DER), "validityStart",
 * "validityEnd" (ISO-8601 UTC, null while current), "privateKeyIv", "sealedPrivateKey"
 * (base64)}]}}, oldest key first, every key ever used. The private key (PKCS#8 DER) is only there
 * sealed under the master key, bound to its account and fingerprint ({@link #associatedData}).
 * Reading checks every key against its fingerprint and the validity periods against each other, and
 * refuses a file that does not add up rather than guess.
 */
final class SigningKeyFile {
  static final int FORMAT = 1;

  /**
   * One key pair as the file keeps it.
   *
   * @param info the public half and its validity
   * @param sealed the private half (PKCS#8 DER) sealed under the master key
   */
  record StoredKey(PublicKeyInfo info, SealedSecret sealed) {
    /** This key with its validity ended at {@code end}. */
    StoredKey endedAt(Instant end) {
      PublicKeyInfo i = info;
      return new StoredKey(
          new PublicKeyInfo(i.fingerprint(), i.algorithm(), i.value(), i.validityStart(), end),
          sealed);
    }
  }

  private SigningKeyFile() {}

  /** A new key pair from the JDK, valid from {@code start}, its private half sealed at once. */
  static StoredKey generate(SecretCipher cipher, String accountId, Instant start) {
    KeyPair pair = Ed25519.generate();
    byte[] der = pair.getPublic().getEncoded();
    String fp = Ed25519.fingerprint(der);
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    try {
      SealedSecret sealed = cipher.seal(associatedData(accountId, fp), pkcs8);
      return new StoredKey(new PublicKeyInfo(fp, Ed25519.ALGORITHM, der, start, null), sealed);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * What a sealed private key is bound to: its account and fingerprint, so that it opens neither
   * for another account nor beside another public key.
   */
  static String associatedData(String accountId, String fingerprint) {
    return "OpenTrail signing key\n" + accountId + "\n" + fingerprint;
  }

  /**
   * The keys in {@code file}, oldest first; none if there is no file.
   *
   * @throws DamagedFileException if it exists but is empty or does not add up
   */
  static List<StoredKey> read(Path file, String accountId) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return decode(Files.readAllBytes(file), accountId);
    } catch (IOException | RuntimeException e) {
      throw new DamagedFileException(file, e.getMessage(), e);
    }
  }

  static void write(Path file, String accountId, List<StoredKey> keys) throws IOException {
    List<Object> list = new ArrayList<>();
    Base64.Encoder b64 = Base64.getEncoder();
    for (StoredKey k : keys) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fingerprint", k.info().fingerprint());
      m.put("publicKey", b64.encodeToString(k.info().value()));
      m.put("validityStart", k.info().validityStart().toString());
      Instant end = k.info().validityEnd();
      m.put("validityEnd", end == null ? null : end.toString());
      m.put("privateKeyIv", b64.encodeToString(k.sealed().iv()));
      m.put("sealedPrivateKey", b64.encodeToString(k.sealed().data()));
      list.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("accountId", accountId);
    root.put("algorithm", Ed25519.ALGORITHM);
    root.put("keys", list);
    DurableFiles.write(
        file, (EventJson.toPrettyString(root) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static List<StoredKey> decode(byte[] content, String accountId) throws IOException {
    if (!(EventJson.read(content) instanceof Map<?, ?> root)) {
      throw new IOException("it is not a JSON object");
    }
    if (!(root.get("format") instanceof Integer f) || f != FORMAT) {
      throw new IOException("unknown format " + root.get("format") + " (this version reads 1)");
    }
    if (!accountId.equals(root.get("accountId"))) {
      throw new IOException("it holds the keys of account " + root.get("accountId"));
    }
    if (!Ed25519.ALGORITHM.equals(root.get("algorithm"))) {
      throw new IOException("its algorithm is " + root.get("algorithm") + ", not Ed25519");
    }
    if (!(root.get("keys") instanceof List<?> entries) || entries.isEmpty()) {
      throw new IOException("it lists no keys");
    }
    List<StoredKey> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Object e : entries) {
      if (!(e instanceof Map<?, ?> m)) {
        throw new IOException("a key entry is not an object");
      }
      StoredKey k = key(m);
      String fp = k.info().fingerprint();
      if (!seen.add(fp)) {
        throw new IOException("key " + fp + " is listed twice");
      }
      if (!out.isEmpty()) {
        PublicKeyInfo before = out.get(out.size() - 1).info();
        if (before.validityEnd() == null
            || before.validityEnd().isAfter(k.info().validityStart())) {
          throw new IOException(
              "key " + before.fingerprint() + " is still valid when the next one starts");
        }
      }
      out.add(k);
    }
    if (out.get(out.size() - 1).info().validityEnd() != null) {
      throw new IOException("its newest key has ended and none followed it");
    }
    return List.copyOf(out);
  }

  private static StoredKey key(Map<?, ?> m) throws IOException {
    String fp = string(m, "fingerprint");
    byte[] der = base64(m, "publicKey", fp);
    if (!Ed25519.fingerprint(der).equals(fp)) {
      throw new IOException("the public key listed as " + fp + " has another fingerprint");
    }
    try {
      Ed25519.publicKey(der);
    } catch (GeneralSecurityException e) {
      throw new IOException("key " + fp + " is not an Ed25519 public key", e);
    }
    Instant start = instant(m, "validityStart", fp);
    Instant end = m.get("validityEnd") == null ? null : instant(m, "validityEnd", fp);
    if (end != null && end.isBefore(start)) {
      throw new IOException("key " + fp + " ends before it starts");
    }
    SealedSecret sealed =
        new SealedSecret(base64(m, "privateKeyIv", fp), base64(m, "sealedPrivateKey", fp));
    return new StoredKey(new PublicKeyInfo(fp, Ed25519.ALGORITHM, der, start, end), sealed);
  }

  private static String string(Map<?, ?> m, String name) throws IOException {
    if (m.get(name) instanceof String s && !s.isEmpty()) {
      return s;
    }
    throw new IOException("a key entry has no " + name);
  }

  private static byte[] base64(Map<?, ?> m, String name, String fp) throws IOException {
    try {
      return Base64.getDecoder().decode(string(m, name));
    } catch (IllegalArgumentException e) {
      throw new IOException("the " + name + " of key " + fp + " is not base64", e);
    }
  }

  private static Instant instant(Map<?, ?> m, String name, String fp) throws IOException {
    try {
      return Instant.parse(string(m, name));
    } catch (DateTimeParseException e) {
      throw new IOException("the " + name + " of key " + fp + " is not a time", e);
    }
  }
}
