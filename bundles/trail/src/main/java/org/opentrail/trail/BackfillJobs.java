package org.opentrail.trail;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.trail.DeliveryJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery history jobs: each delivers a trail's events recorded before it first started logging
 * (as far back as the history keeps them) to its destinations. At most one job runs per account;
 * jobs survive restarts and resume where they were.
 */
final class BackfillJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillJobs.class);

  /** A job with the sequence range it covers. */
  record JobState(DeliveryJob job, long from, long to) {
    JobState progressed(long done, Instant now) {
      DeliveryJob j = job;
      return new JobState(
          new DeliveryJob(
              j.id(),
              j.accountId(),
              j.trailName(),
              j.state(),
              done,
              j.eventsTotal(),
              j.createTime(),
              now,
              null),
          from,
          to);
    }

    JobState finished(DeliveryJob.State state, String error, Instant now) {
      DeliveryJob j = job;
      return new JobState(
          new DeliveryJob(
              j.id(),
              j.accountId(),
              j.trailName(),
              state,
              j.eventsDone(),
              j.eventsTotal(),
              j.createTime(),
              now,
              error),
          from,
          to);
    }
  }

  private final EventStore store;
  private final TrailRepository repository;
  private final DeliveryEngine engine;
  private final TrailConfig config;
  private final Map<Long, JobState> jobs = new ConcurrentHashMap<>();
  private final Map<Long, BackfillRunner> runners = new ConcurrentHashMap<>();
  private final AtomicLong ids =
      new AtomicLong(1); // small: ActionTrail's SDK reads job ids as integers

  BackfillJobs(
      EventStore store, TrailRepository repository, DeliveryEngine engine, TrailConfig config) {
    this.store = store;
    this.repository = repository;
    this.engine = engine;
    this.config = config;
  }

  /** Loads the jobs on disk and resumes the running ones whose trail still exists. */
  void load(BiFunction<String, String, TrailState> trails) throws IOException {
    TrailRepository.LoadedJobs loaded = repository.loadJobs();
    loaded
        .damaged()
        .forEach(
            (id, why) -> {
              // its id stays taken, and the file stays for the operator to restore or remove
              ids.accumulateAndGet(id + 1, Math::max);
              LOG.error("Delivery history job {} is not loaded: {}", id, why);
            });
    for (JobState j : loaded.jobs()) {
      jobs.put(j.job().id(), j);
      ids.accumulateAndGet(j.job().id() + 1, Math::max);
      if (j.job().state() == DeliveryJob.State.RUNNING) {
        TrailState t = trails.apply(j.job().accountId(), j.job().trailName());
        if (t == null) {
          save(j.finished(DeliveryJob.State.FAILED, "the trail was deleted", Instant.now()));
        } else {
          run(j, t);
        }
      }
    }
  }

  synchronized DeliveryJob create(TrailState t) {
    for (JobState j : jobs.values()) {
      if (j.job().accountId().equals(t.account()) && j.job().state() == DeliveryJob.State.RUNNING) {
        throw new OpenTrailException(
            "DeliveryJobAlreadyRunning",
            "Delivery history job "
                + j.job().id()
                + " (trail "
                + j.job().trailName()
                + ") is still running; an account runs one at a time.",
            409);
      }
    }
    List<StoredEvent> oldest = store.read(EventStore.HISTORY, 0, 1);
    long last = store.lastSequence(EventStore.HISTORY);
    long from = oldest.isEmpty() ? last + 1 : oldest.get(0).sequence();
    long to = t.firstStartSequence() > 0 ? t.firstStartSequence() : last;
    Instant now = Instant.now();
    DeliveryJob job =
        new DeliveryJob(
            ids.getAndIncrement(),
            t.account(),
            t.spec().name(),
            DeliveryJob.State.RUNNING,
            0,
            Math.max(0, to - from + 1),
            now,
            now,
            null);
    JobState s = new JobState(job, from, to);
    save(s);
    run(s, t);
    LOG.info(
        "Delivery history job {} for trail {}: events {} to {}",
        job.id(),
        t.spec().name(),
        from,
        to);
    return job;
  }

  private void run(JobState s, TrailState t) {
    BackfillRunner r = new BackfillRunner(s, t, store, engine, config, this::save);
    runners.put(s.job().id(), r);
    r.start();
  }

  private void save(JobState s) {
    jobs.put(s.job().id(), s);
    if (s.job().state() != DeliveryJob.State.RUNNING) {
      runners.remove(s.job().id());
    }
    try {
      repository.saveJob(s.job(), s.from(), s.to());
    } catch (IOException e) {
      LOG.error("Cannot save delivery history job {}", s.job().id(), e);
    }
  }

  DeliveryJob get(String account, long id) {
    JobState s = jobs.get(id);
    if (s == null || !s.job().accountId().equals(account)) {
      throw new OpenTrailException(
          "DeliveryJobNotFound", "There is no delivery history job " + id + ".", 404);
    }
    return s.job();
  }

  List<DeliveryJob> list(String account) {
    return jobs.values().stream()
        .map(JobState::job)
        .filter(j -> j.accountId().equals(account))
        .sorted(Comparator.comparingLong(DeliveryJob::id))
        .toList();
  }

  /** The newest job of a trail, or {@code null}. */
  DeliveryJob latest(String account, String trail) {
    return list(account).stream()
        .filter(j -> j.trailName().equals(trail))
        .reduce((a, b) -> b)
        .orElse(null);
  }

  void delete(String account, long id) throws IOException {
    get(account, id);
    BackfillRunner r = runners.remove(id);
    if (r != null) {
      r.stop();
    }
    jobs.remove(id);
    repository.deleteJob(account, id);
  }

  /** Stops and forgets the jobs of a deleted trail. */
  void trailDeleted(String account, String trail) throws IOException {
    for (DeliveryJob j : new ArrayList<>(list(account))) {
      if (j.trailName().equals(trail)) {
        delete(account, j.id());
      }
    }
  }

  /** The lowest history sequence a running job still needs. */
  long oldestNeeded() {
    long min = Long.MAX_VALUE;
    for (JobState s : jobs.values()) {
      if (s.job().state() == DeliveryJob.State.RUNNING) {
        min = Math.min(min, s.from() + s.job().eventsDone());
      }
    }
    return min;
  }

  @Override
  public void close() {
    runners.values().forEach(BackfillRunner::stop);
    runners.clear();
  }
}
