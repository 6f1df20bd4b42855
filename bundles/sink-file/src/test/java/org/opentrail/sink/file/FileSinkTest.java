package org.opentrail.sink.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.sink.DeliveryBatch;
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
}
