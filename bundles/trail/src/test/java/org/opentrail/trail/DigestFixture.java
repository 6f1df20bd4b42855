package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.internal.digest.DigestDocument;
import org.opentrail.sink.file.FileSinkProvider;

/**
 * Trails as {@link TrailFixture}'s, with digests every second (home region {@code cn-test}), the
 * real file sink type (behind a switch that can take it down, and a hook after it wrote a batch's
 * files), and JDK Ed25519 signing keys.
 */
abstract class DigestFixture extends TrailFixture {
  static final String TRAIL = "proof-trail";
  static final String BUCKET = "audit-bucket";
  final JdkSigningKeys keys = new JdkSigningKeys();
  Switchable fileType;

  /** What runs after the file sink wrote a batch's files, before the engine hears of them. */
  interface Hook {
    void run(DeliveryBatch batch, List<DeliveredObject> written) throws Exception;
  }

  /** The file sink type, which a test can take down, or stop after it wrote a batch's files. */
  static final class Switchable implements SinkProvider {
    final FileSinkProvider real;
    volatile boolean down;
    volatile Hook afterFiles;

    Switchable(Path root) {
      real = new FileSinkProvider(root, 1);
    }

    @Override
    public void validate(Map<String, String> config) {
      real.validate(config);
    }

    @Override
    public Sink open(SinkTarget target) {
      ProvableSink s = (ProvableSink) real.open(target);
      return new ProvableSink() {
        @Override
        public List<DeliveredObject> deliverObjects(DeliveryBatch batch) throws Exception {
          check();
          List<DeliveredObject> written = s.deliverObjects(batch);
          Hook h = afterFiles;
          if (h != null) {
            h.run(batch, written);
          }
          return written;
        }

        @Override
        public void writeDigest(String path, byte[] content) throws Exception {
          check();
          s.writeDigest(path, content);
        }

        @Override
        public void close() {
          s.close();
        }
      };
    }

    private void check() throws IOException {
      if (down) {
        throw new IOException("the disk is away");
      }
    }
  }

  @Override
  TrailManager openTrails() throws Exception {
    return new TrailManager(
        store,
        dir.resolve("trails"),
        config(
            TrailConfig.class,
            Map.of(
                "batch.linger.millis",
                20,
                "retry.initial.millis",
                100,
                "retry.max.millis",
                400,
                "digest.interval.seconds",
                1)),
        "cn-test");
  }

  @BeforeEach
  void fileSinkAndKeys() {
    fileType = new Switchable(dir.resolve("oss"));
    trails.addSinkProvider("file", fileType);
    trails.bindSigningKeys(keys);
  }

  /** Stops the trails cleanly and starts them again over the same directories. */
  void restart() throws Exception {
    trails.close();
    trails = openTrails();
    trails.bindDeliveryRole(role);
    trails.addSinkProvider("file", fileType);
    trails.bindSigningKeys(keys);
  }

  void createLoggingTrail() {
    trails.create(
        A, TrailSpec.of(TRAIL, new DestinationSpec("oss", "file", Map.of("bucket", BUCKET))));
    trails.startLogging(A, TRAIL);
  }

  /** The destination's root: the bucket's directory. */
  Path root() {
    return dir.resolve("oss").resolve(BUCKET);
  }

  /** A digest file as written. */
  record Digest(String path, byte[] bytes, DigestDocument.Parsed doc) {
    String text(String member) {
      return doc.text(member);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> logFiles() {
      return (List<Map<String, Object>>) doc.members().get("logFiles");
    }
  }

  /** Every digest in the destination, oldest first (their names end with their end time). */
  List<Digest> digests() throws IOException {
    Path d = root().resolve("AliyunLogs/Actiontrail-Digest");
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<Digest> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(d)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        byte[] b = Files.readAllBytes(f);
        out.add(new Digest(root().relativize(f).toString(), b, DigestDocument.parse(b)));
      }
    }
    return out;
  }

  /** Every delivered log file: its name relative to the root, and its bytes. */
  Map<String, byte[]> logFiles() throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    Path d = root().resolve("AliyunLogs/Actiontrail");
    if (Files.isDirectory(d)) {
      try (Stream<Path> s = Files.walk(d)) {
        for (Path f : s.filter(p -> p.toString().endsWith(".gz")).toList()) {
          out.put(root().relativize(f).toString(), Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  /**
   * Checks what every digest must be: signed by the account's key, in this destination's layout,
   * each starting where its predecessor ended and naming its path, hash and signature.
   */
  void assertSignedAndChained(List<Digest> ds) throws Exception {
    byte[] der = keys.currentKey(A).value();
    Digest prev = null;
    for (Digest d : ds) {
      assertTrue(
          JdkSigningKeys.verifies(der, d.doc().signedBytes(), d.doc().signature()),
          "signature of " + d.path());
      assertEquals("1", d.text("digestVersion"));
      assertEquals("destination", d.text("kind"));
      assertEquals(A, d.text("accountId"));
      assertEquals(TRAIL, d.text("trailName"));
      assertEquals("oss", d.text("destination"));
      assertEquals("cn-test", d.text("homeRegion"));
      assertEquals(1L, d.doc().number("intervalSeconds", -1));
      assertEquals(keys.currentKey(A).fingerprint(), d.text("publicKeyFingerprint"));
      assertEquals("Ed25519", d.text("signatureAlgorithm"));
      String end = d.text("digestEndTime");
      String stamp = end.replace("-", "").replace(":", "");
      assertEquals(
          "AliyunLogs/Actiontrail-Digest/cn-test/"
              + end.substring(0, 10).replace('-', '/')
              + "/"
              + A
              + "_Actiontrail-Digest_cn-test_"
              + TRAIL
              + "_"
              + stamp
              + ".json",
          d.path());
      assertTrue(d.doc().time("digestStartTime").isBefore(d.doc().time("digestEndTime")), d.path());
      if (prev == null) {
        assertNull(d.text("previousDigest"), "the first digest names none");
        assertNull(d.text("previousDigestHash"));
        assertNull(d.text("previousDigestSignature"));
      } else {
        assertEquals(prev.path(), d.text("previousDigest"), d.path());
        assertEquals(
            DigestDocument.sha256Hex(prev.bytes()), d.text("previousDigestHash"), d.path());
        assertEquals(
            Base64.getEncoder().encodeToString(prev.doc().signature()),
            d.text("previousDigestSignature"),
            d.path());
        assertEquals(prev.text("digestEndTime"), d.text("digestStartTime"), d.path());
      }
      prev = d;
    }
  }

  /**
   * Checks that the digests list every delivered file exactly once, with its SHA-256 and size, and
   * nothing else; answers the events they hold.
   */
  long assertListedOnce(List<Digest> ds) throws Exception {
    Map<String, byte[]> files = logFiles();
    Map<String, Map<String, Object>> listed = new HashMap<>();
    long events = 0;
    for (Digest d : ds) {
      for (Map<String, Object> f : d.logFiles()) {
        String name = (String) f.get("object");
        assertNull(listed.put(name, f), name + " is listed twice, again in " + d.path());
        byte[] bytes = files.get(name);
        assertTrue(bytes != null, name + " is listed but not delivered");
        assertEquals(DigestDocument.sha256Hex(bytes), f.get("hashValue"), name);
        assertEquals(bytes.length, ((Number) f.get("size")).intValue(), name);
        events += ((Number) f.get("eventCount")).longValue();
      }
    }
    assertEquals(files.keySet(), listed.keySet(), "every delivered file is listed");
    return events;
  }
}
