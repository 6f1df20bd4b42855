package org.opentrail.internal.digest;

/**
 * One thing a verifier found wrong (docs/PROOF.md section 4). A verifier that finds nothing reports
 * no findings; any finding is evidence of tampering or loss and makes it exit non-zero.
 *
 * @param kind what is wrong: one of the constants of this class, e.g. {@link #FILE_MODIFIED}
 * @param subject what it concerns: a log file's path, a digest's path (both relative to the
 *     destination's root, {@code /}-separated), or a time or sequence range
 * @param detail in words, with the values compared, e.g. {@code "SHA-256 ab12… (1043 bytes),
 *     expected 9f3c… (1051 bytes) as digest … lists it"}
 */
public record Finding(String kind, String subject, String detail) {
  /** A digest whose signature does not verify with the key it names. */
  public static final String SIGNATURE = "SignatureInvalid";

  /** A digest whose key is not among the public keys, or was not valid at its digestEndTime. */
  public static final String KEY = "KeyUnknownOrNotValid";

  /** A digest whose bytes differ from what its successor recorded (previousDigestHash). */
  public static final String DIGEST_ALTERED = "DigestAltered";

  /** Digests missing: named by a successor but absent, or a gap in time between two digests. */
  public static final String DIGEST_MISSING = "DigestMissing";

  /** A digest with {@code previousDigest: null} after the first one of its chain. */
  public static final String CHAIN_RESTARTED = "ChainRestarted";

  /** Two or more digests naming the same previous digest: the chain was forked. */
  public static final String CHAIN_FORKED = "ChainForked";

  /** The newest digest ends more than two intervals before the time verified up to. */
  public static final String TRUNCATED = "DigestsEndEarly";

  /** A file where a digest should be that is not one (docs/PROOF.md section 2). */
  public static final String FORMAT = "NotADigest";

  /** A log file a digest lists that is not in the destination. */
  public static final String FILE_MISSING = "LogFileMissing";

  /** A log file whose SHA-256 or size differs from what its digest lists. */
  public static final String FILE_MODIFIED = "LogFileModified";

  /** A log file no digest lists although it is older than the newest digest's end. */
  public static final String FILE_INSERTED = "LogFileNotInAnyDigest";

  /** A log file that only a digest that does not verify lists: nothing proves it. */
  public static final String FILE_UNPROVEN = "LogFileUnproven";

  /** A stream range whose records do not recompute the chain values its digest signed. */
  public static final String EVENTS_ALTERED = "EventsAltered";

  /** A stream range whose records are gone (sequence gaps), not by retention. */
  public static final String EVENTS_MISSING = "EventsMissing";

  /**
   * Events that cannot be proven: unreadable (damaged, not repaired), after a chain restarted by a
   * recovery, or covered only by a digest whose signature fails.
   */
  public static final String EVENTS_UNPROVEN = "EventsUnproven";

  public Finding {
    if (kind == null || subject == null || detail == null) {
      throw new IllegalArgumentException("a finding needs a kind, a subject and a detail");
    }
  }

  /** One line: {@code <kind> <subject>: <detail>}. */
  @Override
  public String toString() {
    return kind + " " + subject + ": " + detail;
  }
}
