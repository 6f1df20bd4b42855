package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.DestinationStatus.State;
import org.opentrail.api.trail.TrailSpec;

/** Trails deliver only while their account has granted ActionTrail's delivery service role. */
class DeliveryRoleTest extends TrailFixture {
  static final String B = "6543210987654321";
  static final String NOT_GRANTED =
      "account " + A + " has not granted the delivery role AliyunActionTrailDefaultRole";

  /** Exactly these events, each once, in batches each handed over once, and counted. */
  void assertDeliveredOnce(
      MemorySinkProvider sink, String account, String trail, String dest, List<String> ids) {
    List<String> got = sink.delivered(dest);
    assertEquals(new HashSet<>(ids), new HashSet<>(got), dest + ": no gaps, nothing foreign");
    assertEquals(ids.size(), got.size(), dest + ": no event twice");
    assertEquals(0, sink.repeats(dest), dest + ": no batch twice");
    assertEquals(ids.size(), dest(account, trail, dest).delivered(), dest + ": delivered count");
  }

  @Test
  void withoutADeliveryRoleServiceNothingIsDelivered() throws Exception {
    trails.close();
    trails = openTrails(); // no role bound
    trails.addSinkProvider("mem", mem);
    trails.create(A, TrailSpec.of("secure-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "secure-trail");
    List<String> ids = new ArrayList<>(record(20, "Write"));
    await(() -> dest("secure-trail", "mem").state() == State.NO_PERMISSION, "no permission");
    DestinationStatus d = dest("secure-trail", "mem");
    assertEquals("no delivery role service (the auth bundle) is installed", d.detail());
    assertEquals(d.detail(), d.lastError(), "a visible error");
    assertTrue(trails.status(A, "secure-trail").latestDeliveryError().contains(d.detail()));
    Thread.sleep(600);
    assertEquals(0, mem.attempts.get(), "nothing handed to the sink");
    assertEquals(20, dest("secure-trail", "mem").lagEvents());

    trails.bindDeliveryRole(role);
    await(() -> mem.delivered("mem").size() == 20, "the backlog, once a role is bound");
    assertDeliveredOnce(mem, A, "secure-trail", "mem", ids);
    await(() -> dest("secure-trail", "mem").lastError() == null, "the error to clear");
    assertEquals(State.DELIVERING, dest("secure-trail", "mem").state());

    // a greedy replacement comes before the old service goes: delivery goes on
    DeliveryRole other = granted::contains;
    trails.bindDeliveryRole(other);
    trails.unbindDeliveryRole(role);
    ids.addAll(record(5, "Write"));
    await(() -> mem.delivered("mem").size() == 25, "delivery with the replacement");

    // the service gone: paused at once (it wakes the worker), nothing delivered
    trails.unbindDeliveryRole(other);
    await(() -> dest("secure-trail", "mem").state() == State.NO_PERMISSION, "paused again");
    List<String> later = record(10, "Write");
    ids.addAll(later);
    Thread.sleep(600);
    assertEquals(25, mem.delivered("mem").size(), "nothing while no service is bound");
    assertEquals(10, dest("secure-trail", "mem").lagEvents());
    trails.bindDeliveryRole(role);
    await(() -> mem.delivered("mem").size() == 35, "the rest");
    assertDeliveredOnce(mem, A, "secure-trail", "mem", ids);
  }

  @Test
  void revokingPausesThatAccountsTrailsOnlyAndGrantingAgainDeliversEverythingOnce()
      throws Exception {
    granted.add(B);
    trails.create(A, TrailSpec.of("a-trail", new DestinationSpec("a-dest", "mem", Map.of())));
    trails.create(B, TrailSpec.of("b-trail", new DestinationSpec("b-dest", "mem", Map.of())));
    trails.startLogging(A, "a-trail");
    trails.startLogging(B, "b-trail");
    List<String> aIds = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> bIds = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean recording = new AtomicBoolean(true);
    Thread source =
        new Thread(
            () -> {
              while (recording.get()) {
                aIds.addAll(record(A, 7, "Write", "cn-test"));
                bIds.addAll(record(B, 5, "Write", "cn-test"));
                try {
                  Thread.sleep(3);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    source.start();
    try {
      await(() -> mem.delivered("a-dest").size() >= 50, "some of A's events delivered");
      granted.remove(A); // revoked mid-stream
      await(() -> dest("a-trail", "a-dest").state() == State.NO_PERMISSION, "A paused");
      DestinationStatus paused = dest("a-trail", "a-dest");
      assertTrue(paused.detail().startsWith(NOT_GRANTED), paused.detail());
      assertTrue(paused.detail().contains("auth:grant"), paused.detail());
      assertEquals(paused.detail(), paused.lastError(), "a visible error");
      assertTrue(
          trails.status(A, "a-trail").latestDeliveryError().contains(NOT_GRANTED),
          trails.status(A, "a-trail").latestDeliveryError());
      long sequenceThen = store.lastSequence(EventStore.HISTORY);
      int aThen = mem.delivered("a-dest").size();
      int bThen = bIds.size();
      Thread.sleep(600);
      assertEquals(aThen, mem.delivered("a-dest").size(), "A delivers nothing while revoked");
      await(
          () -> mem.delivered("b-dest").size() > bThen + 20,
          "B delivering what is recorded after A was revoked");
      assertEquals(State.DELIVERING, dest(B, "b-trail", "b-dest").state());
      assertTrue(dest("a-trail", "a-dest").lagEvents() > 0);
      assertTrue(
          trails.oldestSequenceNeeded(EventStore.HISTORY) <= sequenceThen + 1,
          "retention holds A's undelivered events");
      granted.add(A);
      await(() -> mem.delivered("a-dest").size() > aThen, "A delivering again");
      assertNull(dest("a-trail", "a-dest").lastError(), "the error clears");
    } finally {
      recording.set(false);
      source.join();
    }
    await(() -> mem.delivered("a-dest").size() == aIds.size(), "all of A's events");
    await(() -> mem.delivered("b-dest").size() == bIds.size(), "all of B's events");
    assertDeliveredOnce(mem, A, "a-trail", "a-dest", aIds);
    assertDeliveredOnce(mem, B, "b-trail", "b-dest", bIds);
    await(() -> dest("a-trail", "a-dest").lagEvents() == 0, "A's lag to clear");
    assertEquals(State.DELIVERING, dest("a-trail", "a-dest").state());
  }

  @Test
  void aBatchInFlightWaitsForTheGrantAndThenGoesWithTheSameKey() throws Exception {
    trails.create(A, TrailSpec.of("durable-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "durable-trail");
    mem.failNext.set(1_000_000); // down: the first batch stays in flight
    List<String> ids = record(10, "Write");
    await(() -> mem.attempts.get() > 0, "an attempt");
    String inFlight = mem.attemptedKeys.get(0);
    trails.close();
    granted.remove(A);
    trails = openTrails();
    trails.bindDeliveryRole(role);
    MemorySinkProvider fresh = new MemorySinkProvider();
    trails.addSinkProvider("mem", fresh);
    List<String> more = record(10, "Write");
    await(() -> dest("durable-trail", "mem").state() == State.NO_PERMISSION, "no permission");
    Thread.sleep(600);
    assertEquals(0, fresh.attempts.get(), "the batch in flight waits for the grant");
    granted.add(A);
    await(() -> fresh.delivered("mem").size() == 20, "everything, once granted");
    assertEquals(inFlight, fresh.keysInOrder.get(0), "the batch in flight first, same key");
    assertEquals(ids, fresh.batches.get("mem/" + inFlight), "and the same events");
    List<String> all = new ArrayList<>(ids);
    all.addAll(more);
    assertDeliveredOnce(fresh, A, "durable-trail", "mem", all);
  }

  @Test
  void aDeliveryHistoryJobPausesUntilTheRoleIsGranted() throws Exception {
    granted.remove(A);
    List<String> old = record(25, "Write");
    trails.create(A, TrailSpec.of("history-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "history-trail");
    DeliveryJob job = trails.createDeliveryJob(A, "history-trail");
    await(() -> dest("history-trail", "mem").state() == State.NO_PERMISSION, "no permission");
    Thread.sleep(600);
    DeliveryJob waiting = trails.getDeliveryJob(A, job.id());
    assertEquals(DeliveryJob.State.RUNNING, waiting.state(), "paused, not failed");
    assertEquals(0, waiting.eventsDone());
    assertEquals(0, mem.attempts.get(), "nothing handed to the sink");
    granted.add(A);
    await(
        () -> trails.getDeliveryJob(A, job.id()).state() == DeliveryJob.State.FINISHED,
        "the job, once granted");
    DeliveryJob done = trails.getDeliveryJob(A, job.id());
    assertEquals(done.eventsTotal(), done.eventsDone());
    assertNull(done.error());
    List<String> got = mem.delivered("mem");
    assertEquals(new HashSet<>(old), new HashSet<>(got));
    assertEquals(old.size(), got.size(), "each once");
  }
}
