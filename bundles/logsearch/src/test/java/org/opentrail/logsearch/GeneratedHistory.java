package org.opentrail.logsearch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.Logstores;
import org.opentrail.store.EmbeddedEventStore;

/**
 * A store whose history holds {@code n} generated events ({@link LogSearchServiceTest#event}), 3 s
 * apart from the start of the hour three hours ago, for the SQL tests to compute their answers
 * from: with {@code twoAccounts}, every third event is account B's, the rest A's.
 */
final class GeneratedHistory {
  final EmbeddedEventStore store;
  final List<Event> events = new ArrayList<>();
  final Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
  final Instant end;

  GeneratedHistory(Path storeDir, int n, long seed, boolean twoAccounts) throws Exception {
    store = LogSearchServiceTest.store(storeDir);
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      String account = twoAccounts && i % 3 == 2 ? LogSearchServiceTest.B : LogSearchServiceTest.A;
      events.add(LogSearchServiceTest.event(account, start.plusSeconds(3L * i), r));
    }
    end = start.plusSeconds(3L * n);
    store.append(EventStore.HISTORY, events);
  }

  /** Account A's events, oldest first. */
  List<Event> mine() {
    return events.stream()
        .filter(e -> LogSearchServiceTest.A.equals(e.recipientAccountId()))
        .toList();
  }

  /** A's trail logstore {@code logstore} ({@code actiontrail_*}) holding A's events. */
  void trailLogstore(String logstore) throws Exception {
    String stream = Logstores.stream(LogSearchServiceTest.A, logstore);
    store.createStream(new StreamSpec(stream, 30, true));
    store.append(stream, mine());
  }
}
