package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link CrashDriver} in a separate JVM and kills it with SIGKILL at a random moment of
 * full-speed recording, several times over the same data directory, collecting every eventId it
 * acknowledged.
 */
final class DriverRuns {
  private DriverRuns() {}

  /**
   * @param minimumAcks acknowledgements a run must have seen before it may be killed
   * @param extraArgs more arguments for the driver (e.g. {@code deliver})
   * @return every eventId acknowledged over all runs
   */
  static Set<String> killRepeatedly(
      Path dir, Path data, int runs, int minimumAcks, String... extraArgs) throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Random random = new Random();
    for (int run = 0; run < runs; run++) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashDriver.class.getName(),
                  Instance.HOME.toAbsolutePath().toString(),
                  data.toString(),
                  Integer.toString(run)));
      command.addAll(List.of(extraArgs));
      Path err = dir.resolve("driver-" + run + ".err");
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
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
                    } else if (line.startsWith("ACK ")
                        && line.endsWith(" .")) { // a line cut by the kill is not an ack
                      acked.add(line.substring(4, line.length() - 2));
                      ackedThisRun.incrementAndGet();
                    }
                  }
                } catch (java.io.IOException e) {
                  // the process died
                }
              });
      reader.start();
      assertTrue(ready.await(90, TimeUnit.SECONDS), "driver " + run + " did not start; see " + err);
      Instance.await(
          Duration.ofSeconds(60), () -> ackedThisRun.get() >= minimumAcks, "the driver to record");
      Thread.sleep(300 + random.nextInt(1500)); // kill at a random moment of full-speed work
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      reader.join(30_000);
      System.out.println(
          "run " + run + ": " + ackedThisRun.get() + " events acknowledged before kill -9");
    }
    return acked;
  }
}
