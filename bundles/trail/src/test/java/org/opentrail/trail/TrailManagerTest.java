package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.TrailSpec;

class TrailManagerTest extends TrailFixture {
  @Test
  void aTrailDeliversExactlyWhatIsRecordedWhileItLogs() throws Exception {
    trails.create(A, TrailSpec.of("audit-trail", DestinationSpec.of("mem", Map.of())));
    assertEquals(false, trails.get(A, "audit-trail").logging(), "a created trail starts stopped");
    List<String> before = record(5, "Write");
    trails.startLogging(A, "audit-trail");
    List<String> during = record(30, "Write");
    await(() -> mem.delivered("mem").size() == 30, "delivery");
    trails.stopLogging(A, "audit-trail");
    List<String> after = record(5, "Write");
    Thread.sleep(200);
    assertEquals(new HashSet<>(during), new HashSet<>(mem.delivered("mem")));
    assertTrue(
        mem.delivered("mem").stream().noneMatch(id -> before.contains(id) || after.contains(id)));
    assertEquals(DestinationStatus.State.STOPPED, dest("audit-trail", "mem").state());
    assertEquals(30, dest("audit-trail", "mem").delivered());
    assertTrue(trails.status(A, "audit-trail").latestDeliveryTime() != null);
    // started again: what came while it was stopped is not delivered
    trails.startLogging(A, "audit-trail");
    List<String> again = record(3, "Write");
    await(() -> mem.delivered("mem").size() == 33, "delivery after restart of logging");
    assertTrue(mem.delivered("mem").containsAll(again));
  }

  @Test
  void filtersTakeReadOrWriteAndRegions() throws Exception {
    trails.create(
        A,
        new TrailSpec(
            "writes-only",
            "Write",
            null,
            List.of("cn-test"),
            List.of(DestinationSpec.of("mem", Map.of()))));
    trails.startLogging(A, "writes-only");
    record(10, "Read");
    List<String> writes = new java.util.ArrayList<>(record(7, "Write"));
    writes.addAll(record(5, null)); // no eventRW: a Write trail delivers them, a Read one not
    record(4, "Write", "eu-other");
    await(() -> mem.delivered("mem").size() == 12, "the writes");
    Thread.sleep(200);
    assertEquals(new HashSet<>(writes), new HashSet<>(mem.delivered("mem")));
    await(
        () -> dest("writes-only", "mem").lagEvents() == 0,
        "the cursor to pass the events the filter drops");
  }

  @Test
  void aMissingSinkTypeWaitsAndItsBacklogIsDeliveredWhenItArrives() throws Exception {
    trails.create(
        A, TrailSpec.of("waiting-trail", DestinationSpec.of("later", Map.of("anything", "goes"))));
    trails.startLogging(A, "waiting-trail");
    List<String> ids = record(50, "Write");
    await(
        () -> dest("waiting-trail", "later").state() == DestinationStatus.State.WAITING_FOR_SINK,
        "waiting");
    assertEquals("waiting for sink type later", dest("waiting-trail", "later").detail());
    assertEquals(50, dest("waiting-trail", "later").lagEvents());
    // another account's activity is never shown in A's backlog, nor its age
    record("2000000000000002", 70, "Write", "cn-hangzhou");
    assertEquals(50, dest("waiting-trail", "later").lagEvents());
    MemorySinkProvider later = new MemorySinkProvider();
    trails.addSinkProvider("later", later);
    await(
        () ->
            dest("waiting-trail", "later").state() == DestinationStatus.State.INVALID_CONFIGURATION,
        "its configuration checked");
    trails.update(
        A, TrailSpec.of("waiting-trail", DestinationSpec.of("later", Map.of("label", "x"))));
    await(() -> later.delivered("later").size() == 50, "the backlog");
    assertEquals(new HashSet<>(ids), new HashSet<>(later.delivered("later")));
  }

  @Test
  void aFailingSinkIsRetriedWithTheSameBatchAndNothingIsSkipped() throws Exception {
    trails.create(A, TrailSpec.of("flaky-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "flaky-trail");
    mem.failNext.set(3);
    List<String> ids = record(20, "Write");
    await(() -> dest("flaky-trail", "mem").state() == DestinationStatus.State.RETRYING, "retrying");
    assertTrue(dest("flaky-trail", "mem").lastError().contains("the memory sink is down"));
    assertTrue(
        trails.status(A, "flaky-trail").latestDeliveryError().contains("the memory sink is down"));
    await(() -> mem.delivered("mem").size() == 20, "delivery after the failures");
    assertEquals(new HashSet<>(ids), new HashSet<>(mem.delivered("mem")));
    assertEquals(
        1,
        new HashSet<>(mem.attemptedKeys).size(),
        "one batch, the same key each attempt: " + mem.attemptedKeys);
    assertEquals(4, mem.attemptedKeys.size(), "three failures, then the success");
    await(
        () -> dest("flaky-trail", "mem").lastError() == null,
        "the error to clear after the success");
  }

  /**
   * Every change to a grant, a configuration or a sink provider wakes the delivery threads; those
   * wakes once ended a failing sink's backoff wait, so a storm of them retried it in a tight loop.
   */
  @Test
  void aWakeStormDoesNotRetryAFailingSinkBeforeItsBackoff() throws Exception {
    trails.create(A, TrailSpec.of("storm-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "storm-trail");
    mem.failNext.set(1_000_000);
    record(5, "Write");
    await(() -> mem.attempts.get() >= 1, "the first attempt");
    long end = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < end) {
      trails.bindDeliveryRole(role); // wakes every delivery thread
      Thread.sleep(1);
    }
    // backoff from 100 ms up to 400 ms, each wait at least half: at most 8 attempts in a second
    assertTrue(mem.attempts.get() <= 9, "attempts in a second of wakes: " + mem.attempts.get());
    mem.failNext.set(0);
    await(() -> mem.delivered("mem").size() == 5, "delivery once the sink works");
  }

  /**
   * A sink bundle uninstalled while its sink is opened or delivering throws NoClassDefFoundError
   * (an Error, not an Exception): it once killed the destination's thread, which then never
   * delivered again. It is a failed attempt like any other.
   */
  @Test
  void aSinkWhoseClassesAreGoneMidCallIsRetriedAndTheThreadLives() throws Exception {
    trails.create(A, TrailSpec.of("gone-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "gone-trail");
    mem.classesGoneNext.set(3); // open, then open again, then the delivery
    List<String> ids = record(20, "Write");
    await(
        () ->
            String.valueOf(dest("gone-trail", "mem").lastError())
                .contains("the sink's bundle went away during the call"),
        "the failure shown in words");
    await(() -> mem.delivered("mem").size() == 20, "delivery after the classes came back");
    assertEquals(new HashSet<>(ids), new HashSet<>(mem.delivered("mem")));
    List<String> more = record(5, "Write");
    await(() -> mem.delivered("mem").size() == 25, "the thread still delivering");
    assertTrue(mem.delivered("mem").containsAll(more));
  }

  /** Any Error a sink throws (not only a LinkageError) once ended the delivery thread for good. */
  @Test
  void aSinkThrowingAnErrorIsRetriedAndTheThreadLives() throws Exception {
    trails.create(A, TrailSpec.of("error-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "error-trail");
    mem.errorNext.set(2);
    List<String> ids = record(20, "Write");
    await(
        () ->
            String.valueOf(dest("error-trail", "mem").lastError())
                .contains("java.lang.AssertionError: the memory sink broke an invariant"),
        "the failure shown");
    await(() -> mem.delivered("mem").size() == 20, "delivery after the errors");
    assertEquals(new HashSet<>(ids), new HashSet<>(mem.delivered("mem")));
    List<String> more = record(5, "Write");
    await(() -> mem.delivered("mem").size() == 25, "the thread still delivering");
    assertTrue(mem.delivered("mem").containsAll(more));
  }

  @Test
  void cursorsAndTheBatchInFlightSurviveARestart() throws Exception {
    trails.create(A, TrailSpec.of("durable-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "durable-trail");
    mem.failNext.set(1_000_000); // down: the first batch stays in flight
    List<String> ids = record(10, "Write");
    await(() -> mem.attempts.get() > 0, "an attempt");
    String inFlight = mem.attemptedKeys.get(0);
    trails.close();
    trails = openTrails();
    trails.bindDeliveryRole(role);
    MemorySinkProvider fresh = new MemorySinkProvider();
    trails.addSinkProvider("mem", fresh);
    List<String> more = record(10, "Write");
    await(() -> fresh.delivered("mem").size() == 20, "everything, after the restart");
    assertTrue(fresh.delivered("mem").containsAll(ids) && fresh.delivered("mem").containsAll(more));
    assertEquals(
        inFlight,
        fresh.keysInOrder.get(0),
        "the batch in flight is delivered first, with the same key");
    assertEquals(ids, fresh.batches.get("mem/" + inFlight), "and the same events");
    assertTrue(trails.get(A, "durable-trail").logging(), "the trail is still logging");
  }

  @Test
  void retentionKeepsWhatALoggingTrailHasNotDelivered() throws Exception {
    assertEquals(Long.MAX_VALUE, trails.oldestSequenceNeeded(EventStore.HISTORY));
    trails.create(A, TrailSpec.of("holding-trail", DestinationSpec.of("down", Map.of())));
    trails.startLogging(A, "holding-trail");
    record(5, "Write");
    long first = store.lastSequence(EventStore.HISTORY) - 4;
    assertEquals(first, trails.oldestSequenceNeeded(EventStore.HISTORY));
    assertEquals(Long.MAX_VALUE, trails.oldestSequenceNeeded("actiontrail_other"));
    assertNull(trails.status(A, "holding-trail").retentionAlarm());
  }

  @Test
  void deliveryHistoryJobsDeliverWhatCameBeforeTheTrailStartedOnce() throws Exception {
    List<String> old = record(25, "Write");
    trails.create(A, TrailSpec.of("history-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "history-trail");
    List<String> live = record(5, "Write");
    DeliveryJob job = trails.createDeliveryJob(A, "history-trail");
    OpenTrailException busy =
        assertThrows(OpenTrailException.class, () -> trails.createDeliveryJob(A, "history-trail"));
    assertTrue(
        busy.code().equals("DeliveryJobAlreadyRunning")
            || trails.getDeliveryJob(A, job.id()).state() == DeliveryJob.State.FINISHED);
    await(
        () -> trails.getDeliveryJob(A, job.id()).state() == DeliveryJob.State.FINISHED, "the job");
    DeliveryJob done = trails.getDeliveryJob(A, job.id());
    assertEquals(done.eventsTotal(), done.eventsDone());
    await(() -> mem.delivered("mem").size() == 30, "history and live events");
    assertEquals(
        new HashSet<>(mem.delivered("mem")).size(),
        mem.delivered("mem").size(),
        "nothing delivered twice");
    assertTrue(mem.delivered("mem").containsAll(old) && mem.delivered("mem").containsAll(live));
    assertEquals(job.id(), trails.status(A, "history-trail").deliveryJob().id());
    DeliveryJob second = trails.createDeliveryJob(A, "history-trail");
    await(
        () -> trails.getDeliveryJob(A, second.id()).state() == DeliveryJob.State.FINISHED,
        "a second job");
    assertEquals(30, mem.delivered("mem").size(), "running it again replaces the same batches");
    trails.deleteDeliveryJob(A, job.id());
    assertEquals(1, trails.listDeliveryJobs(A).size());
  }

  /** A failed attempt of a delivery history job dropped its sink without closing it. */
  @Test
  void aDeliveryHistoryJobClosesTheSinksOfItsFailedAttempts() throws Exception {
    List<String> old = record(10, "Write");
    trails.create(A, TrailSpec.of("leak-trail", DestinationSpec.of("mem", Map.of())));
    mem.failNext.set(3);
    DeliveryJob job = trails.createDeliveryJob(A, "leak-trail");
    await(
        () -> trails.getDeliveryJob(A, job.id()).state() == DeliveryJob.State.FINISHED, "the job");
    assertEquals(new HashSet<>(old), new HashSet<>(mem.delivered("mem")));
    assertEquals(4, mem.attempts.get(), "three failures, then the success");
    assertEquals(4, mem.opened.get(), "a sink opened for each attempt");
    // the last one is closed as the job's thread ends, just after it shows FINISHED
    await(() -> mem.closed.get() == 4, "each closed, the failed ones too");
    assertEquals(4, mem.opened.get());
  }

  @Test
  void badTrailsAreRefusedWithNothingLeftBehind() throws Exception {
    DestinationSpec ok = DestinationSpec.of("mem", Map.of());
    for (String bad :
        new String[] {
          "short",
          "UpperCase",
          "1leading-digit",
          "../escape",
          "a".repeat(37),
          "with space",
          "trail.dot",
          ""
        }) {
      InvalidParameterException e =
          assertThrows(
              InvalidParameterException.class, () -> trails.create(A, TrailSpec.of(bad, ok)), bad);
      assertEquals("Name", e.parameter(), bad);
    }
    assertEquals(
        "EventRW",
        assertThrows(
                InvalidParameterException.class,
                () ->
                    trails.create(
                        A, new TrailSpec("bad-rw-trail", "Sometimes", null, null, List.of(ok))))
            .parameter());
    assertEquals(
        "Destinations",
        assertThrows(
                InvalidParameterException.class,
                () -> trails.create(A, TrailSpec.of("no-destination")))
            .parameter());
    assertEquals(
        "bucket",
        assertThrows(
                InvalidParameterException.class,
                () ->
                    trails.create(
                        A,
                        TrailSpec.of(
                            "unknown-key", DestinationSpec.of("mem", Map.of("bucket", "x")))))
            .parameter());
    assertEquals(
        "DestinationId",
        assertThrows(
                InvalidParameterException.class,
                () ->
                    trails.create(
                        A,
                        TrailSpec.of(
                            "same-ids",
                            new DestinationSpec("d", "mem", Map.of()),
                            new DestinationSpec("d", "mem", Map.of()))))
            .parameter());
    assertEquals(
        "Destination.d2",
        assertThrows(
                InvalidParameterException.class,
                () ->
                    trails.create(
                        A,
                        TrailSpec.of(
                            "same-place",
                            new DestinationSpec("d1", "mem", Map.of()),
                            new DestinationSpec("d2", "mem", Map.of()))))
            .parameter());
    assertEquals(
        "AccountId",
        assertThrows(
                InvalidParameterException.class,
                () -> trails.create("nope", TrailSpec.of("good-trail", ok)))
            .parameter());
    assertTrue(trails.describe(A, List.of()).isEmpty(), "no partial trail");
    try (Stream<Path> files = Files.walk(dir.resolve("trails"))) {
      assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing on disk either");
    }
    trails.create(A, TrailSpec.of("good-trail", ok));
    assertEquals(
        "TrailAlreadyExists",
        assertThrows(
                OpenTrailException.class, () -> trails.create(A, TrailSpec.of("good-trail", ok)))
            .code());
    assertEquals(
        "TrailNotFound",
        assertThrows(OpenTrailException.class, () -> trails.status(A, "missing-trail")).code());
    assertEquals(1, trails.describe(A, List.of()).size());
    trails.delete(A, "good-trail");
    assertTrue(trails.describe(A, List.of()).isEmpty());
    Set<String> types = new HashSet<>();
    trails.sinkTypes().forEach(t -> types.add(t.type()));
    assertEquals(Set.of("mem"), types);
  }

  @Test
  void pastTheHoldCeilingRetentionIsNoLongerHeldAndTheStatusRaisesAnAlarm() throws Exception {
    trails.close();
    trails =
        new TrailManager(
            store,
            dir.resolve("trails"),
            config(TrailConfig.class, Map.of("retention.hold.max.days", 1)));
    trails.bindDeliveryRole(role);
    trails.create(A, TrailSpec.of("stuck-trail", DestinationSpec.of("never-installed", Map.of())));
    trails.startLogging(A, "stuck-trail");
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventName", "Old");
    e.put("eventRW", "Write");
    e.put("serviceName", "Svc");
    e.put("eventTime", java.time.Instant.now().minus(java.time.Duration.ofDays(2)).toString());
    e.put("userIdentity", Map.of("type", "ram-user", "userName", "old"));
    recorder.record(A, List.of(Event.of(e)));
    await(
        () ->
            dest("stuck-trail", "never-installed").state()
                == DestinationStatus.State.WAITING_FOR_SINK,
        "waiting");
    assertEquals(
        Long.MAX_VALUE,
        trails.oldestSequenceNeeded(EventStore.HISTORY),
        "older than the ceiling: not held");
    String alarm = trails.status(A, "stuck-trail").retentionAlarm();
    assertTrue(
        alarm != null && alarm.contains("never-installed") && alarm.contains("1 days"),
        String.valueOf(alarm));
  }
}
