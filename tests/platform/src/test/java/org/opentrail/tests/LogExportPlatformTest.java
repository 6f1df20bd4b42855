package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log:export through the distribution's launcher ({@code exec}) on a data directory with recorded
 * events: both formats, read back here; an existing file is refused without --force.
 */
class LogExportPlatformTest {
  @TempDir Path dir;

  private static String[] exec(Path data, String command) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Instance.HOME.resolve("lib").toAbsolutePath() + "/*",
                "org.opentrail.launcher.Main",
                "exec",
                command,
                "--data",
                data.toString(),
                "--http",
                "127.0.0.1:" + Instance.freePort())
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new String[] {Integer.toString(p.exitValue()), out, err};
  }

  @Test
  void exportsTheHistoryInBothFormatsThroughTheLauncher() throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = new Instance(data, LogSearchPlatformTest.FEATURES)) {
      ot.run("auth:grant");
      ot.record(150, "exporter");
      ot.record(60, "other");
      Instance.await(
          Duration.ofSeconds(30),
          () ->
              ot.run("log:query --json --since 1h history \"userIdentity.userName: exporter\"")
                  .contains("\"Count\":150"),
          "indexing");
    }
    Path jsonl = dir.resolve("out.jsonl.gz");
    String[] r =
        exec(data, "log:export --since 1d history \"userIdentity.userName: exporter\" " + jsonl);
    assertEquals("0", r[0], r[1] + r[2]);
    assertTrue(r[1].contains("Exported 150 events"), r[1]);
    List<String> lines = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(jsonl))) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        lines.add(l);
      }
    }
    assertEquals(150, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.contains("\"userName\":\"exporter\"")), lines.get(0));

    Path csv = dir.resolve("out.csv");
    r =
        exec(
            data,
            "log:export --since 1d --format csv --columns eventId,userIdentity.userName history"
                + " \"userIdentity.userName: exporter\" "
                + csv);
    assertEquals("0", r[0], r[1] + r[2]);
    List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals("eventId,userIdentity.userName", rows.get(0).strip());
    assertEquals(151, rows.size());
    assertTrue(rows.subList(1, 151).stream().allMatch(l -> l.strip().endsWith(",exporter")));

    r = exec(data, "log:export --since 1d --format csv history \"*\" " + csv);
    assertFalse((r[1] + r[2]).contains("Exported"), r[1]);
    assertTrue((r[1] + r[2]).contains("already exists"), r[1] + r[2]);
    assertEquals(151, Files.readAllLines(csv, StandardCharsets.UTF_8).size());
  }
}
