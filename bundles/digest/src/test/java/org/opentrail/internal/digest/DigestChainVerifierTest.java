package org.opentrail.internal.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stream's chain of digests, as the live history check hands it over: paths to bytes. */
class DigestChainVerifierTest {
  static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
  final RotatingKeys keys = new RotatingKeys(T0.minusSeconds(86400));
  final Map<String, byte[]> files = new HashMap<>();
  final List<String> paths = new java.util.ArrayList<>();
  DigestChain.Link last;

  /** Appends a stream digest for [start, end). */
  void add(Instant start, Instant end, String version) {
    LinkedHashMap<String, Object> own = new LinkedHashMap<>();
    own.put("stream", "history");
    own.put("startSequence", 1L);
    own.put("endSequence", 0L);
    String path = DigestMaker.streamPath("history", end);
    if (version != null) {
      own.put("digestVersion", version); // overrides the first member's value
    }
    DigestMaker.Made m =
        DigestMaker.make(
            keys, "123456789012", "stream", path, start, end, 3600, own, false, last, Map.of());
    files.put(path, m.bytes());
    paths.add(path);
    last = m.link();
  }

  void hours(int from, int to) {
    for (int h = from; h < to; h++) {
      add(T0.plusSeconds(h * 3600L), T0.plusSeconds((h + 1) * 3600L), null);
    }
  }

  PublicKeys publicKeys() {
    return PublicKeys.of(keys.infos());
  }

  static List<String> kinds(DigestChainVerifier.Result r) {
    return r.findings().stream().map(f -> f.kind() + " " + f.subject()).toList();
  }

  @Test
  void aWholeChainPassesOldestFirstAndSaysWhereItBeginsAndEnds() {
    hours(0, 6);
    DigestChainVerifier.Result r =
        DigestChainVerifier.verify(files, publicKeys(), T0.plusSeconds(6 * 3600 + 60), false);
    assertEquals(List.of(), r.findings());
    assertEquals(paths, r.paths(), "oldest first, whatever order the map has");
    assertEquals(6, r.digests().size());
    assertEquals(paths.get(0), r.firstPath());
    assertEquals(T0, r.begins());
    assertEquals(T0.plusSeconds(6 * 3600), r.ends());
    assertEquals(List.of(), r.gaps());
  }

  @Test
  void aDigestStartingAfterItsPreviousEndsIsAGapOfCountedIntervals() {
    hours(0, 2);
    add(T0.plusSeconds(4 * 3600), T0.plusSeconds(5 * 3600), null); // hours 2 and 3 skipped
    DigestChainVerifier.Result r = DigestChainVerifier.verify(files, publicKeys(), null, false);
    String from = T0.plusSeconds(2 * 3600).toString();
    String to = T0.plusSeconds(4 * 3600).toString();
    assertEquals(List.of(Finding.DIGEST_MISSING + " " + from + "/" + to), kinds(r));
    assertTrue(r.findings().get(0).detail().contains("2 interval(s) of 3600 s"), r.toString());
    assertEquals(
        List.of(new DigestChainVerifier.Gap(T0.plusSeconds(2 * 3600), T0.plusSeconds(4 * 3600))),
        r.gaps());
  }

  @Test
  void withoutATimeToVerifyUpToAnOldChainIsNotTruncated() {
    hours(0, 3);
    assertEquals(
        List.of(), DigestChainVerifier.verify(files, publicKeys(), null, false).findings());
    DigestChainVerifier.Result late =
        DigestChainVerifier.verify(files, publicKeys(), T0.plusSeconds(5 * 3600 + 1), false);
    assertEquals(List.of(Finding.TRUNCATED + " " + paths.get(2)), kinds(late));
    // exactly two intervals after the newest end is still in time
    assertEquals(
        List.of(),
        DigestChainVerifier.verify(files, publicKeys(), T0.plusSeconds(5 * 3600), false)
            .findings());
  }

  @Test
  void anEmptyChainHasNothingToSay() {
    DigestChainVerifier.Result r = DigestChainVerifier.verify(Map.of(), publicKeys(), T0, false);
    assertEquals(List.of(), r.findings());
    assertEquals(null, r.firstPath());
  }

  @Test
  void aDigestOfAnotherVersionOrNotJsonIsNotADigest() {
    hours(0, 1);
    add(T0.plusSeconds(3600), T0.plusSeconds(7200), "2");
    files.put("junk.json", "hello".getBytes(StandardCharsets.UTF_8));
    DigestChainVerifier.Result r = DigestChainVerifier.verify(files, publicKeys(), null, false);
    assertEquals(
        List.of(Finding.FORMAT + " " + paths.get(1), Finding.FORMAT + " junk.json"),
        kinds(r).stream().sorted().toList());
    assertEquals(List.of(paths.get(0)), r.paths());
  }

  @Test
  void aPreviousDigestFoundElsewhereIsComparedNotReportedMissing() {
    hours(0, 3);
    byte[] middle = files.remove(paths.get(1));
    middle[10] ^= 1;
    DigestChainVerifier.Result r =
        DigestChainVerifier.verify(
            files, p -> p.equals(paths.get(1)) ? middle : null, publicKeys(), null, false);
    assertEquals(List.of(Finding.DIGEST_ALTERED + " " + paths.get(1)), kinds(r));
  }
}
