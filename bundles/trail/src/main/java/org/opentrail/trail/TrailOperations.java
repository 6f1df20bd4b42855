package org.opentrail.trail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.RepairReport;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ActionTrail operations of {@link TrailManager} that change trails (CreateTrail, UpdateTrail,
 * DeleteTrail, StartLogging, StopLogging) and their destinations (gaps acknowledged, repair): each
 * checked ({@link TrailValidator}, stored secrets, {@link DestinationAccess#admit}) before anything
 * is saved. The trail changes run one at a time.
 */
final class TrailOperations {
  // logs as TrailManager, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(TrailManager.class);

  private final EventStore store;
  private final TrailSettings config;
  private final TrailRepository repository;
  private final DeliveryEngine engine;
  private final BackfillJobs jobs;
  private final LoadedTrails trails;

  TrailOperations(TrailContext c) {
    this.store = c.store();
    this.config = c.config();
    this.repository = c.repository();
    this.engine = c.engine();
    this.jobs = c.jobs();
    this.trails = c.trails();
  }

  /** CreateTrail: as {@link org.opentrail.api.trail.TrailService#create} describes it. */
  synchronized Trail create(String accountId, TrailSpec spec) {
    LoadedTrails.checkAccount(accountId);
    TrailSpec checked =
        TrailValidator.check(
            engine
                .access()
                .secrets()
                .withStoredSecrets(accountId, TrailValidator.withIds(spec), null),
            this::provider);
    trails.checkNotDamaged(accountId, checked.name());
    if (trails.exists(accountId, checked.name())) {
      throw new OpenTrailException(
          "TrailAlreadyExists", "The trail " + checked.name() + " already exists.", 409);
    }
    long count = trails.all().stream().filter(t -> t.account().equals(accountId)).count();
    if (count >= config.max_trails_per_account()) {
      throw new OpenTrailException(
          "MaximumNumberOfTrailsExceeded",
          "The account already has " + count + " trails, the most it may have.",
          400);
    }
    Instant now = now();
    checked = engine.access().admit(accountId, checked, this::provider);
    TrailState t = new TrailState(accountId, checked, false, now, now, null, null, 0, 0, 0);
    trails.persist(t);
    LOG.info("Trail {} created in account {}", t.spec().name(), accountId);
    return t.toTrail();
  }

  /** UpdateTrail: as {@link org.opentrail.api.trail.TrailService#update} describes it. */
  synchronized Trail update(String accountId, TrailSpec spec) {
    TrailState old = trails.state(accountId, spec.name());
    TrailSpec checked =
        TrailValidator.check(
            engine
                .access()
                .secrets()
                .withStoredSecrets(accountId, TrailValidator.withIds(spec), old.spec()),
            this::provider);
    TrailState t = old.withSpec(engine.access().admit(accountId, checked, this::provider), now());
    trails.persist(t);
    return t.toTrail();
  }

  /**
   * DeleteTrail: the trail's delivery stopped, its backfill jobs and files deleted; a damaged
   * trail's files too.
   */
  synchronized void delete(String accountId, String name) {
    LoadedTrails.checkAccount(accountId);
    TrailValidator.checkName(name);
    String why = trails.damagedWhy(accountId, name);
    if (why != null && !trails.exists(accountId, name)) {
      deleteFiles(accountId, name);
      trails.forgetDamaged(accountId, name);
      LOG.warn("Damaged trail {} deleted from account {} ({})", name, accountId, why);
      return;
    }
    TrailState t = trails.state(accountId, name);
    engine.trailDeleted(t);
    deleteFiles(accountId, name);
    trails.remove(accountId, name);
    LOG.info("Trail {} deleted from account {}", name, accountId);
  }

  /** StartLogging: delivers the events recorded from now on. */
  synchronized Trail startLogging(String accountId, String name) {
    TrailState t = trails.state(accountId, name);
    if (!t.logging()) {
      t = t.started(now(), store.lastSequence(EventStore.HISTORY));
      trails.persist(t);
      LOG.info("Trail {} of account {} started logging", name, accountId);
    }
    return t.toTrail();
  }

  /** StopLogging: delivers nothing recorded from now on. */
  synchronized Trail stopLogging(String accountId, String name) {
    TrailState t = trails.state(accountId, name);
    if (t.logging()) {
      t = t.stopped(now(), store.lastSequence(EventStore.HISTORY));
      trails.persist(t);
      LOG.info("Trail {} of account {} stopped logging", name, accountId);
    }
    return t.toTrail();
  }

  /**
   * Acknowledges the gaps of one destination (or of every one, when {@code destinationId} is null),
   * logging which.
   *
   * @return the gaps acknowledged
   * @throws InvalidParameterException for a destination the trail does not have
   */
  int acknowledgeGaps(String accountId, String trailName, String destinationId) {
    TrailState t = trails.state(accountId, trailName);
    if (destinationId != null
        && t.spec().destinations().stream().noneMatch(d -> d.id().equals(destinationId))) {
      throw new InvalidParameterException(
          "DestinationId", "The trail " + trailName + " has no destination " + destinationId + ".");
    }
    List<String> before =
        engine.status(t).stream()
            .filter(d -> destinationId == null || d.id().equals(destinationId))
            .flatMap(d -> d.gaps().stream().map(g -> d.id() + " " + g))
            .toList();
    int n = engine.acknowledgeGaps(t, destinationId);
    LOG.info(
        "Trail {} of account {}: {} gaps acknowledged on {}: {}",
        trailName,
        accountId,
        n,
        destinationId == null ? "every destination" : "destination " + destinationId,
        before);
    return n;
  }

  /**
   * Repairs a destination from the history ({@link DestinationRepair}).
   *
   * @throws InvalidParameterException for a destination the trail does not have (naming those it
   *     has)
   */
  RepairReport repairFrom(
      String accountId, String trailName, String destinationId, Consumer<String> progress) {
    TrailState t = trails.state(accountId, trailName);
    DestinationSpec d =
        t.spec().destinations().stream()
            .filter(x -> x.id().equals(destinationId))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidParameterException(
                        "DestinationId",
                        "The trail "
                            + trailName
                            + " has no destination "
                            + destinationId
                            + "; its destinations are "
                            + t.spec().destinations().stream().map(DestinationSpec::id).toList()
                            + "."));
    return DestinationRepair.run(store, t, d, provider(d.type()), engine.access(), progress);
  }

  /** Deletes a trail's backfill jobs, then its files. */
  private void deleteFiles(String accountId, String name) {
    try {
      jobs.trailDeleted(accountId, name);
      repository.deleteTrail(accountId, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SinkProvider provider(String type) {
    DeliveryEngine.Provider p = engine.provider(type);
    return p == null ? null : p.provider();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
