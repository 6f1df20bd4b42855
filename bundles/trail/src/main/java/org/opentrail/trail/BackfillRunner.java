package org.opentrail.trail;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivery history job: walks the history range in sequence windows aligned to multiples
 * of {@value #WINDOW}, and delivers each window's events the trail takes to every destination
 * (retrying until it succeeds). Aligned windows give every batch the same range and key however
 * often the job is run or resumed, so sinks replace rather than repeat what they already have.
 * While the trail's account has not granted the delivery role the job pauses (still running) and
 * goes on from the same batch once it has.
 */
final class BackfillRunner implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);
  static final long WINDOW = 10_000;

  private final BackfillJobs.JobState start;
  private final TrailState trail;
  private final EventStore store;
  private final DeliveryEngine engine;
  private final Backoff backoff;
  private final Consumer<BackfillJobs.JobState> progress;
  private final Map<String, Sink> sinks = new HashMap<>();
  private final Map<String, DeliveryEngine.Provider> sinkFrom = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private String refusal; // why it may not deliver, while it may not

  BackfillRunner(
      BackfillJobs.JobState job,
      TrailState trail,
      EventStore store,
      DeliveryEngine engine,
      TrailConfig config,
      Consumer<BackfillJobs.JobState> progress) {
    this.start = job;
    this.trail = trail;
    this.store = store;
    this.engine = engine;
    this.backoff = new Backoff(config::retry_initial_millis, config::retry_max_millis);
    this.progress = progress;
    this.thread = new Thread(this, "opentrail-backfill-" + job.job().id());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops after the window in progress. */
  void stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    BackfillJobs.JobState job = start;
    EventFilter filter = new EventFilter(trail.account(), trail.spec());
    long pos = job.from() + job.job().eventsDone() - 1;
    try {
      while (running && pos < job.to()) {
        long first = pos + 1;
        long last = Math.min(job.to(), ((first - 1) / WINDOW + 1) * WINDOW);
        List<StoredEvent> events =
            store.read(EventStore.HISTORY, first - 1, (int) (last - first + 1)).stream()
                .filter(e -> e.sequence() <= last && filter.matches(e.event()))
                .toList();
        if (!events.isEmpty()) {
          for (DestinationSpec d : trail.spec().destinations()) {
            deliver(d, new DeliveryBatch("history-" + first + "-" + last, first, last, events));
          }
        }
        pos = last;
        job = job.progressed(pos - job.from() + 1, Instant.now());
        progress.accept(job);
      }
      if (running) {
        progress.accept(job.finished(DeliveryJob.State.FINISHED, null, Instant.now()));
      }
    } catch (InterruptedException e) {
      // stopped (deleted, or OpenTrail stopping): resumed at the next start if still there
    } catch (RuntimeException | Error e) {
      LOG.error("Delivery history job {} failed", job.job().id(), e);
      progress.accept(job.finished(DeliveryJob.State.FAILED, e.toString(), Instant.now()));
    } finally {
      sinks.values().forEach(BackfillRunner::close);
    }
  }

  /**
   * Delivers a batch to one destination, waiting for its sink type and retrying until it is
   * delivered.
   */
  private void deliver(DestinationSpec d, DeliveryBatch batch) throws InterruptedException {
    while (running) {
      if (!permitted()) {
        engine.grant().pause();
        continue;
      }
      DeliveryEngine.Provider p = engine.provider(d.type());
      if (p == null) {
        Thread.sleep(1000); // waiting for the sink type to be installed
        continue;
      }
      try {
        Sink s = sinks.get(d.id());
        if (s == null || sinkFrom.get(d.id()) != p) {
          close(sinks.remove(d.id())); // another provider's, or none
          String why = engine.grant().refusal(trail.account(), trail.spec().name(), d);
          if (why != null) {
            throw new IllegalStateException(why);
          }
          s = p.provider().open(engine.access().target(trail.account(), trail.spec().name(), d));
          sinks.put(d.id(), s);
          sinkFrom.put(d.id(), p);
        }
        engine.deliver(trail, d, s, batch);
        backoff.reset();
        return;
      } catch (Exception | Error e) {
        close(sinks.remove(d.id())); // a new one is opened for the next attempt
        long delay = backoff.next();
        LOG.warn(
            "Delivery history job {}: {} to destination {} failed ({}); retrying in {} ms",
            start.job().id(),
            batch.key(),
            d.id(),
            e.getMessage(),
            delay);
        Thread.sleep(delay);
      }
    }
    throw new InterruptedException();
  }

  /** Closes {@code s} (if any), whatever it throws: the sink's bundle may be gone. */
  private static void close(Sink s) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (RuntimeException | Error ignored) {
      // nothing more to do with it
    }
  }

  /** Whether the trail's account may deliver now; logs when that changes. */
  private boolean permitted() {
    String why = engine.grant().refusal(trail.account());
    if (why == null) {
      if (refusal != null) {
        refusal = null;
        LOG.info("Delivery history job {}: delivery may go on again", start.job().id());
      }
      return true;
    }
    if (!why.equals(refusal)) {
      refusal = why;
      if (why.equals(DeliveryGrant.NO_SERVICE)) {
        LOG.debug("Delivery history job {} paused: {}", start.job().id(), why);
      } else {
        LOG.warn("Delivery history job {} paused: {}", start.job().id(), why);
      }
    }
    return false;
  }
}
