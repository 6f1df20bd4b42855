package org.opentrail.internal.digest;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * What {@link DigestChainVerifier} says about a chain, in words with the values compared: a digest
 * not fit to be checked, a missing or altered link, a restart, a fork, an early end.
 */
final class ChainFindings {
  private ChainFindings() {}

  static Finding restarted(List<String> paths, List<DigestDocument.Parsed> digests, int i) {
    DigestDocument.Parsed d = digests.get(i);
    return new Finding(
        Finding.CHAIN_RESTARTED,
        paths.get(i),
        "its previousDigest is null although "
            + i
            + " older digest(s) are in the chain, the newest of them "
            + paths.get(i - 1)
            + " ending at "
            + digests.get(i - 1).text("digestEndTime")
            + "; this digest starts at "
            + d.text("digestStartTime")
            + " and is signed with key "
            + d.text("publicKeyFingerprint"));
  }

  static Finding forked(String previous, List<String> claimants) {
    return new Finding(
        Finding.CHAIN_FORKED,
        previous,
        claimants.size()
            + " digests name it as their previous digest: "
            + String.join(", ", claimants));
  }

  /** What a digest needs for the chain to be checked at all, or {@code null} if it has it. */
  static String shapeProblem(DigestDocument.Parsed d) {
    if (!DigestMaker.VERSION.equals(d.text("digestVersion"))) {
      return "its digestVersion is "
          + d.members().get("digestVersion")
          + "; this verifier reads version "
          + DigestMaker.VERSION;
    }
    Instant start = d.time("digestStartTime");
    Instant end = d.time("digestEndTime");
    if (start == null || end == null) {
      return "its digestStartTime or digestEndTime is missing or not an ISO-8601 time";
    }
    if (end.isBefore(start)) {
      return "its digestEndTime " + end + " is before its digestStartTime " + start;
    }
    if (d.number("intervalSeconds", 0) <= 0) {
      return "its intervalSeconds is missing or not a positive number";
    }
    Object previous = d.members().get("previousDigest");
    if (previous != null
        && (!(previous instanceof String) || d.text("previousDigestHash") == null)) {
      return "its previousDigest is not a path with a previousDigestHash";
    }
    return null;
  }

  static Finding missing(
      String previous,
      String path,
      DigestDocument.Parsed d,
      List<String> paths,
      List<DigestDocument.Parsed> digests,
      int i) {
    Instant start = d.time("digestStartTime");
    String before = null;
    Instant beforeEnd = null;
    for (int j = i - 1; j >= 0 && before == null; j--) {
      Instant e = digests.get(j).time("digestEndTime");
      if (!e.isAfter(start)) {
        before = paths.get(j);
        beforeEnd = e;
      }
    }
    String named = path + " names it as its previous digest, but it is not there";
    if (before == null) {
      return new Finding(
          Finding.DIGEST_MISSING,
          previous,
          named
              + ", nor any digest ending before "
              + start
              + ": at least one interval of "
              + d.number("intervalSeconds", 0)
              + " s before "
              + start
              + " has no digest (the chain's beginning is missing)");
    }
    long seconds = Duration.between(beforeEnd, start).getSeconds();
    if (seconds == 0) {
      return new Finding(
          Finding.DIGEST_MISSING,
          previous,
          named + "; " + before + ", which ends at " + start + ", is there instead (renamed?)");
    }
    return new Finding(
        Finding.DIGEST_MISSING,
        previous,
        named
            + ": "
            + intervals(seconds, d)
            + " from "
            + beforeEnd
            + " (the end of "
            + before
            + ") to "
            + start
            + " have no digest");
  }

  static void checkLink(
      String previous,
      byte[] bytes,
      DigestDocument.Parsed prev,
      String path,
      DigestDocument.Parsed d,
      List<Finding> findings) {
    String sha = DigestDocument.sha256Hex(bytes);
    String expected = d.text("previousDigestHash");
    if (!sha.equalsIgnoreCase(expected)) {
      findings.add(
          new Finding(
              Finding.DIGEST_ALTERED,
              previous,
              "its SHA-256 is " + sha + ", but " + path + " recorded " + expected));
      return;
    }
    if (prev == null) {
      try {
        prev = DigestDocument.parse(bytes); // another chain's digest (then this one forked it)
      } catch (DigestFormatException e) {
        return; // reported where it is; its bytes are the ones its successor recorded
      }
    }
    String signature = Base64.getEncoder().encodeToString(prev.signature());
    if (!signature.equals(d.text("previousDigestSignature"))) {
      findings.add(
          new Finding(
              Finding.DIGEST_ALTERED,
              previous,
              "its signature is "
                  + signature
                  + ", but "
                  + path
                  + " recorded "
                  + d.text("previousDigestSignature")));
    }
    Instant prevEnd = prev.time("digestEndTime");
    Instant start = d.time("digestStartTime");
    if (prevEnd != null && prevEnd.isBefore(start)) {
      long seconds = Duration.between(prevEnd, start).getSeconds();
      findings.add(
          new Finding(
              Finding.DIGEST_MISSING,
              prevEnd + "/" + start,
              path
                  + " starts at "
                  + start
                  + " but its previous digest "
                  + previous
                  + " ends at "
                  + prevEnd
                  + ": "
                  + intervals(seconds, d)
                  + " have no digest"));
    } else if (prevEnd != null && prevEnd.isAfter(start)) {
      findings.add(
          new Finding(
              Finding.DIGEST_ALTERED,
              path,
              "it starts at " + start + ", before its previous digest " + previous + " ends"));
    }
  }

  static Finding truncated(String path, DigestDocument.Parsed newest, Instant upTo) {
    Instant end = newest.time("digestEndTime");
    long interval = newest.number("intervalSeconds", 0);
    if (!end.plusSeconds(2 * interval).isBefore(upTo)) {
      return null;
    }
    return new Finding(
        Finding.TRUNCATED,
        path,
        "the newest digest ends at "
            + end
            + ", "
            + intervals(Duration.between(end, upTo).getSeconds(), newest)
            + " before "
            + upTo
            + ", the time verified up to; "
            + (isFinal(newest)
                ? "it was written at a clean stop: if OpenTrail has been stopped since, say so"
                    + " (opentrail verify --stopped)"
                : "it is not final (no clean stop), so later digests were deleted or never"
                    + " written"));
  }

  static boolean isFinal(DigestDocument.Parsed d) {
    return Boolean.TRUE.equals(d.members().get("final"));
  }

  /** {@code "3 interval(s) of 3600 s"}: whole intervals, a part counting as one. */
  static String intervals(long seconds, DigestDocument.Parsed d) {
    long interval = d.number("intervalSeconds", 1);
    long n = (seconds + interval - 1) / interval;
    return n + " interval(s) of " + interval + " s";
  }
}
