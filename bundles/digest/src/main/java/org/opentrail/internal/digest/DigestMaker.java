package org.opentrail.internal.digest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.SigningKeys;

/**
 * Makes a digest: the members common to both kinds in docs/PROOF.md's order around the kind's own,
 * chained to the previous digest and signed with the account's current key.
 */
public final class DigestMaker {
  /** The digest format version this writes. */
  public static final String VERSION = "1";

  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_PATH =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private DigestMaker() {}

  /**
   * A digest made.
   *
   * @param bytes the file's content
   * @param link what the chain's next digest continues from
   */
  public record Made(byte[] bytes, DigestChain.Link link) {}

  /**
   * Makes and signs one digest.
   *
   * @param kind {@code stream} or {@code destination}
   * @param path where it will be, relative as {@code previousDigest} names it
   * @param start {@code digestStartTime}: the previous digest's end, or the chain's beginning
   * @param end {@code digestEndTime}
   * @param own the kind's own members, in order, placed after {@code intervalSeconds}
   * @param extra what the next digest continues from (kept in the chain state, not in the file)
   * @param previous the chain's last digest, or {@code null} for its first
   * @throws IllegalStateException if the key cannot sign (nothing is made)
   */
  public static Made make(
      SigningKeys keys,
      String accountId,
      String kind,
      String path,
      Instant start,
      Instant end,
      long intervalSeconds,
      Map<String, Object> own,
      boolean isFinal,
      DigestChain.Link previous,
      Map<String, Object> extra) {
    for (int attempt = 0; ; attempt++) {
      String fingerprint = keys.currentKey(accountId).fingerprint();
      LinkedHashMap<String, Object> m = new LinkedHashMap<>();
      m.put("digestVersion", VERSION);
      m.put("kind", kind);
      m.put("accountId", accountId);
      m.put("digestStartTime", DigestDocument.time(start));
      m.put("digestEndTime", DigestDocument.time(end));
      m.put("intervalSeconds", intervalSeconds);
      m.putAll(own);
      m.put("final", isFinal);
      m.put("previousDigest", previous == null ? null : previous.path());
      m.put("previousDigestHash", previous == null ? null : previous.sha256());
      m.put("previousDigestSignature", previous == null ? null : previous.signature());
      m.put("publicKeyFingerprint", fingerprint);
      m.put("signatureAlgorithm", "Ed25519");
      DigestSignature sig = keys.sign(accountId, DigestDocument.signingInput(m));
      if (!sig.fingerprint().equals(fingerprint)) {
        if (attempt < 3) {
          continue; // the key was rotated between the two calls: sign again under the new one
        }
        throw new IllegalStateException("the signing key keeps changing; nothing was signed");
      }
      byte[] bytes = DigestDocument.write(m, sig);
      String b64 = Base64.getEncoder().encodeToString(sig.value());
      return new Made(
          bytes, new DigestChain.Link(path, DigestDocument.sha256Hex(bytes), b64, end, extra));
    }
  }

  /**
   * A stream digest's path, relative to {@code <data>/digests/streams/}: {@code
   * <stream>/<YYYY>/<MM>/<DD>/<stream>_Digest_<YYYYMMDDTHHMMSSZ>.json}.
   */
  public static String streamPath(String stream, Instant end) {
    return stream
        + "/"
        + DAY_PATH.format(end)
        + "/"
        + stream
        + "_Digest_"
        + NAME_TIME.format(end)
        + ".json";
  }

  /**
   * A destination digest's path, relative to the destination's root, in ActionTrail's layout:
   * {@code
   * AliyunLogs/Actiontrail-Digest/<homeRegion>/<YYYY>/<MM>/<DD>/<accountId>_Actiontrail-Digest_<homeRegion>_<trail>_<YYYYMMDDTHHMMSSZ>.json}.
   */
  public static String destinationPath(
      String accountId, String homeRegion, String trail, Instant end) {
    return "AliyunLogs/Actiontrail-Digest/"
        + homeRegion
        + "/"
        + DAY_PATH.format(end)
        + "/"
        + accountId
        + "_Actiontrail-Digest_"
        + homeRegion
        + "_"
        + trail
        + "_"
        + NAME_TIME.format(end)
        + ".json";
  }

  /**
   * The first interval boundary after {@code t}: boundaries are multiples of the interval (UTC).
   */
  public static Instant nextBoundary(Instant t, long intervalSeconds) {
    long s = t.getEpochSecond();
    return Instant.ofEpochSecond((Math.floorDiv(s, intervalSeconds) + 1) * intervalSeconds);
  }
}
