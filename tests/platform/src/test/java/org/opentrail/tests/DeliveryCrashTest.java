package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery survives kill -9 and restarts: a launcher recording and delivering at full speed is
 * killed mid-delivery several times and the framework is also restarted cleanly; afterwards every
 * event of the history is in the file sink exactly once and in the logstore once.
 */
class DeliveryCrashTest {
  private static final int KILLS = 3;
  @TempDir Path dir;

  @Test
  void deliveryResumesFromItsCursorAfterKillMinusNineAndRestartsLosingAndRepeatingNothing()
      throws Exception {
    Path data = dir.resolve("data");
    Set<String> acked = DriverRuns.killRepeatedly(dir, data, KILLS, 3000, "deliver");

    List<String> afterRestart;
    try (Instance ot =
        new Instance(data, List.of("core", "shell", "trail", "sink-file", "sink-logstore"))) {
      afterRestart = ot.record(500, "after-kills"); // and a clean stop and start of the framework
    }
    try (Instance ot =
        new Instance(data, List.of("core", "shell", "trail", "sink-file", "sink-logstore"))) {
      ot.awaitDelivered("crash-trail", Duration.ofSeconds(120));
      Services.Service store = Services.get(ot.context(), "org.opentrail.api.store.EventStore");
      List<String> history = new ArrayList<>();
      long after = 0;
      while (true) {
        List<?> batch = (List<?>) store.call("read", "history", after, 10_000);
        if (batch.isEmpty()) {
          break;
        }
        for (Object se : batch) {
          history.add((String) Services.get(Services.get(se, "event"), "eventId"));
          after = (Long) Services.get(se, "sequence");
        }
      }
      assertEquals(history.size(), new HashSet<>(history).size());
      assertTrue(
          history.containsAll(acked) && history.containsAll(afterRestart),
          "every acknowledged event is in the history");
      Map<String, Integer> files = Delivered.fileSink(data.resolve("oss"));
      assertEquals(
          "",
          Delivered.problems(history, files),
          "file sink: every event of the history exactly once");
      assertEquals(history.size(), files.size(), "and nothing else");
      assertTrue(
          ot.run("store:status --json")
              .contains("_crash-trail\",\"events\":" + history.size() + ","),
          "logstore: every event once: " + ot.run("store:status --json"));
      System.out.println(
          acked.size()
              + " acknowledged, "
              + history.size()
              + " in the history, all delivered once after "
              + KILLS
              + " kills");
    }
  }
}
