package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    Set<String> acked = DriverRuns.killRepeatedly(dir, data, KILLS, 2000);

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
      java.util.Collections.shuffle(sample);
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
