package org.opentrail.internal.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrail.api.proof.DigestSignature;

/**
 * The tamper suite, part two: digests deleted, altered, replaced, signed with the wrong key, a
 * chain restarted or forked, its end cut off.
 */
class DigestTamperTest extends TamperFixture {
  @ParameterizedTest(name = "{0} consecutive digests deleted")
  @ValueSource(ints = {1, 2, 3})
  void consecutiveDeletedDigestsAreFoundWithTheNumberOfIntervals(int deleted) throws IOException {
    int first = 1 + random.nextInt(SyntheticDestination.INTERVALS - 1 - deleted);
    for (int i = first; i < first + deleted; i++) {
      Files.delete(root.resolve(dest.digests.get(i)));
    }
    DestinationVerifier.Report r = verify();
    assertFindings(r, Finding.DIGEST_MISSING + " " + dest.digests.get(first + deleted - 1));
    String detail = r.findings().get(0).detail();
    assertTrue(detail.contains(deleted + " interval(s) of 3600 s"), why(detail));
    assertTrue(
        detail.contains(SyntheticDestination.T0.plusSeconds(first * 3600L).toString()),
        why(detail));
  }

  @Test
  void theFirstDigestDeletedIsABeginningMissing() throws IOException {
    Files.delete(root.resolve(dest.digests.get(0)));
    DestinationVerifier.Report r = verify();
    assertFindings(r, Finding.DIGEST_MISSING + " " + dest.digests.get(0));
    assertTrue(r.findings().get(0).detail().contains("beginning"), why(r.findings()));
  }

  @Test
  void theNewestDigestsDeletedEndTheChainEarly() throws IOException {
    int kept = SyntheticDestination.INTERVALS - 1 - random.nextInt(3) - 2;
    for (int i = kept + 1; i < SyntheticDestination.INTERVALS; i++) {
      Files.delete(root.resolve(dest.digests.get(i)));
    }
    Instant upTo = SyntheticDestination.end().plusSeconds(600);
    assertFindings(verify(root, upTo, false), Finding.TRUNCATED + " " + dest.digests.get(kept));
    assertFindings(verify(root, upTo, true), Finding.TRUNCATED + " " + dest.digests.get(kept));
    assertFindings(verify(root, null, false));
  }

  @Test
  void aFinalDigestEndsTheChainOnlyIfOpenTrailWasStopped(@TempDir Path other) throws IOException {
    dest = SyntheticDestination.build(other, SEED, -1, true);
    Instant upTo = SyntheticDestination.end().plusSeconds(5 * 3600);
    String last = dest.digests.get(SyntheticDestination.INTERVALS - 1);
    assertFindings(verify(other, upTo, false), Finding.TRUNCATED + " " + last);
    assertFindings(verify(other, upTo, true));
  }

  /** Digest {@code hour} with one listed file modified and its entry changed to match. */
  LinkedHashMap<String, Object> alteredToHideAModifiedFile(int hour) throws IOException {
    String file = pick(dest.files.get(hour));
    List<Object> events = events(file);
    events.remove(random.nextInt(events.size()));
    writeEvents(file, events);
    byte[] now = read(file);
    LinkedHashMap<String, Object> m =
        new LinkedHashMap<>(DigestDocument.parse(read(dest.digests.get(hour))).members());
    List<Object> entries = new ArrayList<>();
    for (Object o : (List<?>) m.get("logFiles")) {
      Map<String, Object> e = new LinkedHashMap<>((Map<String, Object>) o);
      if (e.get("object").equals(file)) {
        e.put("hashValue", DigestDocument.sha256Hex(now));
        e.put("size", (long) now.length);
      }
      entries.add(e);
    }
    m.put("logFiles", entries);
    return m;
  }

  void writeSigned(String path, LinkedHashMap<String, Object> m, KeyPair signer, String fp)
      throws IOException {
    m.put("publicKeyFingerprint", fp);
    byte[] sig = RotatingKeys.sign(signer, DigestDocument.signingInput(m));
    dest.write(path, DigestDocument.write(m, new DigestSignature(fp, "Ed25519", sig)));
  }

  @Test
  void aDigestAlteredWithoutSigningAgainIsFound() throws IOException {
    int hour = pickHourWithFiles(0, SyntheticDestination.INTERVALS - 1);
    String path = dest.digests.get(hour);
    LinkedHashMap<String, Object> m = alteredToHideAModifiedFile(hour);
    byte[] oldSignature = DigestDocument.parse(read(path)).signature();
    dest.write(path, DigestDocument.write(m, new DigestSignature("x", "Ed25519", oldSignature)));
    assertFindings(
        verify(),
        unprovenBy(path, Finding.SIGNATURE + " " + path, Finding.DIGEST_ALTERED + " " + path));
  }

  @Test
  void aDigestAlteredAndSignedByAnotherKeyIsFound() throws IOException {
    int hour = pickHourWithFiles(0, SyntheticDestination.INTERVALS - 1);
    String path = dest.digests.get(hour);
    KeyPair attacker = RotatingKeys.generate();
    writeSigned(
        path,
        alteredToHideAModifiedFile(hour),
        attacker,
        DigestDocument.sha256Hex(attacker.getPublic().getEncoded()));
    assertFindings(
        verify(), unprovenBy(path, Finding.KEY + " " + path, Finding.DIGEST_ALTERED + " " + path));
  }

  @Test
  void aDigestAlteredAndSignedByAnotherKeyUnderTheRealKeysNameIsFound() throws IOException {
    int hour = pickHourWithFiles(0, SyntheticDestination.INTERVALS - 1);
    String path = dest.digests.get(hour);
    writeSigned(path, alteredToHideAModifiedFile(hour), RotatingKeys.generate(), fingerprint(hour));
    assertFindings(
        verify(),
        unprovenBy(path, Finding.SIGNATURE + " " + path, Finding.DIGEST_ALTERED + " " + path));
  }

  @Test
  void theNewestDigestAlteredToListNothingLeavesItsFilesInNoDigest() throws IOException {
    int hour = SyntheticDestination.INTERVALS - 1;
    String path = dest.digests.get(hour);
    DigestDocument.Parsed p = DigestDocument.parse(read(path));
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(p.members());
    m.put("logFiles", List.of());
    dest.write(path, DigestDocument.write(m, new DigestSignature("x", "Ed25519", p.signature())));
    List<String> expected = new ArrayList<>(List.of(Finding.SIGNATURE + " " + path));
    dest.files.get(hour).forEach(f -> expected.add(Finding.FILE_INSERTED + " " + f));
    assertFindings(verify(), expected.toArray(String[]::new));
  }

  @Test
  void aForgedFinalFlagDoesNotExcuseTheDeletedEnd() throws IOException {
    int kept = SyntheticDestination.INTERVALS - 3;
    for (int i = kept + 1; i < SyntheticDestination.INTERVALS; i++) {
      Files.delete(root.resolve(dest.digests.get(i)));
    }
    String path = dest.digests.get(kept);
    DigestDocument.Parsed p = DigestDocument.parse(read(path));
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(p.members());
    m.put("final", true);
    dest.write(path, DigestDocument.write(m, new DigestSignature("x", "Ed25519", p.signature())));
    assertFindings(
        verify(root, SyntheticDestination.end().plusSeconds(600), true),
        Finding.SIGNATURE + " " + path,
        Finding.TRUNCATED + " " + path);
  }

  @Test
  void aDigestReplacedByOneSignedWithAnotherKeyIsFound() throws IOException {
    int hour = pickHourWithFiles(1, SyntheticDestination.INTERVALS - 1);
    String path = dest.digests.get(hour);
    // the attacker deletes a file and makes the hour's digest again without it, under its own key
    String file = pick(dest.files.get(hour));
    Files.delete(root.resolve(file));
    LinkedHashMap<String, Object> own = new LinkedHashMap<>(dest.owns.get(hour));
    own.put(
        "logFiles",
        ((List<?>) own.get("logFiles"))
            .stream().filter(e -> !((Map<?, ?>) e).get("object").equals(file)).toList());
    Instant end = SyntheticDestination.T0.plusSeconds((hour + 1) * 3600L);
    DigestMaker.Made forged =
        DigestMaker.make(
            new RotatingKeys(Instant.EPOCH),
            SyntheticDestination.ACCOUNT,
            "destination",
            path,
            end.minusSeconds(3600),
            end,
            3600,
            own,
            false,
            dest.made.get(hour - 1).link(),
            Map.of());
    dest.write(path, forged.bytes());
    assertFindings(
        verify(), unprovenBy(path, Finding.KEY + " " + path, Finding.DIGEST_ALTERED + " " + path));
  }

  @Test
  void aDigestSignedWithARetiredKeyAfterItsRotationIsFound() throws IOException {
    int hour = SyntheticDestination.ROTATE_IN + 1 + random.nextInt(3);
    String path = dest.digests.get(hour);
    LinkedHashMap<String, Object> m =
        new LinkedHashMap<>(DigestDocument.parse(read(path)).members());
    String retired = dest.keys.infos().get(0).fingerprint();
    writeSigned(path, m, dest.keys.pair(0), retired);
    DestinationVerifier.Report r = verify();
    assertFindings(
        r, unprovenBy(path, Finding.KEY + " " + path, Finding.DIGEST_ALTERED + " " + path));
    assertTrue(
        r.findings().stream().anyMatch(f -> f.detail().contains("is after the key was retired")),
        why(r.findings()));
  }

  @Test
  void aChainRestartedUnderANewKeyIsFound(@TempDir Path other) throws IOException {
    int restart =
        pick(
            IntStream.range(1, SyntheticDestination.INTERVALS)
                .filter(i -> i != SyntheticDestination.ROTATE_IN)
                .boxed()
                .toList());
    dest = SyntheticDestination.build(other, SEED, restart, false);
    DestinationVerifier.Report r = verify(other, SyntheticDestination.end(), false);
    assertFindings(r, Finding.CHAIN_RESTARTED + " " + dest.digests.get(restart));
    assertEquals(dest.digests.get(0), r.chains().get(0).firstDigest());
  }

  @Test
  void aForgedBranchBesideTheChainIsFound() throws IOException {
    int hour = 1 + random.nextInt(SyntheticDestination.INTERVALS - 2);
    LinkedHashMap<String, Object> m =
        new LinkedHashMap<>(DigestDocument.parse(read(dest.digests.get(hour))).members());
    m.put("logFiles", List.of());
    String forged = dest.digests.get(hour).replace(".json", "-1.json");
    KeyPair attacker = RotatingKeys.generate();
    dest.write(forged, new byte[0]);
    writeSigned(forged, m, attacker, DigestDocument.sha256Hex(attacker.getPublic().getEncoded()));
    assertFindings(
        verify(),
        Finding.KEY + " " + forged,
        Finding.CHAIN_FORKED + " " + dest.digests.get(hour - 1));
  }

  @Test
  void somethingElseWhereADigestWasIsFound() throws IOException {
    int hour = pickHourWithFiles(0, SyntheticDestination.INTERVALS - 1);
    String path = dest.digests.get(hour);
    dest.write(path, "{\"not\":\"a digest\"}\n".getBytes(StandardCharsets.UTF_8));
    // the files it listed are in a time no valid digest covers: reported as that, not one by one
    assertFindings(verify(), Finding.FORMAT + " " + path, Finding.DIGEST_ALTERED + " " + path);
  }
}
