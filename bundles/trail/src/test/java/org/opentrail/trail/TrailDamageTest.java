package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;

/** Damaged or lost state files are reported naming the file, never taken for "nothing here". */
class TrailDamageTest extends TrailFixture {
  private Path trailsDir() {
    return dir.resolve("trails");
  }

  private Path trailFile(String name) {
    return trailsDir().resolve(A).resolve(name).resolve("trail.json");
  }

  private Path cursorFile(String name, String dest) {
    return trailsDir().resolve(A).resolve(name).resolve("destination-" + dest + ".json");
  }

  private MemorySinkProvider restart() throws Exception {
    return restart(null, null);
  }

  /** Stops, damages a file (once nothing writes it any more), and starts again. */
  private MemorySinkProvider restart(Path file, Damage damage) throws Exception {
    trails.close();
    if (damage != null) {
      damage.apply(file);
    }
    trails = openTrails();
    trails.bindDeliveryRole(role);
    MemorySinkProvider fresh = new MemorySinkProvider();
    trails.addSinkProvider("mem", fresh);
    return fresh;
  }

  @Test
  void aCorruptTrailFileIsReportedAndTheOtherTrailsKeepWorking() throws Exception {
    damagedTrail("corrupt-trail", f -> Files.writeString(f, "{\"account\": \"12345"));
  }

  @Test
  void anEmptyTrailFileIsReportedAndTheOtherTrailsKeepWorking() throws Exception {
    damagedTrail("empty-trail", f -> Files.write(f, new byte[0]));
  }

  @Test
  void aTrailFileOfTheWrongShapeIsReported() throws Exception {
    damagedTrail("shapeless-trail", f -> Files.writeString(f, "[1, 2, 3]"));
  }

  @Test
  void aMissingTrailFileBesideItsCursorsIsReported() throws Exception {
    damagedTrail("missing-trail", Files::delete);
  }

  interface Damage {
    void apply(Path file) throws IOException;
  }

  private void damagedTrail(String name, Damage damage) throws Exception {
    trails.create(A, TrailSpec.of(name, DestinationSpec.of("mem", Map.of())));
    trails.create(A, TrailSpec.of("healthy-trail", DestinationSpec.of("other", Map.of())));
    trails.startLogging(A, name);
    trails.startLogging(A, "healthy-trail");
    Path file = trailFile(name);
    MemorySinkProvider fresh = restart(file, damage);
    trails.addSinkProvider("other", fresh);

    // the damaged trail is not quietly gone: acting on it names the file
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> trails.status(A, name));
    assertEquals("TrailDamaged", e.code());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertThrows(OpenTrailException.class, () -> trails.get(A, name));
    assertThrows(OpenTrailException.class, () -> trails.startLogging(A, name));
    OpenTrailException reuse =
        assertThrows(
            OpenTrailException.class,
            () -> trails.create(A, TrailSpec.of(name, DestinationSpec.of("mem", Map.of()))));
    assertEquals("TrailDamaged", reuse.code(), "its name is not free for a new trail");
    assertEquals(List.of(A + "/" + name), List.copyOf(trails.damagedTrails().keySet()));
    assertTrue(trails.damagedTrails().get(A + "/" + name).contains(file.toString()));

    // the other trail still delivers
    List<String> ids = record(4, "Write");
    await(() -> fresh.delivered("other").size() == 4, "the healthy trail's delivery");
    assertEquals(new HashSet<>(ids), new HashSet<>(fresh.delivered("other")));

    // the operator may delete it knowingly; then the name is free again
    trails.delete(A, name);
    assertTrue(trails.damagedTrails().isEmpty());
    trails.create(A, TrailSpec.of(name, DestinationSpec.of("mem", Map.of())));
  }

  @Test
  void retentionKeepsTheBacklogOfADamagedTrail() throws Exception {
    trails.create(A, TrailSpec.of("held-trail", DestinationSpec.of("down", Map.of())));
    trails.startLogging(A, "held-trail");
    record(5, "Write");
    long first = store.lastSequence(org.opentrail.api.store.EventStore.HISTORY) - 4;
    assertEquals(first, trails.oldestSequenceNeeded(org.opentrail.api.store.EventStore.HISTORY));
    restart(trailFile("held-trail"), f -> Files.writeString(f, "{"));
    assertEquals(
        first,
        trails.oldestSequenceNeeded(org.opentrail.api.store.EventStore.HISTORY),
        "a damaged trail's undelivered events are still held");
  }

  @Test
  void aLostCursorRedeliversFromTheStartOfTheTrail() throws Exception {
    redeliveredAfter(Files::delete, "is missing");
  }

  @Test
  void aCorruptCursorRedeliversFromTheStartOfTheTrail() throws Exception {
    redeliveredAfter(f -> Files.writeString(f, "{\"cursor\": 12, \"pend"), "damaged");
  }

  @Test
  void anEmptyCursorRedeliversFromTheStartOfTheTrail() throws Exception {
    redeliveredAfter(f -> Files.write(f, new byte[0]), "is empty");
  }

  private void redeliveredAfter(Damage damage, String why) throws Exception {
    List<String> before = record(3, "Write");
    trails.create(A, TrailSpec.of("cursor-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "cursor-trail");
    List<String> ids = record(10, "Write");
    await(() -> mem.delivered("mem").size() == 10, "the first delivery");
    Path cursor = cursorFile("cursor-trail", "mem");
    await(() -> Files.exists(cursor), "the cursor file");
    MemorySinkProvider fresh = restart(cursor, damage);
    await(() -> fresh.delivered("mem").size() >= 10, "delivery again from the trail's start");
    assertEquals(new HashSet<>(ids), new HashSet<>(fresh.delivered("mem")));
    assertTrue(
        fresh.delivered("mem").stream().noneMatch(before::contains),
        "nothing from before the trail started");
    String error = trails.status(A, "cursor-trail").destinations().get(0).lastError();
    assertTrue(
        error == null || error.contains(cursor.toString()),
        "the status shows the cursor problem until a delivery works: " + error);
    try (Stream<Path> s = Files.list(cursor.getParent())) {
      List<String> names = s.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.contains("destination-mem.json"), names.toString());
      if (!why.equals("is missing")) {
        assertTrue(
            names.stream().anyMatch(n -> n.startsWith("destination-mem.json.damaged-")),
            "the damaged file is kept aside: " + names);
      }
    }
  }

  @Test
  void aDamagedJobFileIsReportedAndItsIdNotReused() throws Exception {
    trails.create(A, TrailSpec.of("history-trail", DestinationSpec.of("mem", Map.of())));
    record(3, "Write");
    trails.startLogging(A, "history-trail");
    DeliveryJob job = trails.createDeliveryJob(A, "history-trail");
    await(
        () -> trails.getDeliveryJob(A, job.id()).state() == DeliveryJob.State.FINISHED, "the job");
    Path file = trailsDir().resolve(A).resolve("jobs").resolve(job.id() + ".json");
    assertTrue(Files.exists(file));
    restart(file, f -> Files.writeString(f, "not json"));
    assertTrue(trails.listDeliveryJobs(A).isEmpty());
    DeliveryJob next = trails.createDeliveryJob(A, "history-trail");
    assertTrue(next.id() > job.id(), "the damaged job's id stays taken");
    assertEquals("not json", Files.readString(file), "and its file is left for the operator");
    assertFalse(trails.describe(A, List.of()).isEmpty());
  }
}
