package org.opentrail.sink.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.internal.osslayout.OssLayout;
import org.opentrail.sink.file.FileSinkProvider;
import org.osgi.util.converter.Converters;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The s3 sink against a real S3 server (S3Proxy), started once for the class. */
class S3SinkTest {
  static final String ACCOUNT = "1234567890123456";
  @TempDir static Path dir;
  static S3Server server;
  static S3Client reader;

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3Server(Files.createDirectories(dir.resolve("blobs")));
    reader = server.client();
    for (String b : List.of("mixed", "again", "outage", "proof", "files-too")) {
      reader.createBucket(r -> r.bucket(b));
    }
  }

  @AfterAll
  static void stopServer() throws Exception {
    reader.close();
    server.close();
  }

  static S3SinkConfig config(Map<String, Object> values) {
    Map<String, Object> m = new HashMap<>();
    m.put("endpoint", server.endpoint());
    m.put("accessKeyId", S3Server.ACCESS_KEY);
    m.put("secretAccessKey", S3Server.SECRET_KEY);
    m.put("connectTimeoutSeconds", 2);
    m.put("requestTimeoutSeconds", 10);
    m.putAll(values);
    return Converters.standardConverter().convert(m).to(S3SinkConfig.class);
  }

  static S3SinkProvider provider() {
    return new S3SinkProvider(config(Map.of()), "cn-home");
  }

  static ProvableSink open(S3SinkProvider p, Map<String, String> dest) throws Exception {
    p.validate(dest);
    return (ProvableSink) p.open(new SinkTarget(ACCOUNT, "my-trail", "s3", dest));
  }

  /** A mixed stream: regions, global events, two days, and one region/day over one part. */
  static List<StoredEvent> mixed(long firstSeq, int n) {
    List<StoredEvent> events = new ArrayList<>();
    String[] regions = {"cn-hangzhou", "eu-central-1", "cn-hangzhou", "us-west-1", "bad region!"};
    for (int i = 0; i < n; i++) {
      long seq = firstSeq + i;
      String time = i < n / 2 ? "2026-11-29T23:59:" + (10 + i % 50) + "Z" : "2026-11-30T00:00:01Z";
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("eventId", "ev-" + seq);
      f.put("eventTime", time);
      f.put("acsRegion", regions[i % regions.length]);
      f.put("eventName", i % 7 == 0 ? "CreateUser" : "PutObject");
      if (i % 7 == 0) {
        f.put("isGlobal", true);
      }
      f.put("requestParameters", Map.of("n", i, "text", "é ü \" \\ ✓"));
      events.add(new StoredEvent(seq, Instant.parse(time).toEpochMilli(), Event.of(f)));
    }
    return events;
  }

  static List<String> keys(String bucket) {
    return reader.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  /** eventId -> how often it appears in the bucket's delivered objects, as a reader sees them. */
  static Map<String, Integer> delivered(String bucket) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (String key : keys(bucket)) {
      if (!key.contains("/AliyunLogs/Actiontrail/") && !key.startsWith("AliyunLogs/Actiontrail/")) {
        continue;
      }
      byte[] gz = reader.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
      for (Event e : OssLayout.read(gz)) {
        counts.merge(e.eventId(), 1, Integer::sum);
      }
    }
    return counts;
  }

  static void assertExactlyOnce(List<StoredEvent> events, Map<String, Integer> delivered) {
    assertEquals(events.size(), delivered.size(), "distinct events delivered");
    for (StoredEvent e : events) {
      assertEquals(1, delivered.getOrDefault(e.event().eventId(), 0), e.event().eventId());
    }
  }

  @Test
  void aMixedStreamLandsEveryEventOnceInTheFileSinksNamesAndBytes() throws Exception {
    S3SinkProvider p = provider();
    Map<String, String> dest = Map.of("bucket", "mixed", "prefix", "team-a/");
    List<StoredEvent> events = mixed(100, 6000);
    List<DeliveredObject> objects = new ArrayList<>();
    try (ProvableSink sink = open(p, dest)) {
      for (int i = 0; i < events.size(); i += 1500) {
        List<StoredEvent> b = events.subList(i, i + 1500);
        objects.addAll(
            sink.deliverObjects(
                new DeliveryBatch("k" + i, b.get(0).sequence(), b.get(1499).sequence(), b)));
      }
    }
    assertExactlyOnce(events, delivered("mixed"));
    List<String> expected = objects.stream().map(o -> "team-a/" + o.name()).sorted().toList();
    assertEquals(expected, keys("mixed"), "every object the sink reported, and nothing else");
    assertTrue(
        keys("mixed").stream()
            .allMatch(
                k ->
                    k.matches(
                        "team-a/AliyunLogs/Actiontrail/(cn-hangzhou|eu-central-1|us-west-1|cn-home|unknown)/2026/11/(29|30)/"
                            + "Actiontrail_\\1_202611(29|30)\\d{6}_\\d+_\\d+_[0-9a-f]{32}\\.gz")),
        keys("mixed").toString());
    assertTrue(keys("mixed").stream().anyMatch(k -> k.contains("/cn-home/")), "global events");

    // the file sink writes the same names and the same bytes for the same batches
    FileSinkProvider files = new FileSinkProvider(dir.resolve("oss"), 1, "cn-home");
    try (ProvableSink fileSink =
        (ProvableSink)
            files.open(new SinkTarget(ACCOUNT, "my-trail", "file", Map.of("bucket", "mixed")))) {
      for (int i = 0; i < events.size(); i += 1500) {
        List<StoredEvent> b = events.subList(i, i + 1500);
        fileSink.deliverObjects(
            new DeliveryBatch("k" + i, b.get(0).sequence(), b.get(1499).sequence(), b));
      }
    }
    Path bucketDir = dir.resolve("oss/mixed");
    List<String> fileNames;
    try (Stream<Path> s = Files.walk(bucketDir)) {
      fileNames =
          s.filter(Files::isRegularFile)
              .map(f -> "team-a/" + bucketDir.relativize(f).toString().replace('\\', '/'))
              .sorted()
              .toList();
    }
    assertEquals(fileNames, keys("mixed"));
    for (String key : keys("mixed")) {
      assertArrayEquals(
          Files.readAllBytes(bucketDir.resolve(key.substring("team-a/".length()))),
          reader.getObjectAsBytes(r -> r.bucket("mixed").key(key)).asByteArray(),
          key);
    }
  }

  @Test
  void aRedeliveredBatchOverwritesItsOwnObjectsWithTheSameBytes() throws Exception {
    S3SinkProvider p = provider();
    List<StoredEvent> events = mixed(1, 3000);
    DeliveryBatch batch = new DeliveryBatch("1-3000", 1, 3000, events);
    List<DeliveredObject> first;
    List<DeliveredObject> second;
    Map<String, String> etags = new HashMap<>();
    try (ProvableSink sink = open(p, Map.of("bucket", "again"))) {
      first = sink.deliverObjects(batch);
      for (S3Object o : reader.listObjectsV2(r -> r.bucket("again")).contents()) {
        etags.put(o.key(), o.eTag());
      }
      second = sink.deliverObjects(batch);
    }
    assertEquals(first, second);
    Map<String, String> after = new HashMap<>();
    for (S3Object o : reader.listObjectsV2(r -> r.bucket("again")).contents()) {
      after.put(o.key(), o.eTag());
    }
    assertEquals(etags, after, "the same keys with the same bytes");
    assertExactlyOnce(events, delivered("again"));
  }

  @Test
  void anOutageFailsDeliveryClearlyAndAfterItEverythingArrives() throws Exception {
    S3SinkProvider p = provider();
    List<StoredEvent> events = mixed(10_000, 4000);
    List<DeliveryBatch> batches = new ArrayList<>();
    for (int i = 0; i < events.size(); i += 500) {
      List<StoredEvent> b = events.subList(i, i + 500);
      batches.add(new DeliveryBatch("b" + i, b.get(0).sequence(), b.get(499).sequence(), b));
    }
    try (ProvableSink sink = open(p, Map.of("bucket", "outage"))) {
      int next = 0;
      for (; next < 3; next++) {
        sink.deliverObjects(batches.get(next));
      }
      server.stop();
      try {
        // as the engine does: the failed batch stays at the cursor and is retried
        IOException down =
            assertThrows(IOException.class, () -> sink.deliverObjects(batches.get(3)));
        assertTrue(down.getMessage().startsWith("Unreachable: "), down.getMessage());
        assertTrue(down.getMessage().contains(server.endpoint()), down.getMessage());
        assertFalse(down.getMessage().contains(S3Server.SECRET_KEY));
      } finally {
        server.start();
      }
      for (; next < batches.size(); next++) {
        sink.deliverObjects(batches.get(next));
      }
    }
    assertExactlyOnce(events, delivered("outage"));
  }

  @Test
  void digestsAndReadBack() throws Exception {
    S3SinkProvider p = provider();
    List<StoredEvent> events = mixed(50, 700);
    Map<String, String> dest = Map.of("bucket", "proof", "prefix", "p");
    try (ProvableSink sink = open(p, dest)) {
      sink.deliverObjects(new DeliveryBatch("50-749", 50, 749, events));
      String path = "AliyunLogs/Actiontrail-Digest/cn-home/2026/11/30/digest_1.json";
      sink.writeDigest(path, "{\"digest\":1}".getBytes());
      assertEquals(
          "{\"digest\":1}",
          reader.getObjectAsBytes(r -> r.bucket("proof").key("p/" + path)).asUtf8String());
      assertThrows(
          IllegalArgumentException.class, () -> sink.writeDigest("../escape.json", new byte[1]));
      Map<String, Integer> back = new HashMap<>();
      ((ReadableSink) sink)
          .readBack(batch -> batch.forEach(e -> back.merge(e.eventId(), 1, Integer::sum)));
      assertExactlyOnce(events, back);
    }
  }

  @Test
  void resourceAndSecretKeys() {
    S3SinkProvider p =
        new S3SinkProvider(
            config(Map.of("allowedEndpoints", "s3.example.com,s3.example.com:9000")), "cn-home");
    assertEquals(
        "s3://127.0.0.1:" + server.port + "/audit",
        p.resource(new SinkTarget(ACCOUNT, "t", "s3", Map.of("bucket", "audit", "prefix", "x"))));
    Map<String, String> own =
        Map.of(
            "bucket", "audit",
            "endpoint", "HTTPS://S3.Example.COM:443/",
            "accessKeyId", "AK",
            "secretAccessKey", "SK");
    assertEquals("s3://s3.example.com/audit", p.resource(new SinkTarget(ACCOUNT, "t", "s3", own)));
    assertEquals(
        "s3://s3.example.com:9000/audit",
        p.resource(
            new SinkTarget(
                ACCOUNT,
                "t",
                "s3",
                Map.of(
                    "bucket",
                    "audit",
                    "endpoint",
                    "http://s3.example.com:9000",
                    "accessKeyId",
                    "AK",
                    "secretAccessKey",
                    "SK"))));
    assertEquals(java.util.Set.of("secretAccessKey", "sessionToken"), p.secretKeys());
  }
}
