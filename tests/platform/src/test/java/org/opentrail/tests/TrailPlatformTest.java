package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** Trails, delivery and hot-pluggable sinks, with the real bundles in a real Felix. */
class TrailPlatformTest {
  static final List<String> NO_SINKS = List.of("core", "shell", "trail");
  static final Path FILE_SINK = Instance.HOME.resolve("bundles/org.opentrail.sink.file.jar");
  static final Path LOGSTORE_SINK =
      Instance.HOME.resolve("bundles/org.opentrail.sink.logstore.jar");

  @TempDir Path dir;

  @Test
  void aTrailWaitsForItsSinkTypeAndGetsItsBacklogWhenTheSinkIsInstalledAtRuntime()
      throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = new Instance(data, NO_SINKS)) {
      ot.run("auth:grant"); // the account lets trails deliver (the delivery role)
      ot.run("trail:create waiting-trail --start file:bucket=audit-log logstore");
      List<String> ids = ot.record(1000, "backlog");
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("trail:status waiting-trail").contains("waiting for sink type file"),
          "waiting");
      assertTrue(ot.run("trail:status waiting-trail").contains("waiting for sink type logstore"));
      assertEquals(2000, ot.trailLag("waiting-trail"), "the backlog waits in the store");

      Files.copy(FILE_SINK, data.resolve("deploy/org.opentrail.sink.file.jar")); // hot deploy
      Instance.await(
          Duration.ofSeconds(20),
          () -> Delivered.fileSink(data.resolve("oss")).size() == 1000,
          "the backlog in the file sink");
      assertEquals("", Delivered.problems(ids, Delivered.fileSink(data.resolve("oss"))));

      ot.run("start file:" + LOGSTORE_SINK.toAbsolutePath()); // installed from the shell
      ot.awaitDelivered("waiting-trail", Duration.ofSeconds(20));
      assertTrue(
          ot.run("store:status --json").contains("_waiting-trail\",\"events\":1000"),
          ot.run("store:status --json"));
      assertTrue(
          ot.run("event:get --logstore actiontrail_waiting-trail " + ids.get(500))
              .contains(ids.get(500)));
      assertTrue(
          ot.run("sink:list").contains("org.opentrail.sink.file")
              && ot.run("sink:list").contains("org.opentrail.sink.logstore"));
    }
  }

  @Test
  void sinksStoppedUninstalledReinstalledAndUpdatedUnderLoadLoseNothingAndRepeatNothing()
      throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot =
        new Instance(data, List.of("core", "shell", "trail", "sink-file", "sink-logstore"))) {
      ot.run("auth:grant"); // the account lets trails deliver (the delivery role)
      ot.run("trail:create churn-trail --start file:bucket=churn logstore");
      BackgroundRecording writer = BackgroundRecording.start(ot, 120, 500, "churn-", 5);
      List<String> ids = writer.ids();
      Instance.await(Duration.ofSeconds(30), () -> ids.size() >= 5000, "recording to be under way");

      Bundle file = ot.bundle("org.opentrail.sink.file");
      file.stop();
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("trail:status churn-trail").contains("waiting for sink type file"),
          "the file destination to wait");
      file.start();

      Bundle logstore = ot.bundle("org.opentrail.sink.logstore");
      logstore.uninstall();
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("trail:status churn-trail").contains("waiting for sink type logstore"),
          "the logstore to wait");
      Bundle again;
      try (InputStream in = Files.newInputStream(LOGSTORE_SINK)) {
        again = ot.context().installBundle("reinstalled:logstore", in);
      }
      again.start();

      try (InputStream in = Files.newInputStream(FILE_SINK)) {
        ot.bundle("org.opentrail.sink.file").update(in);
      }
      writer.join(120_000);
      assertFalse(writer.running());
      assertTrue(ids.size() >= 50_000, "recorded " + ids.size());
      ot.awaitDelivered("churn-trail", Duration.ofSeconds(120));

      assertEquals(
          "",
          Delivered.problems(ids, Delivered.fileSink(data.resolve("oss"))),
          "file sink: every event exactly once");
      assertEquals(ids.size(), Delivered.fileSink(data.resolve("oss")).size());
      String stores = ot.run("store:status --json");
      assertTrue(
          stores.contains("_churn-trail\",\"events\":" + ids.size() + ","),
          "logstore: every event once: " + stores);
      for (String id : List.of(ids.get(0), ids.get(ids.size() / 2), ids.get(ids.size() - 1))) {
        assertTrue(ot.run("event:get --logstore actiontrail_churn-trail " + id).contains(id));
      }
    }
  }

  @Test
  void badTrailsGetClearErrorsAndLeaveNothingBehind() throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot =
        new Instance(data, List.of("core", "shell", "trail", "sink-file", "sink-logstore"))) {
      String[][] cases = {
        {"trail:create short file:bucket=audit", "InvalidParameter", "Name"},
        {"trail:create UpperCase file:bucket=audit", "InvalidParameter", "Name"},
        {"trail:create 1leading-digit file:bucket=audit", "InvalidParameter", "Name"},
        {"trail:create ../../escape file:bucket=audit", "InvalidParameter", "Name"},
        {"trail:create no-destination", "MissingParameter", "destination"},
        {"trail:create bad-config file:bucket=audit,colour=red", "InvalidParameter", "colour"},
        {"trail:create bad-bucket file:bucket=No_Such", "InvalidParameter", "OssBucketName"},
        {
          "trail:create escaping-prefix file:bucket=audit,prefix=../../etc",
          "InvalidParameter",
          "OssKeyPrefix"
        },
        {
          "trail:create absolute-prefix file:bucket=audit,prefix=/etc",
          "InvalidParameter",
          "OssKeyPrefix"
        },
        {
          "trail:create bad-retention logstore:retentionDays=0", "InvalidParameter", "retentionDays"
        },
        {
          "trail:create bad-rw-trail --rw Sometimes file:bucket=audit",
          "InvalidParameter",
          "EventRW"
        },
        {"trail:status missing-trail", "TrailNotFound", "missing-trail"},
        {"trail:start missing-trail", "TrailNotFound", "missing-trail"},
      };
      for (String[] c : cases) {
        String error = ot.fails(c[0]);
        assertTrue(error.startsWith(c[1] + ": ") && error.contains(c[2]), c[0] + " -> " + error);
      }
      assertEquals(
          "NAME  LOGGING  RW  CATEGORIES  REGIONS  DESTINATIONS",
          ot.run("trail:list").strip(),
          "no partial trail");
      try (Stream<Path> files = Files.walk(data.resolve("trails"))) {
        assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing on disk");
      }
      ot.run("trail:create good-trail file:bucket=audit");
      assertTrue(
          ot.fails("trail:create good-trail file:bucket=audit").startsWith("TrailAlreadyExists: "));
      assertTrue(ot.run("trail:list").contains("good-trail"));
      ot.run("trail:delete good-trail");
      assertFalse(ot.run("trail:list").contains("good-trail"));
    }
  }

  static void copy(Path from, Path to) throws java.io.IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }
}
