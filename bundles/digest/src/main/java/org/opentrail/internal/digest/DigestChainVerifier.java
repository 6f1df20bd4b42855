package org.opentrail.internal.digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks one chain of digests (a stream's, or a trail destination's) as docs/PROOF.md section 4
 * says: every digest is a digest, signed with a key valid at its end; each names a previous digest
 * that is there, unaltered, and ends where it starts; the chain begins once and does not fork; and
 * it does not end early. What the digests cover (log files, stream records) is the caller's to
 * check, from {@link Result#digests()}.
 */
public final class DigestChainVerifier {
  private DigestChainVerifier() {}

  /**
   * What a chain holds and what is wrong with it.
   *
   * @param paths the path of every digest that parsed, oldest first by {@code digestEndTime}
   * @param digests those digests, in the same order
   * @param findings what is wrong, in the order found; empty if nothing is
   */
  public record Result(
      List<String> paths, List<DigestDocument.Parsed> digests, List<Finding> findings) {
    public Result {
      paths = List.copyOf(paths);
      digests = List.copyOf(digests);
      findings = List.copyOf(findings);
    }

    /**
     * The paths of the digests that do not verify (signature, key or format): what they say proves
     * nothing, and accuses nothing either.
     */
    public java.util.Set<String> unverified() {
      java.util.Set<String> out = new java.util.HashSet<>();
      for (Finding f : findings) {
        if (f.kind().equals(Finding.SIGNATURE)
            || f.kind().equals(Finding.KEY)
            || f.kind().equals(Finding.FORMAT)) {
          out.add(f.subject());
        }
      }
      return out;
    }

    /** The path of the digest the chain begins with (the oldest), or {@code null} if none. */
    public String firstPath() {
      return paths.isEmpty() ? null : paths.get(0);
    }

    /** Where the chain begins: its oldest digest's {@code digestStartTime}, or {@code null}. */
    public Instant begins() {
      return digests.isEmpty() ? null : digests.get(0).time("digestStartTime");
    }

    /** Where the chain ends: its newest digest's {@code digestEndTime}, or {@code null}. */
    public Instant ends() {
      return digests.isEmpty() ? null : digests.get(digests.size() - 1).time("digestEndTime");
    }

    /**
     * The times no digest of the chain covers although the chain says they should be: between two
     * digests that do not meet, and before its oldest digest if that one names a previous digest
     * (its beginning is gone). What was delivered in them is proven by no digest.
     */
    public List<Gap> gaps() {
      List<Gap> out = new ArrayList<>();
      for (int i = 0; i < digests.size(); i++) {
        Instant start = digests.get(i).time("digestStartTime");
        if (i == 0) {
          if (digests.get(0).text("previousDigest") != null) {
            out.add(new Gap(null, start));
          }
        } else if (digests.get(i - 1).time("digestEndTime").isBefore(start)) {
          out.add(new Gap(digests.get(i - 1).time("digestEndTime"), start));
        }
      }
      return out;
    }
  }

  /**
   * A time no digest covers: [{@code from}, {@code to}).
   *
   * @param from where it starts, or {@code null} if it is open (before a chain's first digest)
   */
  public record Gap(Instant from, Instant to) {
    /** True if {@code t} is in it. */
    public boolean contains(Instant t) {
      return (from == null || !t.isBefore(from)) && t.isBefore(to);
    }
  }

  /**
   * Verifies a chain.
   *
   * @param files every digest of the chain: its path (relative, as {@code previousDigest} names it)
   *     to its bytes
   * @param keys the public keys to trust
   * @param upTo the time verified up to: the newest digest must end at most two of its intervals
   *     before it; {@code null} for no such check
   * @param stoppedOk whether OpenTrail was stopped: a newest digest that is {@code final} (written
   *     at a clean stop) then ends the chain, however long ago
   */
  public static Result verify(
      Map<String, byte[]> files, PublicKeys keys, Instant upTo, boolean stoppedOk) {
    return verify(files, path -> null, keys, upTo, stoppedOk);
  }

  /**
   * {@link #verify(Map, PublicKeys, Instant, boolean)}, looking up a previous digest that is not in
   * {@code files} in {@code elsewhere} (e.g. a file of the destination that did not parse, or that
   * belongs to another chain), so that it is reported as altered rather than missing.
   *
   * @param elsewhere a digest's bytes by path, or {@code null} if there is no such file
   */
  public static Result verify(
      Map<String, byte[]> files,
      Function<String, byte[]> elsewhere,
      PublicKeys keys,
      Instant upTo,
      boolean stoppedOk) {
    List<Finding> findings = new ArrayList<>();
    Map<String, DigestDocument.Parsed> parsed = new TreeMap<>();
    for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
      try {
        DigestDocument.Parsed d = DigestDocument.parse(f.getValue());
        String problem = ChainFindings.shapeProblem(d);
        if (problem != null) {
          findings.add(new Finding(Finding.FORMAT, f.getKey(), problem));
        } else {
          parsed.put(f.getKey(), d);
        }
      } catch (DigestFormatException e) {
        findings.add(new Finding(Finding.FORMAT, f.getKey(), "not a digest: " + e.getMessage()));
      }
    }
    List<String> paths = new ArrayList<>(parsed.keySet());
    paths.sort(
        Comparator.comparing((String p) -> parsed.get(p).time("digestEndTime"))
            .thenComparing(Comparator.naturalOrder()));
    List<DigestDocument.Parsed> digests = paths.stream().map(parsed::get).toList();
    Map<String, List<String>> successors = new LinkedHashMap<>();
    boolean newestVerifies = false;
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i);
      DigestDocument.Parsed d = digests.get(i);
      Finding signature = keys.problem(path, d);
      if (signature != null) {
        findings.add(signature);
      }
      newestVerifies = signature == null;
      String previous = d.text("previousDigest");
      if (previous == null) {
        if (i > 0) {
          findings.add(ChainFindings.restarted(paths, digests, i));
        }
        continue;
      }
      successors.computeIfAbsent(previous, k -> new ArrayList<>()).add(path);
      byte[] bytes = files.containsKey(previous) ? files.get(previous) : elsewhere.apply(previous);
      if (bytes == null) {
        findings.add(ChainFindings.missing(previous, path, d, paths, digests, i));
      } else {
        ChainFindings.checkLink(previous, bytes, parsed.get(previous), path, d, findings);
      }
    }
    successors.forEach(
        (previous, claimants) -> {
          if (claimants.size() > 1) {
            findings.add(ChainFindings.forked(previous, claimants));
          }
        });
    if (upTo != null && !digests.isEmpty()) {
      DigestDocument.Parsed newest = digests.get(digests.size() - 1);
      Finding end = ChainFindings.truncated(paths.get(paths.size() - 1), newest, upTo);
      // a final flag counts only in a digest that verifies: it is what a forger would add
      if (end != null && !(stoppedOk && ChainFindings.isFinal(newest) && newestVerifies)) {
        findings.add(end);
      }
    }
    return new Result(paths, digests, findings);
  }
}
