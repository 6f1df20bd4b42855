package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Random random = new Random();
    for (int run = 0; run < KILLS; run++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx512m",
              "-cp",
              System.getProperty("java.class.path"),
              CrashDriver.class.getName(),
              Instance.HOME.toAbsolutePath().toString(),
              data.toString(),
              Integer.toString(run),
              "deliver");
      pb.redirectError(dir.resolve("driver-" + run + ".err").toFile());
      Process p = pb.start();
      CountDownLatch ready = new CountDownLatch(1);
      AtomicInteger ackedThisRun = new AtomicInteger();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("READY")) {
                      ready.countDown();
                    } else if (line.startsWith("ACK ") && line.endsWith(" .")) {
                      acked.add(line.substring(4, line.length() - 2));
                      ackedThisRun.incrementAndGet();
                    }
                  }
                } catch (java.io.IOException e) {
                  // the process died
                }
              });
      reader.start();
      assertTrue(
          ready.await(90, TimeUnit.SECONDS),
          "driver " + run + " did not start; see " + dir.resolve("driver-" + run + ".err"));
      Instance.await(
          Duration.ofSeconds(60), () -> ackedThisRun.get() >= 3000, "the driver to record");
      Thread.sleep(
          500 + random.nextInt(1500)); // kill at a random moment of recording and delivering
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      reader.join(30_000);
    }

    List<String> afterRestart;
    try (Instance ot =
        new Instance(data, List.of("core", "shell", "trail", "sink-file", "sink-logstore"))) {
      afterRestart = ot.record(500, "after-kills"); // and a clean stop and start of the framework
    }
    try (Instance ot =
        new Instance(data, List.of("core", "shell", "trail", "sink-file", "sink-logstore"))) {
      Instance.await(
          Duration.ofSeconds(120), () -> ot.trailLag("crash-trail") == 0, "delivery to catch up");
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
              .contains("\"name\":\"actiontrail_crash-trail\",\"events\":" + history.size() + ","),
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
