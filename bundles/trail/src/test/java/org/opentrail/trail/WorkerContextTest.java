package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;

/**
 * The signal a destination's thread waits on: a wake that comes while the thread is busy (a sink
 * arriving while a delivery fails) ends its next wait, so it never sleeps a long backoff through a
 * change; without a wake, a wait lasts its time.
 */
class WorkerContextTest {
  static WorkerContext context() {
    DestinationSpec d = new DestinationSpec("d1", "memory", Map.of());
    TrailSpec spec = new TrailSpec("signal-trail", null, null, null, List.of(d));
    Instant now = Instant.now();
    TrailState t = new TrailState("1", spec, true, now, now, now, null, 0, 0, Long.MAX_VALUE);
    return new WorkerContext(t, d, new CursorState(0, 0, 0, 0, 0));
  }

  @Test
  void aWakeWhileBusyEndsTheNextWaitAtOnceAndOnlyThatOne() {
    WorkerContext c = context();
    c.wake(); // nobody waits yet
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> c.await(600_000));
    long t0 = System.nanoTime();
    c.await(200); // the wake was used up: this one waits its time
    assertTrue(System.nanoTime() - t0 >= 150_000_000L, "a used wake ended a later wait");
  }

  @Test
  void aWakeDuringAWaitEndsIt() throws Exception {
    WorkerContext c = context();
    Thread waker =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              c.wake();
            });
    waker.start();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> c.await(600_000));
    waker.join();
  }

  @Test
  void aStoppedContextDoesNotWait() {
    WorkerContext c = context();
    c.stop();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> c.await(600_000));
    assertFalse(c.running());
  }
}
