package org.opentrail.trail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trails of {@link TrailManager} in memory, keyed {@code account/name}: loaded from the {@link
 * TrailRepository} at start (with the ones whose files could not be loaded kept apart as damaged,
 * and why), saved through it, and handed to the {@link DeliveryEngine} whenever one changes. Looks
 * a trail up with ActionTrail's errors: {@code TrailNotFound} (404), {@code TrailDamaged} (500).
 */
final class LoadedTrails {
  // logs as TrailManager, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(TrailManager.class);

  private final TrailRepository repository;
  private final DeliveryEngine engine;
  private final Map<String, TrailState> trails = new ConcurrentHashMap<>();

  /** Trails on disk that could not be loaded (key {@code account/name}), with why. */
  private final Map<String, String> damaged = new ConcurrentHashMap<>();

  /**
   * Loads the trails of {@code directory} from {@code repository}, starts their delivery on {@code
   * engine}, then loads the backfill {@code jobs} of those trails.
   *
   * @throws IOException when the repository cannot be listed
   */
  LoadedTrails(TrailRepository repository, DeliveryEngine engine, BackfillJobs jobs, Path directory)
      throws IOException {
    this.repository = repository;
    this.engine = engine;
    TrailRepository.Loaded loaded = repository.loadTrails();
    loaded
        .damaged()
        .forEach(
            (k, why) -> {
              damaged.put(k, why);
              LOG.error(
                  "Trail {} is not loaded and does not deliver ({}); its other files are kept:"
                      + " restore the file from a backup and restart, or delete the trail",
                  k,
                  why);
            });
    for (TrailState t : loaded.trails()) {
      trails.put(key(t.account(), t.spec().name()), t);
      engine.trailChanged(t, true);
    }
    jobs.load((account, name) -> trails.get(key(account, name)));
    if (damaged.isEmpty()) {
      LOG.info("Trails loaded from {}: {}", directory, trails.size());
    } else {
      LOG.error(
          "Trails loaded from {}: {}; not loaded because damaged: {}",
          directory,
          trails.size(),
          damaged.keySet());
    }
  }

  /**
   * The trail {@code name} of an account.
   *
   * @throws InvalidParameterException for a bad account id or trail name
   * @throws OpenTrailException {@code TrailDamaged} (500) for a trail whose files could not be
   *     loaded, {@code TrailNotFound} (404) for one that does not exist
   */
  TrailState state(String accountId, String name) {
    checkAccount(accountId);
    TrailValidator.checkName(name);
    TrailState t = trails.get(key(accountId, name));
    if (t == null) {
      checkNotDamaged(accountId, name);
      throw new OpenTrailException("TrailNotFound", "The trail " + name + " does not exist.", 404);
    }
    return t;
  }

  /** True if the account has a (loaded) trail of that name. */
  boolean exists(String accountId, String name) {
    return trails.containsKey(key(accountId, name));
  }

  /** Every loaded trail, of every account. */
  Collection<TrailState> all() {
    return trails.values();
  }

  /**
   * Saves a new or changed trail, then hands it to the delivery engine.
   *
   * @throws UncheckedIOException when it cannot be saved (nothing changes then)
   */
  void persist(TrailState t) {
    try {
      repository.save(t);
      trails.put(key(t.account(), t.spec().name()), t);
      engine.trailChanged(t);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save trail " + t.spec().name(), e);
    }
  }

  /** Forgets a trail whose files were deleted. */
  void remove(String accountId, String name) {
    trails.remove(key(accountId, name));
  }

  /**
   * Refuses to act on, or reuse the name of, a trail whose files could not be loaded: it is not
   * gone, and treating it as absent would hide that its events are not delivered.
   */
  void checkNotDamaged(String accountId, String name) {
    String why = damaged.get(key(accountId, name));
    if (why != null) {
      throw new OpenTrailException(
          "TrailDamaged",
          "The trail "
              + name
              + " exists but cannot be loaded, so it delivers nothing: "
              + why
              + ". Restore the file from a backup and restart, or delete the trail.",
          500);
    }
  }

  /** Why the trail could not be loaded; null if it is not damaged. */
  String damagedWhy(String accountId, String name) {
    return damaged.get(key(accountId, name));
  }

  /** Forgets a damaged trail whose files were deleted. */
  void forgetDamaged(String accountId, String name) {
    damaged.remove(key(accountId, name));
  }

  /** The damaged trails' keys, {@code account/name}. */
  Set<String> damagedKeys() {
    return damaged.keySet();
  }

  /** Trails that exist on disk but could not be loaded ({@code account/name} to why). */
  Map<String, String> damaged() {
    return Map.copyOf(damaged);
  }

  /**
   * @throws InvalidParameterException unless {@code accountId} is 12 to 16 digits
   */
  static void checkAccount(String accountId) {
    if (accountId == null || !TrailManager.ACCOUNT.matcher(accountId).matches()) {
      throw new InvalidParameterException("AccountId", "An account id is 12 to 16 digits.");
    }
  }

  private static String key(String account, String name) {
    return account + '/' + name;
  }
}
