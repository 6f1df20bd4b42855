package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;

/**
 * A past day's index partition that nothing was added to for a while is merged into one segment (a
 * lookup looks its terms up once per segment), durably, and lookups answer the same before and
 * after.
 */
class PartitionCompactionTest {
  @TempDir Path dir;

  private Map<LocalDate, Long> segmentsPerPastDay() throws Exception {
    Map<LocalDate, Long> n = new TreeMap<>();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (Stream<Path> days = Files.list(dir.resolve("streams/history/index"))) {
      for (Path d : days.filter(Files::isDirectory).toList()) {
        LocalDate day = LocalDate.parse(d.getFileName().toString());
        if (day.isBefore(today)) {
          try (Stream<Path> files = Files.list(d)) {
            n.put(day, files.filter(f -> f.toString().endsWith(".si")).count());
          }
        }
      }
    }
    return n;
  }

  private static List<String> answers(EmbeddedEventStore store, Instant from, Instant to) {
    List<String> out = new ArrayList<>();
    for (int u = 0; u < 5; u++) {
      for (Direction d : Direction.values()) {
        List<StoredEvent> page =
            store
                .search(
                    new StoreQuery(
                        EventStore.HISTORY,
                        TestEvents.ACCOUNT,
                        from.toEpochMilli(),
                        to.toEpochMilli(),
                        List.of(new LookupAttribute(LookupKey.USER, "u" + u)),
                        d,
                        null,
                        50))
                .events();
        page.forEach(e -> out.add(e.event().eventId()));
      }
    }
    return out;
  }

  @Test
  void aQuietPastDayIsMergedIntoOneSegmentAndAnswersStayTheSame() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
    Instant end = start.plus(3, ChronoUnit.DAYS);
    Map<String, Object> config =
        Map.of("index.refresh.millis", 10, "index.ram.buffer.megabytes", 4);
    List<String> before;
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(config))) {
      for (int batch = 0; batch < 12; batch++) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          int k = batch * 300 + i;
          events.add(TestEvents.event(start.plusSeconds(k * 71L % (3 * 86_400)), "u" + k % 5));
        }
        store.append(EventStore.HISTORY, events);
        EmbeddedEventStoreTest.awaitIndexed(store, EventStore.HISTORY);
        Thread.sleep(30); // a refresh, and so a segment, per batch
      }
      before = answers(store, start, end);
      assertTrue(
          segmentsPerPastDay().values().stream().anyMatch(n -> n > 1),
          "several segments to merge: " + segmentsPerPastDay());
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (segmentsPerPastDay().values().stream().anyMatch(n -> n > 1)) {
        assertTrue(System.nanoTime() < deadline, "not merged: " + segmentsPerPastDay());
        Thread.sleep(100);
      }
      assertEquals(before, answers(store, start, end));
    }
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(config))) {
      assertEquals(before, answers(store, start, end), "after a restart");
      assertTrue(segmentsPerPastDay().values().stream().allMatch(n -> n == 1));
    }
  }

  @Test
  void pastDaysLeftInSeveralSegmentsAreMergedAfterARestartWithoutALookup() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
    // refreshes every 500 ms: a partition waits 60 s of quiet before it is merged, longer than here
    Instant end = start.plus(2, ChronoUnit.DAYS);
    List<String> before;
    try (EmbeddedEventStore store =
        new EmbeddedEventStore(dir, TestEvents.config(Map.of("index.refresh.millis", 500)))) {
      for (int batch = 0; batch < 4; batch++) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          int k = batch * 200 + i;
          events.add(TestEvents.event(start.plusSeconds(k * 97L % (2 * 86_400)), "u" + k % 5));
        }
        store.append(EventStore.HISTORY, events);
        Thread.sleep(600);
      }
      before = answers(store, start, end);
    }
    assertTrue(
        segmentsPerPastDay().values().stream().anyMatch(n -> n > 1),
        "left in several segments: " + segmentsPerPastDay());
    try (EmbeddedEventStore store =
        new EmbeddedEventStore(dir, TestEvents.config(Map.of("index.refresh.millis", 10)))) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (segmentsPerPastDay().values().stream().anyMatch(n -> n > 1)) {
        assertTrue(System.nanoTime() < deadline, "not merged: " + segmentsPerPastDay());
        Thread.sleep(100);
      }
      assertEquals(before, answers(store, start, end));
    }
  }
}
