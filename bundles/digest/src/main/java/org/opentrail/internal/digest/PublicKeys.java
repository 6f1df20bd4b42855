package org.opentrail.internal.digest;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.MalformedJsonException;
import org.opentrail.api.proof.PublicKeyInfo;

/**
 * The public keys a verifier trusts, with their validity: what ListPublicKeys answers (and {@code
 * proof:keys --json FILE} saves). Every fingerprint is recomputed from its key, so a keys file
 * cannot vouch for a key under another key's name.
 */
public final class PublicKeys {
  private static final String ALGORITHM = "Ed25519";

  private final Map<String, PublicKeyInfo> byFingerprint;
  private final Map<String, PublicKey> decoded;

  private PublicKeys(Map<String, PublicKeyInfo> byFingerprint, Map<String, PublicKey> decoded) {
    this.byFingerprint = byFingerprint;
    this.decoded = decoded;
  }

  /**
   * Reads ListPublicKeys' answer: {@code {"PublicKeyList": [{"Fingerprint", "Value" (base64 X.509
   * DER), "ValidityStartTime", "ValidityEndTime" (null or absent while current)}]}}, optionally
   * with a {@code RequestId} member, or the bare list. Times are ISO-8601 (UTC or with an offset).
   * Other members of a key are ignored.
   *
   * @throws IllegalArgumentException in words, for anything else: not JSON, other top-level
   *     members, no keys, a member missing or of the wrong type, a value that is not an Ed25519
   *     public key, a fingerprint that is not the key's SHA-256, a key listed twice with different
   *     validities, a validity that ends before it starts
   */
  public static PublicKeys read(byte[] json) {
    Object doc;
    try {
      doc = EventJson.read(json);
    } catch (MalformedJsonException e) {
      throw new IllegalArgumentException("the keys file is not JSON: " + e.getMessage(), e);
    }
    Object list = doc;
    if (doc instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!"PublicKeyList".equals(k) && !"RequestId".equals(k)) {
          throw new IllegalArgumentException(
              "the keys file has a member '"
                  + k
                  + "'; expected ListPublicKeys' answer {\"PublicKeyList\": [...]}");
        }
      }
      list = m.get("PublicKeyList");
    }
    if (!(list instanceof List<?> entries)) {
      throw new IllegalArgumentException(
          "the keys file is not ListPublicKeys' answer: expected {\"PublicKeyList\": [...]} or a"
              + " list of keys");
    }
    List<PublicKeyInfo> keys = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof Map<?, ?> e)) {
        throw new IllegalArgumentException("key " + (i + 1) + " of the keys file is not an object");
      }
      String where = "key " + (i + 1) + " of the keys file";
      String fingerprint = text(e, "Fingerprint", where, true);
      byte[] der;
      try {
        der = Base64.getDecoder().decode(text(e, "Value", where, true));
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(where + ": its Value is not base64");
      }
      Instant start = time(text(e, "ValidityStartTime", where, true), where, "ValidityStartTime");
      String endText = text(e, "ValidityEndTime", where, false);
      Instant end = endText == null ? null : time(endText, where, "ValidityEndTime");
      keys.add(new PublicKeyInfo(fingerprint, ALGORITHM, der, start, end));
    }
    return of(keys);
  }

  /**
   * The given keys.
   *
   * @throws IllegalArgumentException as {@link #read} (except for JSON problems)
   */
  public static PublicKeys of(List<PublicKeyInfo> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "there are no public keys: a digest can only be verified with its account's keys");
    }
    Map<String, PublicKeyInfo> byFingerprint = new LinkedHashMap<>();
    Map<String, PublicKey> decoded = new LinkedHashMap<>();
    for (PublicKeyInfo k : keys) {
      String computed = DigestDocument.sha256Hex(k.value());
      String named = k.fingerprint() == null ? "" : k.fingerprint().toLowerCase(Locale.ROOT);
      if (!computed.equals(named)) {
        throw new IllegalArgumentException(
            "the key listed as " + k.fingerprint() + " has the fingerprint " + computed);
      }
      if (k.validityEnd() != null && k.validityEnd().isBefore(k.validityStart())) {
        throw new IllegalArgumentException(
            "key " + computed + ": its validity ends before it starts (" + validity(k) + ")");
      }
      PublicKey key;
      try {
        key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(k.value()));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalArgumentException("key " + computed + " is not an Ed25519 public key");
      }
      PublicKeyInfo same = byFingerprint.get(computed);
      if (same != null && !validity(same).equals(validity(k))) {
        throw new IllegalArgumentException(
            "key "
                + computed
                + " is listed twice with different validities: "
                + validity(same)
                + " and "
                + validity(k));
      }
      byFingerprint.put(
          computed,
          new PublicKeyInfo(computed, ALGORITHM, k.value(), k.validityStart(), k.validityEnd()));
      decoded.put(computed, key);
    }
    return new PublicKeys(Map.copyOf(byFingerprint), Map.copyOf(decoded));
  }

  /** The key with this fingerprint (64 hex digits, either case), or empty. */
  public Optional<PublicKeyInfo> find(String fingerprint) {
    return fingerprint == null
        ? Optional.empty()
        : Optional.ofNullable(byFingerprint.get(fingerprint.toLowerCase(Locale.ROOT)));
  }

  /** Every key, in no particular order. */
  public List<PublicKeyInfo> all() {
    return List.copyOf(byFingerprint.values());
  }

  /**
   * True if {@code d}'s signature verifies with the key it names and that key had not been retired
   * before its {@code digestEndTime}: {@link #problem} found nothing.
   */
  public boolean verifies(DigestDocument.Parsed d) {
    return problem("digest", d) == null;
  }

  /**
   * What is wrong with {@code d}'s signature, or {@code null} if nothing is: a {@link Finding#KEY}
   * (unknown key, or retired before {@code digestEndTime}, or no such time) or a {@link
   * Finding#SIGNATURE} (not Ed25519, or does not verify).
   *
   * @param path the digest's path, the finding's subject
   */
  public Finding problem(String path, DigestDocument.Parsed d) {
    String fingerprint = d.text("publicKeyFingerprint");
    Optional<PublicKeyInfo> info = find(fingerprint);
    if (info.isEmpty()) {
      return new Finding(
          Finding.KEY,
          path,
          "signed with key "
              + fingerprint
              + ", which is not among the "
              + byFingerprint.size()
              + " public key(s) given");
    }
    Instant end = d.time("digestEndTime");
    // a digest is signed after its interval ends, with the key current then: the key may have
    // started after digestEndTime (rotated in between), but must not have been retired before it
    // validity times are whole seconds (rounded down) and a final digest's end may be rounded
    // up: a second of slack keeps a rotation in the same second from failing it forever
    if (end == null
        || (info.get().validityEnd() != null
            && end.isAfter(info.get().validityEnd().plusSeconds(1)))) {
      return new Finding(
          Finding.KEY,
          path,
          "signed with key "
              + fingerprint
              + ", valid "
              + validity(info.get())
              + ", but its digestEndTime "
              + d.text("digestEndTime")
              + " is after the key was retired");
    }
    if (!ALGORITHM.equals(d.text("signatureAlgorithm"))) {
      return new Finding(
          Finding.SIGNATURE,
          path,
          "signatureAlgorithm is " + d.text("signatureAlgorithm") + ", not " + ALGORITHM);
    }
    boolean ok;
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(decoded.get(info.get().fingerprint()));
      s.update(d.signedBytes());
      ok = s.verify(d.signature());
    } catch (GeneralSecurityException e) {
      ok = false; // a signature of the wrong length, for one
    }
    return ok
        ? null
        : new Finding(
            Finding.SIGNATURE,
            path,
            "the signature does not verify with key " + fingerprint + ": the digest was altered");
  }

  private static String text(Map<?, ?> e, String name, String where, boolean required) {
    Object v = e.get(name);
    if (v == null && !required) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(
          where + ": " + name + (v == null ? " is missing" : " is not a string"));
    }
    return s;
  }

  private static Instant time(String text, String where, String name) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          where + ": " + name + " '" + text + "' is not an ISO-8601 time");
    }
  }

  private static String validity(PublicKeyInfo k) {
    return "from "
        + k.validityStart()
        + (k.validityEnd() == null ? " (current)" : " to " + k.validityEnd());
  }
}
