package org.opentrail.sink.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;

class FileSinkTest {
  @TempDir Path root;

  static StoredEvent event(long seq, String region, String time) {
    return new StoredEvent(
        seq,
        Instant.parse(time).toEpochMilli(),
        Event.of(
            Map.of(
                "eventId",
                "id-" + seq,
                "eventTime",
                time,
                "acsRegion",
                region,
                "eventName",
                "PutObject")));
  }

  List<Path> files() throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static List<Object> read(Path gz) throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return (List<Object>) EventJson.read(in.readAllBytes());
    }
  }

  @Test
  void writesActionTrailsLayoutAndARedeliveredBatchReplacesItself() throws Exception {
    FileSinkProvider p = new FileSinkProvider(root, 1);
    Map<String, String> config = Map.of("bucket", "audit-log", "prefix", "team-a/");
    p.validate(config);
    Sink sink = p.open(new SinkTarget("1234567890123456", "my-trail", "file", config));
    List<StoredEvent> events =
        List.of(
            event(7, "cn-hangzhou", "2026-11-20T23:59:59Z"),
            event(8, "cn-hangzhou", "2026-11-21T00:00:01Z"),
            event(9, "eu-x", "2026-11-21T00:00:02Z"),
            event(10, "cn-hangzhou", "2026-11-21T08:00:00Z"));
    DeliveryBatch batch = new DeliveryBatch("7-10", 7, 10, events);
    sink.deliver(batch);
    List<Path> first = files();
    assertEquals(3, first.size(), "one file per region and day: " + first);
    Path day = root.resolve("audit-log/team-a/AliyunLogs/Actiontrail/cn-hangzhou/2026/11/21");
    try (Stream<Path> s = Files.list(day)) {
      Path f = s.findFirst().orElseThrow();
      assertTrue(
          f.getFileName()
              .toString()
              .matches("Actiontrail_cn-hangzhou_20261121000001_8_2_[0-9a-f]{32}\\.gz"),
          f.toString());
      List<Object> content = read(f);
      assertEquals(2, content.size());
      assertEquals("id-8", ((Map<?, ?>) content.get(0)).get("eventId"));
    }
    sink.deliver(batch);
    assertEquals(
        first, files(), "delivered again: the same files, no copies, no temporary files left");
    List<Object> all = new ArrayList<>();
    for (Path f : files()) {
      all.addAll(read(f));
    }
    assertEquals(4, all.size());
  }

  @Test
  void globalEventsGoToTheHomeRegionDirectoryOnlyOnce() throws Exception {
    FileSinkProvider p = new FileSinkProvider(root, 1, "cn-home");
    Map<String, String> config = Map.of("bucket", "audit-log");
    Sink sink = p.open(new SinkTarget("1234567890123456", "my-trail", "file", config));
    StoredEvent global =
        new StoredEvent(
            11,
            Instant.parse("2026-11-21T00:00:03Z").toEpochMilli(),
            Event.of(
                Map.of(
                    "eventId", "id-11",
                    "eventTime", "2026-11-21T00:00:03Z",
                    "acsRegion", "cn-beijing",
                    "isGlobal", true,
                    "eventName", "CreateUser")));
    StoredEvent notGlobal =
        new StoredEvent(
            12,
            Instant.parse("2026-11-21T00:00:04Z").toEpochMilli(),
            Event.of(
                Map.of(
                    "eventId", "id-12",
                    "eventTime", "2026-11-21T00:00:04Z",
                    "acsRegion", "cn-beijing",
                    "isGlobal", false,
                    "eventName", "PutObject")));
    sink.deliver(new DeliveryBatch("11-12", 11, 12, List.of(global, notGlobal)));
    List<String> names = files().stream().map(f -> root.relativize(f).toString()).sorted().toList();
    assertEquals(2, names.size(), names.toString());
    assertTrue(
        names
            .get(0)
            .startsWith(
                "audit-log/AliyunLogs/Actiontrail/cn-beijing/2026/11/21/Actiontrail_cn-beijing_20261121000004_12_1_"),
        names.toString());
    assertTrue(
        names
            .get(1)
            .startsWith(
                "audit-log/AliyunLogs/Actiontrail/cn-home/2026/11/21/Actiontrail_cn-home_20261121000003_11_1_"),
        names.toString());
  }

  @Test
  void refusesUnknownKeysBadBucketsAndPrefixesThatLeaveTheBucket() {
    FileSinkProvider p = new FileSinkProvider(root, 1);
    assertEquals(
        "colour",
        assertThrows(
                InvalidParameterException.class,
                () -> p.validate(Map.of("bucket", "abc", "colour", "red")))
            .parameter());
    assertEquals(
        "OssBucketName",
        assertThrows(InvalidParameterException.class, () -> p.validate(Map.of())).parameter());
    for (String bucket :
        new String[] {"ab", "Upper", "-lead", "trail-", "a_b", "../x", "a".repeat(64)}) {
      assertEquals(
          "OssBucketName",
          assertThrows(InvalidParameterException.class, () -> p.validate(Map.of("bucket", bucket)))
              .parameter(),
          bucket);
    }
    for (String prefix :
        new String[] {
          "../escape",
          "a/../../x",
          "/absolute",
          "..",
          ".",
          ".hidden",
          "a//b",
          "a/./b",
          "a\\b",
          "x y",
          "a/..",
          "%2e%2e"
        }) {
      InvalidParameterException e =
          assertThrows(
              InvalidParameterException.class,
              () -> p.validate(Map.of("bucket", "abc", "prefix", prefix)),
              prefix);
      assertEquals("OssKeyPrefix", e.parameter(), prefix);
    }
    p.validate(Map.of("bucket", "abc", "prefix", "a/b-c_d.e/"));
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  Map<Path, byte[]> contents() throws Exception {
    Map<Path, byte[]> m = new LinkedHashMap<>();
    for (Path f : files()) {
      m.put(f, Files.readAllBytes(f));
    }
    return m;
  }

  ProvableSink provable(String prefix) {
    FileSinkProvider p = new FileSinkProvider(root, 6);
    Map<String, String> config =
        prefix == null
            ? Map.of("bucket", "audit-log")
            : Map.of("bucket", "audit-log", "prefix", prefix);
    p.validate(config);
    return (ProvableSink) p.open(new SinkTarget("1234567890123456", "my-trail", "file", config));
  }

  @Test
  void deliveredObjectsNameTheFilesWithTheHashAndSizeOfTheirBytesAndComeBackIdentical()
      throws Exception {
    ProvableSink sink = provable("team-a/logs");
    List<StoredEvent> events =
        List.of(
            event(7, "cn-hangzhou", "2026-11-20T23:59:59Z"),
            event(8, "cn-hangzhou", "2026-11-21T00:00:01Z"),
            event(9, "eu-x", "2026-11-21T00:00:02Z"),
            event(10, "cn-hangzhou", "2026-11-21T08:00:00Z"));
    DeliveryBatch batch = new DeliveryBatch("7-10", 7, 10, events);
    List<DeliveredObject> objects = sink.deliverObjects(batch);
    Map<Path, byte[]> first = contents();
    assertEquals(3, objects.size(), objects.toString());
    assertEquals(3, first.size());
    Path dest = root.resolve("audit-log/team-a/logs");
    for (DeliveredObject o : objects) {
      assertTrue(o.name().startsWith("AliyunLogs/Actiontrail/"), o.name());
      byte[] bytes = Files.readAllBytes(dest.resolve(o.name()));
      assertEquals(sha256(bytes), o.sha256(), o.name());
      assertEquals(bytes.length, o.size(), o.name());
      assertEquals(0, bytes[4] | bytes[5] | bytes[6] | bytes[7], "gzip mtime is 0: " + o.name());
      assertEquals(read(dest.resolve(o.name())).size(), o.eventCount());
    }
    DeliveredObject hz20 = objects.get(0);
    assertEquals(
        "AliyunLogs/Actiontrail/cn-hangzhou/2026/11/20/Actiontrail_cn-hangzhou_20261120235959_7_1_",
        hz20.name().substring(0, hz20.name().lastIndexOf('_') + 1));
    DeliveredObject hz21 = objects.get(1);
    assertEquals(2, hz21.eventCount());
    assertEquals(Instant.parse("2026-11-21T00:00:01Z"), hz21.oldestEventTime());
    assertEquals(Instant.parse("2026-11-21T08:00:00Z"), hz21.newestEventTime());
    assertEquals("eu-x", objects.get(2).name().split("/")[2]);

    Thread.sleep(1100); // a header holding a time would differ now
    assertEquals(objects, sink.deliverObjects(batch), "the same objects, hashes and sizes");
    Map<Path, byte[]> again = contents();
    assertEquals(first.keySet(), again.keySet(), "the same names, no copies, no temporary files");
    for (Path f : first.keySet()) {
      assertArrayEquals(first.get(f), again.get(f), "byte-identical: " + f);
    }
    sink.deliver(batch); // the plain Sink call writes the same
    for (Path f : first.keySet()) {
      assertArrayEquals(first.get(f), Files.readAllBytes(f), "byte-identical: " + f);
    }
  }

  @Test
  void aDigestIsWrittenBesideTheLogsOwnerOnlyAndReplacesOneOfTheSameName() throws Exception {
    ProvableSink sink = provable("team-a");
    String path =
        "AliyunLogs/Actiontrail-Digest/cn-test/2026/11/21/1234567890123456_Actiontrail-Digest_cn-test_my-trail_20261121T010000Z.json";
    sink.writeDigest(path, "{\"a\":1}\n".getBytes());
    Path f = root.resolve("audit-log/team-a").resolve(path);
    assertEquals("{\"a\":1}\n", Files.readString(f));
    sink.writeDigest(path, "{\"a\":2}\n".getBytes());
    assertEquals("{\"a\":2}\n", Files.readString(f));
    assertEquals(List.of(f), files(), "no temporary files left");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void aDigestPathThatLeavesTheDestinationIsRefusedAndNothingIsWritten() throws Exception {
    ProvableSink sink = provable("team-a");
    Files.createDirectories(root.resolve("audit-log/team-a"));
    for (String bad :
        new String[] {
          "../x.json",
          "a/../../x.json",
          "/etc/x.json",
          "a//b.json",
          "a/./b.json",
          "",
          "a\\b.json",
          ".",
          "a/",
          "AliyunLogs/../../team-b/x.json"
        }) {
      assertThrows(
          IllegalArgumentException.class, () -> sink.writeDigest(bad, new byte[] {1}), bad);
    }
    // a link inside the destination pointing out of it is not followed
    Path outside = Files.createDirectories(root.resolve("elsewhere"));
    Files.createSymbolicLink(root.resolve("audit-log/team-a/AliyunLogs"), outside);
    IOException e =
        assertThrows(
            IOException.class,
            () -> sink.writeDigest("AliyunLogs/Actiontrail-Digest/x.json", new byte[] {1}));
    assertTrue(e.getMessage().contains("leads out of"), e.getMessage());
    try (Stream<Path> s = Files.walk(outside)) {
      assertFalse(s.anyMatch(Files::isRegularFile), "nothing written outside");
    }
    assertTrue(files().isEmpty(), "nothing written at all: " + files());
  }
}
