package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream digests in the running platform (feature {@code proof}): written every interval by
 * themselves, {@code proof:verify} proves an untouched history, and after a restart finds a digest
 * altered on disk meanwhile and one deleted.
 */
class ProofPlatformTest {
  @TempDir Path dir;

  @Test
  void digestsAreWrittenByThemselvesAndAlteredOrDeletedOnesAreFound() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("etc"));
    Files.writeString(data.resolve("etc/org.opentrail.proof.cfg"), "digest.interval.seconds = 2\n");
    Path batch = dir.resolve("batch.json");
    Files.writeString(batch, PlatformTest.events("alice", 20));
    Path streams = data.resolve("digests/streams/history");
    try (Instance ot = Instance.withHttp(data, "proof")) {
      ot.run("event:record " + batch);
      Instance.await(Duration.ofSeconds(20), () -> digests(streams).size() >= 3, "three digests");
      String proven = ot.run("proof:verify history");
      assertTrue(proven.contains("history: proven"), proven);
      // a changed interval is applied without a digest marked final (that means a clean stop)
      Files.writeString(
          data.resolve("etc/org.opentrail.proof.cfg"), "digest.interval.seconds = 3\n");
      Thread.sleep(2500);
      for (Path d : digests(streams)) {
        assertFalse(Files.readString(d).contains("\"final\":true"), "no final digest: " + d);
      }
      // between two boundaries, proof:digest ends an interval early
      Instance.await(
          Duration.ofSeconds(5),
          () -> ot.run("proof:digest").contains("history/"),
          "proof:digest to write a digest between two boundaries");
    }
    List<Path> written = digests(streams);
    assertTrue(
        Files.readString(written.get(written.size() - 1)).contains("\"final\":true"),
        "a clean stop writes a final digest");
    Path altered = written.get(written.size() / 2);
    String text = Files.readString(altered);
    Files.writeString(altered, text.replace("\"final\":false", "\"final\":true"));
    Files.delete(written.get(1));
    try (Instance ot = Instance.withHttp(data, "proof")) {
      String error = ot.fails("proof:verify history");
      assertTrue(error.contains("NOT PROVEN"), error);
      assertTrue(error.contains("SignatureInvalid"), error);
      assertTrue(error.contains("DigestMissing"), error);
      assertFalse(ot.run("proof:keys").contains("no signing key"));
    }
  }

  static List<Path> digests(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
