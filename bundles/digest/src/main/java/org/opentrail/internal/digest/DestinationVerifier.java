package org.opentrail.internal.digest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Verifies a trail destination offline (docs/PROOF.md section 4): every chain of digests under
 * {@code AliyunLogs/Actiontrail-Digest/} (one per account, trail and destination), and the log
 * files they list, against the public keys. Reads the destination only; log files are hashed as
 * streams.
 */
public final class DestinationVerifier {
  private static final String DIGESTS = "AliyunLogs/Actiontrail-Digest";
  private static final long PROGRESS_NANOS = 5_000_000_000L;

  /** More than any interval's list of files would take (JSON strings are limited to 64 MiB). */
  static final long MAX_DIGEST_BYTES = 256L << 20;

  private DestinationVerifier() {}

  /**
   * What a destination's verification found.
   *
   * @param findings everything wrong; empty if nothing is
   * @param digestsChecked files under {@code AliyunLogs/Actiontrail-Digest/} read
   * @param logFilesChecked log files a valid digest lists, each hashed and compared
   * @param bytesHashed bytes of log files read and hashed (SHA-256)
   * @param millis how long it took, in milliseconds
   * @param chains each chain of digests: where it begins and ends
   * @param pendingFiles log files delivered after the newest digest, which the next one lists (not
   *     findings, and not proven yet)
   */
  public record Report(
      List<Finding> findings,
      int digestsChecked,
      int logFilesChecked,
      long bytesHashed,
      long millis,
      List<Chain> chains,
      int pendingFiles) {
    public Report {
      findings = List.copyOf(findings);
      chains = List.copyOf(chains);
    }
  }

  /**
   * One chain of digests.
   *
   * @param accountId the account whose key signs it
   * @param trailName the trail
   * @param destination the destination's id
   * @param firstDigest the path of its oldest digest
   * @param begins its oldest digest's {@code digestStartTime}
   * @param ends its newest digest's {@code digestEndTime}
   * @param digests how many digests it has
   */
  public record Chain(
      String accountId,
      String trailName,
      String destination,
      String firstDigest,
      Instant begins,
      Instant ends,
      int digests) {}

  /**
   * Verifies the destination whose root (the bucket and prefix, holding {@code AliyunLogs/}) is
   * {@code root}.
   *
   * @param upTo the time verified up to (see {@link DigestChainVerifier#verify}), {@code null} for
   *     no check of the chains' ends
   * @param stoppedOk whether OpenTrail was stopped (a final digest may then end a chain early)
   * @param progress told every few seconds how far it got, in words
   * @throws IllegalArgumentException if {@code root} has no {@code AliyunLogs} directory
   * @throws IOException if a file cannot be read (the message names it)
   */
  public static Report verify(
      Path root, PublicKeys keys, Instant upTo, boolean stoppedOk, Consumer<String> progress)
      throws IOException {
    long t0 = System.nanoTime();
    if (!Files.isDirectory(root.resolve("AliyunLogs"))) {
      throw new IllegalArgumentException(
          root
              + " has no AliyunLogs directory: give the destination's root (the bucket's directory"
              + " and prefix under which AliyunLogs/ is)");
    }
    List<Finding> findings = new ArrayList<>();
    Map<String, byte[]> all = readDigests(root, progress, t0, findings);
    Map<String, Map<String, byte[]>> byChain = new TreeMap<>();
    for (Map.Entry<String, byte[]> f : all.entrySet()) {
      try {
        DigestDocument.Parsed d = DigestDocument.parse(f.getValue());
        if (!"destination".equals(d.text("kind"))
            || d.text("accountId") == null
            || d.text("trailName") == null
            || d.text("destination") == null) {
          findings.add(
              new Finding(
                  Finding.FORMAT,
                  f.getKey(),
                  "not a destination digest: kind, accountId, trailName or destination is"
                      + " missing or wrong (kind "
                      + d.members().get("kind")
                      + ")"));
          continue;
        }
        String chain =
            d.text("accountId") + "\n" + d.text("trailName") + "\n" + d.text("destination");
        byChain.computeIfAbsent(chain, k -> new TreeMap<>()).put(f.getKey(), f.getValue());
      } catch (DigestFormatException e) {
        findings.add(new Finding(Finding.FORMAT, f.getKey(), "not a digest: " + e.getMessage()));
      }
    }
    LogFileChecker files = new LogFileChecker(root, progress);
    List<Chain> chains = new ArrayList<>();
    List<DigestChainVerifier.Gap> gaps = new ArrayList<>();
    Instant newestEnd = null;
    for (Map.Entry<String, Map<String, byte[]>> c : byChain.entrySet()) {
      DigestChainVerifier.Result r =
          DigestChainVerifier.verify(c.getValue(), all::get, keys, upTo, stoppedOk);
      findings.addAll(r.findings());
      gaps.addAll(r.gaps());
      java.util.Set<String> unsigned = r.unverified();
      for (int i = 0; i < r.paths().size(); i++) {
        // what a digest that does not verify lists proves nothing, and accuses nothing either:
        // its files count as listed by no digest
        if (!unsigned.contains(r.paths().get(i))) {
          files.add(r.paths().get(i), r.digests().get(i), findings);
        } else {
          files.addUnverified(r.paths().get(i), r.digests().get(i));
        }
      }
      if (!r.digests().isEmpty()) {
        String[] id = c.getKey().split("\n", 3);
        chains.add(
            new Chain(
                id[0], id[1], id[2], r.firstPath(), r.begins(), r.ends(), r.digests().size()));
        newestEnd = newestEnd == null || r.ends().isAfter(newestEnd) ? r.ends() : newestEnd;
      }
    }
    files.checkListed(findings);
    int unlisted =
        files.checkUnlisted(
            newestEnd, upTo, t -> gaps.stream().anyMatch(g -> g.contains(t)), findings);
    if (chains.isEmpty()) {
      findings.add(
          new Finding(
              Finding.DIGEST_MISSING,
              DIGESTS,
              "the destination has no digest"
                  + (all.isEmpty() ? "" : " that can be read")
                  + (unlisted == 0
                      ? ""
                      : ", so none of its " + unlisted + " log file(s) is proven")));
    }
    return new Report(
        findings,
        all.size(),
        files.filesChecked(),
        files.bytesHashed(),
        (System.nanoTime() - t0) / 1_000_000,
        chains,
        files.pending());
  }

  /**
   * Every file under the digest directory but files being written: path to bytes. A file too big to
   * be a digest is a {@link Finding#FORMAT}, not read.
   */
  private static Map<String, byte[]> readDigests(
      Path root, Consumer<String> progress, long t0, List<Finding> findings) throws IOException {
    Map<String, byte[]> all = new TreeMap<>();
    Path dir = root.resolve(DIGESTS);
    if (!Files.isDirectory(dir)) {
      return all;
    }
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.filter(Files::isRegularFile).filter(p -> !LogFileChecker.isTemporary(p)).toList();
    }
    long last = t0;
    for (Path p : paths) {
      String rel = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
      long size = Files.size(p);
      if (size > MAX_DIGEST_BYTES) {
        findings.add(
            new Finding(
                Finding.FORMAT,
                rel,
                "not a digest: " + size + " bytes, more than a digest's " + MAX_DIGEST_BYTES));
        continue;
      }
      all.put(rel, Files.readAllBytes(p));
      if (System.nanoTime() - last >= PROGRESS_NANOS) {
        last = System.nanoTime();
        progress.accept("read " + all.size() + " of " + paths.size() + " digests");
      }
    }
    return all;
  }
}
