package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.TrailSpec;

/** Trails over a history with damaged ranges: they deliver what is readable and show the rest. */
class GapsTest extends TrailFixture {
  DamagingStore damaging;

  @Override
  TrailManager openTrails() throws Exception {
    if (damaging == null) {
      damaging = new DamagingStore(store);
    }
    return new TrailManager(
        damaging,
        dir.resolve("trails"),
        config(
            TrailConfig.class,
            Map.of(
                "batch.linger.millis", 20, "retry.initial.millis", 100, "retry.max.millis", 400)));
  }

  void restart(MemorySinkProvider sink) throws Exception {
    trails.close();
    trails = openTrails();
    trails.bindDeliveryRole(role);
    trails.addSinkProvider("mem", sink);
  }

  long last() {
    return store.lastSequence(EventStore.HISTORY);
  }

  static List<String> without(List<String> ids, int from, int to) {
    List<String> out = new ArrayList<>(ids.subList(0, from));
    out.addAll(ids.subList(to, ids.size()));
    return out;
  }

  @Test
  void readableEventsAreDeliveredOnceAndTheGapIsShownUntilAcknowledged() throws Exception {
    trails.create(A, TrailSpec.of("gap-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "gap-trail");
    long s = last();
    damaging.damage(s + 11, s + 20);
    List<String> ids = record(30, "Write");
    await(() -> mem.delivered("mem").size() == 20, "the readable events");
    String gap = "GAP " + (s + 11) + "-" + (s + 20) + ": damaged in store";
    await(() -> dest("gap-trail", "mem").gaps().equals(List.of(gap)), "the gap in the status");
    await(() -> dest("gap-trail", "mem").lagEvents() == 0, "the cursor past the gap");
    // the last batch's "delivering" turns into "up to date" at the worker's next idle step
    await(
        () -> dest("gap-trail", "mem").detail().startsWith("up to date"),
        "the worker to find nothing more to deliver");
    for (int i = 0; i < 20; i++) {
      DestinationStatus d = dest("gap-trail", "mem");
      assertEquals(List.of(gap), d.gaps());
      assertEquals("up to date except 1 gap", d.detail());
      Thread.sleep(10);
    }
    assertEquals(new HashSet<>(without(ids, 10, 20)), new HashSet<>(mem.delivered("mem")));
    assertEquals(20, mem.delivered("mem").size(), "each once");
    assertEquals(0, mem.repeats("mem"));

    MemorySinkProvider fresh = new MemorySinkProvider();
    restart(fresh);
    assertEquals(List.of(gap), dest("gap-trail", "mem").gaps(), "the gap survives a restart");
    List<String> more = record(5, "Write");
    await(() -> fresh.delivered("mem").size() == 5, "new events after the restart");
    assertEquals(new HashSet<>(more), new HashSet<>(fresh.delivered("mem")));
    await(
        () -> dest("gap-trail", "mem").detail().equals("up to date except 1 gap"),
        "up to date, except the gap");

    assertThrows(
        InvalidParameterException.class, () -> trails.acknowledgeGaps(A, "gap-trail", "nope"));
    assertEquals(1, trails.acknowledgeGaps(A, "gap-trail", "mem"));
    assertEquals(List.of(), dest("gap-trail", "mem").gaps());
    await(() -> dest("gap-trail", "mem").detail().equals("up to date"), "up to date");
    Thread.sleep(100); // the worker saves the acknowledged state
    restart(new MemorySinkProvider());
    assertEquals(List.of(), dest("gap-trail", "mem").gaps(), "acknowledged for good");
  }

  @Test
  void damageBeforeTheTrailStartedIsNotItsGap() throws Exception {
    long s = last();
    damaging.damage(s + 1, s + 5); // entirely before the start
    damaging.damage(s + 9, s + 13); // straddles the start
    record(10, "Write");
    trails.create(A, TrailSpec.of("late-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "late-trail");
    List<String> ids = record(10, "Write");
    await(() -> mem.delivered("mem").size() == 7, "the readable events after the start");
    assertEquals(new HashSet<>(ids.subList(3, 10)), new HashSet<>(mem.delivered("mem")));
    await(
        () ->
            dest("late-trail", "mem")
                .gaps()
                .equals(List.of("GAP " + (s + 11) + "-" + (s + 13) + ": damaged in store")),
        "only the part after the start as a gap");
  }

  @Test
  void aRepairedGapIsDelivered() throws Exception {
    trails.create(A, TrailSpec.of("repair-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "repair-trail");
    long s = last();
    damaging.damage(s + 3, s + 6);
    List<String> ids = record(10, "Write");
    await(() -> dest("repair-trail", "mem").gaps().size() == 1, "the gap");
    assertEquals(6, mem.delivered("mem").size());
    damaging.repair(s + 3);
    await(() -> mem.delivered("mem").size() == 10, "the repaired events");
    assertEquals(new HashSet<>(ids), new HashSet<>(mem.delivered("mem")));
    await(() -> dest("repair-trail", "mem").gaps().isEmpty(), "no gap");
    await(() -> dest("repair-trail", "mem").detail().equals("up to date"), "up to date");
    assertEquals(10, dest("repair-trail", "mem").delivered());
  }

  @Test
  void damageAtTheEndOfAStoppedTrailIsAGapAndItStops() throws Exception {
    trails.create(A, TrailSpec.of("stop-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "stop-trail");
    long s = last();
    damaging.damage(s + 8, s + 10);
    record(10, "Write");
    trails.stopLogging(A, "stop-trail");
    // STOPPED alone may still be the state from before startLogging: wait for the cursor too
    await(
        () ->
            dest("stop-trail", "mem").state() == DestinationStatus.State.STOPPED
                && dest("stop-trail", "mem").lagEvents() == 0,
        "the trail to stop");
    assertEquals(7, mem.delivered("mem").size());
    assertEquals(
        List.of("GAP " + (s + 8) + "-" + (s + 10) + ": damaged in store"),
        dest("stop-trail", "mem").gaps());
    assertNotEquals("up to date", dest("stop-trail", "mem").detail());
  }

  @Test
  void aCursorFileFromBeforeGapsLoads() throws Exception {
    Path d = dir.resolve("old-trails");
    Files.createDirectories(d.resolve(A).resolve("old-trail"));
    Files.writeString(
        d.resolve(A).resolve("old-trail").resolve("destination-mem.json"),
        "{\"cursor\":7,\"pendingFirst\":0,\"pendingLast\":0,\"delivered\":5,\"lastDelivery\":1}");
    TrailRepository r = new TrailRepository(d);
    CursorState c = r.loadCursor(A, "old-trail", "mem");
    assertEquals(new CursorState(7, 0, 0, 5, 1), c);
    CursorState withGap = c.withGaps(List.of(new Gap(3, 4, Gap.DAMAGED)));
    r.saveCursor(A, "old-trail", "mem", withGap);
    assertEquals(withGap, r.loadCursor(A, "old-trail", "mem"));
    assertTrue(
        Files.readString(d.resolve(A).resolve("old-trail").resolve("destination-mem.json"))
            .contains("\"gaps\""));
  }
}
