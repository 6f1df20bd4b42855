package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destination digests in the running platform: a file destination gets digests every interval,
 * signed by the auth bundle's SigningKeys and checked here as a third party would, from
 * docs/PROOF.md and the keys {@code proof:keys --json} saves, with no OpenTrail code.
 */
class DigestPlatformTest {
  @TempDir Path dir;

  /** A digest file read as PROOF.md section 2 says. */
  record Digest(String path, byte[] bytes, Map<?, ?> members, byte[] signed, byte[] signature) {
    static Digest read(Path root, Path file) throws Exception {
      byte[] b = Files.readAllBytes(file);
      String text = new String(b, StandardCharsets.UTF_8);
      int at = text.lastIndexOf(",\"signature\":\"");
      assertTrue(at > 0 && text.endsWith("\"}\n"), "a digest ends with its signature: " + file);
      String sig = text.substring(at + ",\"signature\":\"".length(), text.length() - 3);
      byte[] signed = (text.substring(0, at) + "}").getBytes(StandardCharsets.UTF_8);
      return new Digest(
          root.relativize(file).toString(),
          b,
          new Gson().fromJson(text, Map.class),
          signed,
          Base64.getDecoder().decode(sig));
    }

    List<?> logFiles() {
      return (List<?>) members.get("logFiles");
    }
  }

  static List<Digest> digests(Path root) throws Exception {
    Path d = root.resolve("AliyunLogs/Actiontrail-Digest");
    List<Digest> out = new ArrayList<>();
    if (Files.isDirectory(d)) {
      try (Stream<Path> s = Files.walk(d)) {
        for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          out.add(Digest.read(root, f));
        }
      }
    }
    return out;
  }

  static double eventsListed(Path root) {
    try {
      return digests(root).stream()
          .flatMap(d -> d.logFiles().stream())
          .mapToDouble(f -> ((Number) ((Map<?, ?>) f).get("eventCount")).doubleValue())
          .sum();
    } catch (Exception e) {
      return -1; // a digest being written
    }
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void aFileDestinationGetsDigestsSignedByThePlatformsKeysChainedAndListingEveryFile()
      throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("etc"));
    Files.writeString(data.resolve("etc/org.opentrail.trail.cfg"), "digest.interval.seconds = 1\n");
    Path keys = dir.resolve("keys.json");
    Path root = data.resolve("oss/audit-log");
    String account;
    try (Instance ot = new Instance(data, List.of("core", "shell", "trail", "sink-file"))) {
      account = ot.account();
      ot.run("auth:grant");
      ot.run("trail:create digest-trail --start file:bucket=audit-log");
      ot.record(30, "alice");
      Instance.await(
          Duration.ofSeconds(30), () -> eventsListed(root) == 30, "digests listing every event");
      // the status learns of a digest just after its file is written
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("trail:status digest-trail").contains("last digest ends"),
          "trail:status to show the last digest");
      ot.run("proof:keys --json " + keys);
    }
    Map<?, ?> keyFile = new Gson().fromJson(Files.readString(keys), Map.class);
    Map<String, byte[]> byFingerprint = new HashMap<>();
    for (Object k : (List<?>) keyFile.get("PublicKeyList")) {
      Map<?, ?> m = (Map<?, ?>) k;
      byFingerprint.put(
          (String) m.get("Fingerprint"), Base64.getDecoder().decode((String) m.get("Value")));
    }
    List<Digest> ds = digests(root);
    assertTrue(ds.size() >= 2, ds.size() + " digests");
    Map<String, Object> listed = new HashMap<>();
    Digest prev = null;
    for (Digest d : ds) {
      Map<?, ?> m = d.members();
      assertEquals("destination", m.get("kind"));
      assertEquals(account, m.get("accountId"));
      assertEquals("digest-trail", m.get("trailName"));
      byte[] der = byFingerprint.get((String) m.get("publicKeyFingerprint"));
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
      v.update(d.signed());
      assertTrue(v.verify(d.signature()), "signature of " + d.path());
      if (prev == null) {
        assertNull(m.get("previousDigest"));
      } else {
        assertEquals(prev.path(), m.get("previousDigest"));
        assertEquals(sha256(prev.bytes()), m.get("previousDigestHash"));
        assertEquals(prev.members().get("digestEndTime"), m.get("digestStartTime"));
      }
      for (Object f : d.logFiles()) {
        Map<?, ?> lf = (Map<?, ?>) f;
        byte[] file = Files.readAllBytes(root.resolve((String) lf.get("object")));
        assertEquals(sha256(file), lf.get("hashValue"), (String) lf.get("object"));
        assertNull(listed.put((String) lf.get("object"), lf), "listed once");
      }
      prev = d;
    }
    assertEquals(Boolean.TRUE, prev.members().get("final"), "a clean stop writes a final digest");
    try (Stream<Path> s = Files.walk(root.resolve("AliyunLogs/Actiontrail"))) {
      assertEquals(
          listed.keySet().stream().sorted().toList(),
          s.filter(p -> p.toString().endsWith(".gz"))
              .map(p -> root.relativize(p).toString())
              .sorted()
              .toList(),
          "every delivered file is listed");
    }

    // the offline verifier, as an auditor runs it: passes, then finds one changed file
    Verified ok = verify(root, keys);
    assertEquals(0, ok.status(), ok.out() + ok.err());
    Path one = root.resolve((String) listed.keySet().stream().sorted().findFirst().orElseThrow());
    byte[] gz = Files.readAllBytes(one);
    gz[gz.length / 2] ^= 0x01;
    Files.write(one, gz);
    Verified bad = verify(root, keys);
    assertEquals(1, bad.status(), bad.out() + bad.err());
    assertTrue(bad.out().contains("LogFileModified " + root.relativize(one)), bad.out());
  }

  record Verified(int status, String out, String err) {}

  /** {@code opentrail verify <root> --keys <keys> --stopped}, in its own JVM. */
  static Verified verify(Path root, Path keys) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Instance.HOME.resolve("lib").toAbsolutePath() + "/*",
                "org.opentrail.launcher.Main",
                "verify",
                root.toString(),
                "--keys",
                keys.toString(),
                "--stopped")
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    return new Verified(p.exitValue(), out, err);
  }
}
