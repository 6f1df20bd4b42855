package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consume:* commands on a trail's logstore in the real platform: a consumer group reads every
 * delivered event once across a restart of the instance, and `opentrail exec` runs them too.
 */
class ConsumePlatformTest {
  static final List<String> FEATURES =
      List.of("core", "shell", "auth", "trail", "sink-logstore", "consume");
  private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");
  private static final Pattern NEXT = Pattern.compile("\"NextCursor\":\"([^\"]+)\"");

  @TempDir Path dir;

  /** Pulls from the group's checkpoint, saving it after each pull, until the end. */
  private static List<String> drain(Instance ot, String group) {
    String cp = ot.run("consume:checkpoint actiontrail_ctrail " + group);
    Matcher m = Pattern.compile("Cursor:\\s+(\\S+)").matcher(cp);
    assertTrue(m.find(), cp);
    String cursor =
        m.group(1).equals("-") ? ot.run("consume:cursor actiontrail_ctrail").strip() : m.group(1);
    List<String> ids = new ArrayList<>();
    while (true) {
      String out =
          ot.run("consume:pull --json --max 70 --cursor " + cursor + " actiontrail_ctrail");
      assertTrue(out.contains("\"Lost\":[]"), out);
      Matcher e = EVENT_ID.matcher(out);
      int before = ids.size();
      while (e.find()) {
        ids.add(e.group(1));
      }
      Matcher n = NEXT.matcher(out);
      assertTrue(n.find(), out);
      if (ids.size() == before) {
        return ids;
      }
      cursor = n.group(1);
      ot.run("consume:checkpoint --set " + cursor + " actiontrail_ctrail " + group);
    }
  }

  @Test
  void aConsumerGroupReadsATrailsLogstoreOnceAcrossARestart() throws Exception {
    Path data = dir.resolve("data");
    List<String> recorded = new ArrayList<>();
    List<String> read = new ArrayList<>();
    try (Instance ot = new Instance(data, FEATURES)) {
      ot.run("auth:grant");
      ot.run("trail:create ctrail --start logstore");
      recorded.addAll(ot.record(250, "consumer"));
      ot.awaitDelivered("ctrail", Duration.ofSeconds(30));
      ot.run("consume:groupcreate actiontrail_ctrail reader");
      assertTrue(ot.run("consume:groups").contains("reader"));
      String first = ot.run("consume:cursor actiontrail_ctrail").strip();
      String out =
          ot.run("consume:pull --json --max 100 --cursor " + first + " actiontrail_ctrail");
      Matcher e = EVENT_ID.matcher(out);
      while (e.find()) {
        read.add(e.group(1));
      }
      Matcher n = NEXT.matcher(out);
      assertTrue(n.find(), out);
      ot.run("consume:checkpoint --set " + n.group(1) + " actiontrail_ctrail reader");
      assertEquals(recorded.subList(0, 100), read);
      // another account has no such logstore; a changed cursor is refused
      String other = ot.fails("consume:cursor -a 999999999999 actiontrail_ctrail");
      assertTrue(other.contains("LogStoreNotExist"), other);
      String changed =
          first.substring(0, first.length() - 2) + (first.endsWith("AA") ? "BB" : "AA");
      String bad = ot.fails("consume:pull --cursor " + changed + " actiontrail_ctrail");
      assertTrue(bad.contains("InvalidCursor"), bad);
      String badName = ot.fails("consume:groupcreate actiontrail_ctrail -x");
      assertTrue(badName.contains("InvalidParameter") || badName.contains("usage"), badName);
    }
    try (Instance ot = new Instance(data, FEATURES)) {
      assertTrue(
          ot.run("consume:checkpoint actiontrail_ctrail reader").contains("Sequence:   100"));
      recorded.addAll(ot.record(30, "after-restart"));
      ot.awaitDelivered("ctrail", Duration.ofSeconds(30));
      read.addAll(drain(ot, "reader"));
      assertEquals(recorded, read, "every event once, in order, across the restart");
      assertTrue(
          ot.run("consume:checkpoint actiontrail_ctrail reader").contains("Sequence:   280"));
    }
    // the distribution's own launcher, with its default features, runs them through exec
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Instance.HOME.resolve("lib").toAbsolutePath() + "/*",
                "org.opentrail.launcher.Main",
                "exec",
                "consume:groups; consume:checkpoint actiontrail_ctrail reader",
                "--data",
                data.toString(),
                "--http",
                "127.0.0.1:" + Instance.freePort())
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertTrue(out.contains("actiontrail_ctrail") && out.contains("Sequence:   280"), out);
  }
}
