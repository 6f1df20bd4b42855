package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: a separate JVM records at full speed and is killed with SIGKILL
 * several times; after every restart each acknowledged event is there, exactly once.
 */
class CrashTest {
  private static final int KILLS = 4;
  @TempDir Path dir;

  @Test
  void killMinusNineLosesNoAcknowledgedEventAndStoresNoneTwice() throws Exception {
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
              Integer.toString(run));
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
      assertTrue(
          ready.await(90, TimeUnit.SECONDS),
          "driver " + run + " did not start; see " + dir.resolve("driver-" + run + ".err"));
      Instance.await(
          java.time.Duration.ofSeconds(60),
          () -> ackedThisRun.get() >= 2000,
          "the driver to record");
      Thread.sleep(300 + random.nextInt(1200)); // kill at a random moment of full-speed ingest
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      reader.join(30_000);
      System.out.println(
          "run " + run + ": " + ackedThisRun.get() + " events acknowledged before kill -9");
    }

    try (Instance ot = new Instance(data)) {
      ot.awaitIndexed();
      Services.Service store = Services.get(ot.context(), "org.opentrail.api.store.EventStore");
      Set<String> stored = new HashSet<>();
      List<String> twice = new ArrayList<>();
      long after = 0;
      while (true) {
        List<?> batch = (List<?>) store.call("read", "history", after, 10_000);
        if (batch.isEmpty()) {
          break;
        }
        for (Object se : batch) {
          String id = (String) Services.get(Services.get(se, "event"), "eventId");
          if (!stored.add(id)) {
            twice.add(id);
          }
          after = (Long) Services.get(se, "sequence");
        }
      }
      assertEquals(List.of(), twice, "no eventId is stored twice");
      List<String> lost = acked.stream().filter(id -> !stored.contains(id)).limit(20).toList();
      assertEquals(List.of(), lost, "acknowledged events lost (first 20 shown) of " + acked.size());
      assertEquals(stored.size(), ot.storedEvents(), "the store counts what it holds");

      // the index, rebuilt from the journal after each crash, finds each event once
      List<String> sample = new ArrayList<>(acked);
      java.util.Collections.shuffle(sample, random);
      for (String id : sample.subList(0, Math.min(300, sample.size()))) {
        String json = ot.run("event:lookup --event-id " + id + " --since 1d --json");
        assertEquals(
            1,
            json.split("\"eventId\":\"" + id + "\"", -1).length - 1,
            "lookup of " + id + ": " + json);
      }
      System.out.println(
          acked.size()
              + " acknowledged events, "
              + stored.size()
              + " stored, all found once after "
              + KILLS
              + " kills");
    }
  }
}
