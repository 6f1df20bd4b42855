package org.opentrail.internal.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.EventJson;

/**
 * The seeded tamper suite's destination and tools: a destination built as OpenTrail builds one
 * (from {@link #SEED}), verified with the account's public keys; each test tampers with it and
 * checks that what it did is found, and nothing else is. Which file, event, byte or digest a test
 * tampers with comes from its own seed, made of {@link #SEED} and the test's name; both are printed
 * in every failure.
 */
abstract class TamperFixture {
  static final long SEED = 20261130L;

  @TempDir Path root;
  SyntheticDestination dest;
  Random random;
  long testSeed;

  @BeforeEach
  void build(TestInfo test) throws IOException {
    dest = SyntheticDestination.build(root, SEED, -1, false);
    testSeed = SEED * 31 + test.getDisplayName().hashCode();
    random = new Random(testSeed);
  }

  DestinationVerifier.Report verify(Path at, Instant upTo, boolean stopped) throws IOException {
    return DestinationVerifier.verify(
        at, PublicKeys.of(dest.keys.infos()), upTo, stopped, message -> {});
  }

  DestinationVerifier.Report verify() throws IOException {
    return verify(root, SyntheticDestination.end().plusSeconds(3600), false);
  }

  /** The findings are exactly {@code expected}, each "kind subject". */
  void assertFindings(DestinationVerifier.Report r, String... expected) {
    List<String> got =
        r.findings().stream().map(f -> f.kind() + " " + f.subject()).sorted().toList();
    assertEquals(
        List.of(expected).stream().sorted().toList(),
        got,
        () ->
            "seeds "
                + SEED
                + ", "
                + testSeed
                + "; findings:\n"
                + String.join("\n", str(r.findings())));
  }

  /**
   * "LogFileUnproven object" for each file on disk that the digest at {@code digestPath} lists (as
   * it is now): what a digest that does not verify leaves unproven.
   */
  String[] unprovenBy(String digestPath, String... more) throws IOException {
    List<String> out = new java.util.ArrayList<>(List.of(more));
    DigestDocument.Parsed d =
        DigestDocument.parse(java.nio.file.Files.readAllBytes(root.resolve(digestPath)));
    for (Object o : (List<?>) d.members().get("logFiles")) {
      String object = (String) ((java.util.Map<?, ?>) o).get("object");
      if (java.nio.file.Files.exists(root.resolve(object))) {
        out.add(Finding.FILE_UNPROVEN + " " + object);
      }
    }
    return out.toArray(String[]::new);
  }

  /** An assertion message: the seeds, then {@code what}. */
  String why(Object what) {
    return "seeds " + SEED + ", " + testSeed + ": " + what;
  }

  static List<String> str(List<Finding> findings) {
    return findings.stream().map(Finding::toString).toList();
  }

  <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  /** A random hour whose digest lists files, from {@code from} to {@code to} exclusive. */
  int pickHourWithFiles(int from, int to) {
    return pick(
        IntStream.range(from, to).filter(i -> !dest.files.get(i).isEmpty()).boxed().toList());
  }

  byte[] read(String relative) throws IOException {
    return Files.readAllBytes(root.resolve(relative));
  }

  @SuppressWarnings("unchecked")
  List<Object> events(String file) throws IOException {
    return new ArrayList<>((List<Object>) EventJson.read(SyntheticDestination.gunzip(read(file))));
  }

  void writeEvents(String file, List<Object> events) throws IOException {
    dest.write(file, SyntheticDestination.gzip(EventJson.write(events)));
  }

  String fingerprint(int hour) throws IOException {
    return DigestDocument.parse(read(dest.digests.get(hour))).text("publicKeyFingerprint");
  }
}
