package org.opentrail.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.internal.digest.DigestChain;
import org.opentrail.internal.digest.DigestDocument;
import org.opentrail.internal.digest.DigestMaker;

/**
 * {@code opentrail verify} on a small destination made as OpenTrail makes one: its exit status, its
 * lines, its JSON, and what it says when the keys are missing.
 */
class VerifyCommandTest {
  static final Instant T0 = Instant.parse("2026-11-30T20:00:00Z");
  static final int HOURS = 3;

  @TempDir Path dir;
  Path destination;
  Path keysFile;
  final List<String> logFiles = new ArrayList<>();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** One account's key, valid from a day before T0. */
  static final class Keys implements SigningKeys {
    final KeyPair pair;

    Keys() throws Exception {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Override
    public PublicKeyInfo currentKey(String accountId) {
      byte[] der = pair.getPublic().getEncoded();
      return new PublicKeyInfo(
          DigestDocument.sha256Hex(der), "Ed25519", der, T0.minusSeconds(86400), null);
    }

    @Override
    public List<PublicKeyInfo> publicKeys(String accountId, Instant from, Instant to) {
      return List.of(currentKey(accountId));
    }

    @Override
    public PublicKeyInfo rotate(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public DigestSignature sign(String accountId, byte[] data) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(data);
        return new DigestSignature(currentKey(accountId).fingerprint(), "Ed25519", s.sign());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @BeforeEach
  void destination() throws Exception {
    destination = dir.resolve("oss/audit-log/team-a");
    Keys keys = new Keys();
    DigestChain.Link previous = null;
    for (int h = 0; h < HOURS; h++) {
      Instant start = T0.plusSeconds(h * 3600L);
      Instant end = start.plusSeconds(3600);
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("eventId", "e" + h);
      event.put("eventTime", start.plusSeconds(60).toString());
      event.put("eventName", "PutObject");
      byte[] gz = gzip(EventJson.write(List.of(event)));
      String object =
          "AliyunLogs/Actiontrail/cn-hangzhou/2026/11/30/Actiontrail_cn-hangzhou_202611302"
              + h
              + "0100_"
              + (h + 1)
              + "_1_0123456789abcdef0123456789abcdef.gz";
      write(object, gz);
      logFiles.add(object);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("object", object);
      entry.put("hashValue", DigestDocument.sha256Hex(gz));
      entry.put("size", (long) gz.length);
      LinkedHashMap<String, Object> own = new LinkedHashMap<>();
      own.put("trailName", "audit-trail");
      own.put("destination", "file-1");
      own.put("homeRegion", "cn-hangzhou");
      own.put("logFiles", List.of(entry));
      String path = DigestMaker.destinationPath("123456789012", "cn-hangzhou", "audit-trail", end);
      DigestMaker.Made m =
          DigestMaker.make(
              keys,
              "123456789012",
              "destination",
              path,
              start,
              end,
              3600,
              own,
              h == HOURS - 1,
              previous,
              Map.of());
      write(path, m.bytes());
      previous = m.link();
    }
    PublicKeyInfo k = keys.currentKey("123456789012");
    keysFile = dir.resolve("keys.json");
    Files.writeString(
        keysFile,
        "{\"PublicKeyList\": [{\"Fingerprint\": \""
            + k.fingerprint()
            + "\", \"Value\": \""
            + Base64.getEncoder().encodeToString(k.value())
            + "\", \"ValidityStartTime\": \""
            + k.validityStart()
            + "\", \"ValidityEndTime\": null}]}\n");
  }

  void write(String relative, byte[] bytes) throws IOException {
    Path p = destination.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(o)) {
      gz.write(b);
    }
    return o.toByteArray();
  }

  int verify(String... args) {
    return VerifyCommand.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  String end() {
    return T0.plusSeconds(HOURS * 3600L).toString();
  }

  @Test
  void aCleanDestinationPassesWithExitStatus0() {
    assertEquals(0, verify(destination.toString(), "--keys", keysFile.toString(), "--to", end()));
    List<String> lines = out().lines().toList();
    assertEquals(2, lines.size(), out());
    assertTrue(lines.get(0).startsWith("Chain of account 123456789012, trail audit-trail"), out());
    assertTrue(
        lines
            .get(1)
            .matches(
                "Verified 3 digests and 3 log files \\(.*\\) in .*: nothing found," + " PASSED"),
        out());
    assertEquals("", err());
  }

  @Test
  void aTamperedDestinationFailsWithExitStatus1AndOneLinePerFinding() throws IOException {
    write(logFiles.get(1), gzip("[]".getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, verify(destination.toString(), "--keys", keysFile.toString(), "--to", end()));
    assertTrue(out().startsWith("LogFileModified " + logFiles.get(1) + ": SHA-256 "), out());
    assertTrue(out().strip().endsWith("1 finding(s), FAILED"), out());
  }

  @Test
  void theEndIsCheckedAgainstNowUnlessStopped() {
    // the last digest is final: long after it, only --stopped lets it end the chain
    String later = T0.plusSeconds(10 * 3600L).toString();
    assertEquals(1, verify(destination.toString(), "--keys", keysFile.toString(), "--to", later));
    assertTrue(out().startsWith("DigestsEndEarly "), out());
    assertEquals(
        0,
        verify(destination.toString(), "--keys", keysFile.toString(), "--to", later, "--stopped"));
  }

  @Test
  void jsonIsOneReport() throws IOException {
    Files.delete(destination.resolve(logFiles.get(0)));
    assertEquals(
        1, verify("--json", destination.toString(), "--keys", keysFile.toString(), "--to", end()));
    Map<?, ?> report = (Map<?, ?>) EventJson.read(out().getBytes(StandardCharsets.UTF_8));
    assertEquals("FAILED", report.get("result"));
    List<?> findings = (List<?>) report.get("findings");
    assertEquals(1, findings.size(), out());
    assertEquals("LogFileMissing", ((Map<?, ?>) findings.get(0)).get("kind"));
    assertEquals(logFiles.get(0), ((Map<?, ?>) findings.get(0)).get("subject"));
    assertEquals(3, ((Number) report.get("digestsChecked")).intValue());
    assertEquals(1, ((List<?>) report.get("chains")).size());
  }

  @Test
  void withoutKeysItSaysWhatIsNeededAndHowToGetItWithExitStatus2() {
    assertEquals(2, verify(destination.toString()));
    assertTrue(err().contains("--keys FILE is needed"), err());
    assertTrue(err().contains("proof:keys --json"), err());
    assertEquals("", out());
  }

  @Test
  void unreadableKeysOrArgumentsAreExitStatus2InWords() throws IOException {
    assertEquals(2, verify(destination.toString(), "--keys", dir.resolve("nope.json").toString()));
    assertTrue(err().contains("there is no keys file"), err());
    assertTrue(err().contains("proof:keys --json"), err());
    Files.writeString(keysFile, "{\"Keys\": []}");
    assertEquals(2, verify(destination.toString(), "--keys", keysFile.toString()));
    assertTrue(err().contains("member 'Keys'"), err());
    assertEquals(2, verify(destination.toString(), "--keys", keysFile.toString(), "--to", "soon"));
    assertTrue(err().contains("--to needs an ISO-8601 time"), err());
    assertEquals(2, verify(dir.toString(), "--keys", keysFile.toString(), "--frobnicate"));
    assertTrue(err().contains("unknown option --frobnicate"), err());
    assertFalse(out().contains("PASSED"), out());
  }

  @Test
  void aDirectoryThatIsNoDestinationIsExitStatus2() {
    assertEquals(2, verify(dir.resolve("oss").toString(), "--keys", keysFile.toString()));
    assertTrue(err().contains("has no AliyunLogs directory"), err());
  }

  @Test
  void mainDispatchesVerifyBeforeItsOwnOptions() throws Exception {
    assertEquals(2, Main.run(new String[] {"verify", destination.toString()}));
    assertEquals(
        0,
        Main.run(
            new String[] {
              "--data", dir.resolve("unused").toString(),
              "verify", destination.toString(),
              "--keys", keysFile.toString(),
              "--to", end()
            }));
    assertFalse(Files.exists(dir.resolve("unused")), "verify touches no data directory");
  }
}
