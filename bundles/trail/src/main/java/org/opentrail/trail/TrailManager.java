package org.opentrail.trail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.auth.RoleTrust;
import org.opentrail.api.auth.SecretSealer;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.RetentionHold;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.SinkType;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.api.trail.TrailStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TrailService}: trails persisted under the data directory, delivered by the {@link
 * DeliveryEngine} to whatever sink types are installed, and a {@link RetentionHold} that keeps the
 * history's events until the trails that must deliver them have. A trail delivers only while its
 * account has granted the {@link DeliveryRole}; without a {@link DeliveryRole} service nothing is
 * delivered.
 */
@Component(
    service = {TrailService.class, RetentionHold.class},
    configurationPid = TrailConfig.PID,
    immediate = true)
@Designate(ocd = TrailConfig.class)
public final class TrailManager implements TrailService, RetentionHold {
  private static final Logger LOG = LoggerFactory.getLogger(TrailManager.class);
  static final Pattern ACCOUNT = org.opentrail.api.auth.IdentityService.ACCOUNT_ID;

  private final EventStore store;
  private final TrailSettings config;
  private final TrailRepository repository;
  private final DeliveryEngine engine;
  private final BackfillJobs jobs;
  private final Map<String, TrailState> trails = new ConcurrentHashMap<>();

  /** Trails on disk that could not be loaded (key {@code account/name}), with why. */
  private final Map<String, String> damaged = new ConcurrentHashMap<>();

  @Activate
  public TrailManager(@Reference EventStore store, BundleContext context, TrailConfig config)
      throws IOException {
    this(store, directory(context, config), config, region(context));
  }

  /** Trails outside OSGi (tests), in home region {@code local} unless configured. */
  public TrailManager(EventStore store, Path directory, TrailConfig config) throws IOException {
    this(store, directory, config, "local");
  }

  /**
   * Trails outside OSGi (tests).
   *
   * @param defaultRegion the home region (of digests) when the configuration names none
   */
  public TrailManager(EventStore store, Path directory, TrailConfig config, String defaultRegion)
      throws IOException {
    this.store = store;
    this.config = new TrailSettings(config);
    this.repository = new TrailRepository(directory);
    this.engine =
        new DeliveryEngine(
            store, repository, this.config, defaultRegion, new DestinationAccess(directory));
    this.jobs = new BackfillJobs(store, repository, engine, this.config);
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
   * A changed configuration: applied at once if valid (the trails, their workers and cursors carry
   * on; DS does not restart the component), else refused with an ERROR and the current settings
   * kept.
   */
  @Modified
  public void modified(TrailConfig changed) {
    config.update(changed);
  }

  /** The settings in force (tests). */
  TrailConfig settings() {
    return config;
  }

  private static String region(BundleContext context) {
    String r = context.getProperty("opentrail.region");
    return r == null || r.isBlank() ? "local" : r;
  }

  private static Path directory(BundleContext context, TrailConfig config) {
    if (!config.directory().isBlank()) {
      return Paths.get(config.directory());
    }
    String data = context.getProperty("opentrail.data");
    return data != null ? Paths.get(data, "trails") : context.getDataFile("trails").toPath();
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeSinkProvider")
  void addSinkProvider(SinkProvider provider, ServiceReference<SinkProvider> ref) {
    Object type = ref.getProperty(SinkProvider.TYPE);
    if (!(type instanceof String t) || t.isBlank()) {
      LOG.warn(
          "A SinkProvider from bundle {} has no {} property; ignored",
          ref.getBundle().getSymbolicName(),
          SinkProvider.TYPE);
      return;
    }
    engine.providerAdded(
        t,
        provider,
        new SinkType(
            t, ref.getBundle().getSymbolicName(), ref.getBundle().getVersion().toString()));
  }

  void removeSinkProvider(SinkProvider provider, ServiceReference<SinkProvider> ref) {
    if (ref.getProperty(SinkProvider.TYPE) instanceof String t) {
      engine.providerRemoved(t, provider);
    }
  }

  /**
   * The delivery role service. Also outside OSGi (tests, benchmarks): until one is bound, trails
   * deliver nothing.
   */
  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY,
      unbind = "unbindDeliveryRole")
  public void bindDeliveryRole(DeliveryRole role) {
    engine.grant().bind(role);
  }

  public void unbindDeliveryRole(DeliveryRole role) {
    engine.grant().unbind(role);
  }

  /**
   * The service checking roles of other accounts that destinations deliver through (ActionTrail's
   * OssWriteRoleArn): without one, such destinations are refused and wait.
   */
  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY,
      unbind = "unbindRoleTrust")
  public void bindRoleTrust(RoleTrust trust) {
    engine.access().trust().set(trust);
    engine.wakeAll();
  }

  public void unbindRoleTrust(RoleTrust trust) {
    engine.access().trust().compareAndSet(trust, null);
    engine.wakeAll();
  }

  /**
   * The service sealing destination secrets: without one, a destination with a secret is refused
   * (CreateTrail) or cannot open (stored ones).
   */
  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY,
      unbind = "unbindSecretSealer")
  public void bindSecretSealer(SecretSealer sealer) {
    engine.access().sealer().set(sealer);
    engine.wakeAll();
  }

  public void unbindSecretSealer(SecretSealer sealer) {
    engine.access().sealer().compareAndSet(sealer, null);
  }

  /**
   * The service signing destination digests. Also outside OSGi (tests): until one is bound, the
   * digests of provable destinations wait, and their status says why.
   */
  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY,
      unbind = "unbindSigningKeys")
  public void bindSigningKeys(SigningKeys keys) {
    engine.signingKeys(keys);
  }

  public void unbindSigningKeys(SigningKeys keys) {
    if (engine.signingKeys() == keys) {
      engine.signingKeys(null);
    }
  }

  /** Adds a sink type outside OSGi (tests). */
  public void addSinkProvider(String type, SinkProvider provider) {
    engine.providerAdded(type, provider, new SinkType(type, "test", "0"));
  }

  /**
   * Removes a sink type outside OSGi (tests), as its bundle stopping would: returns once its
   * destinations wrote the final digests they owe through it (or after a bounded wait).
   */
  public void removeSinkProvider(String type, SinkProvider provider) {
    engine.providerRemoved(type, provider);
  }

  @Override
  public synchronized Trail create(String accountId, TrailSpec spec) {
    checkAccount(accountId);
    TrailSpec checked =
        TrailValidator.check(
            engine
                .access()
                .secrets()
                .withStoredSecrets(accountId, TrailValidator.withIds(spec), null),
            this::provider);
    checkNotDamaged(accountId, checked.name());
    if (trails.containsKey(key(accountId, checked.name()))) {
      throw new OpenTrailException(
          "TrailAlreadyExists", "The trail " + checked.name() + " already exists.", 409);
    }
    long count = trails.values().stream().filter(t -> t.account().equals(accountId)).count();
    if (count >= config.max_trails_per_account()) {
      throw new OpenTrailException(
          "MaximumNumberOfTrailsExceeded",
          "The account already has " + count + " trails, the most it may have.",
          400);
    }
    Instant now = now();
    checked = engine.access().admit(accountId, checked, this::provider);
    TrailState t = new TrailState(accountId, checked, false, now, now, null, null, 0, 0, 0);
    persist(t);
    LOG.info("Trail {} created in account {}", t.spec().name(), accountId);
    return t.toTrail();
  }

  @Override
  public synchronized Trail update(String accountId, TrailSpec spec) {
    TrailState old = state(accountId, spec.name());
    TrailSpec checked =
        TrailValidator.check(
            engine
                .access()
                .secrets()
                .withStoredSecrets(accountId, TrailValidator.withIds(spec), old.spec()),
            this::provider);
    TrailState t = old.withSpec(engine.access().admit(accountId, checked, this::provider), now());
    persist(t);
    return t.toTrail();
  }

  @Override
  public synchronized void delete(String accountId, String name) {
    checkAccount(accountId);
    TrailValidator.checkName(name);
    String why = damaged.get(key(accountId, name));
    if (why != null && !trails.containsKey(key(accountId, name))) {
      try {
        jobs.trailDeleted(accountId, name);
        repository.deleteTrail(accountId, name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      damaged.remove(key(accountId, name));
      LOG.warn("Damaged trail {} deleted from account {} ({})", name, accountId, why);
      return;
    }
    TrailState t = state(accountId, name);
    engine.trailDeleted(t);
    try {
      jobs.trailDeleted(accountId, name);
      repository.deleteTrail(accountId, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    trails.remove(key(accountId, name));
    LOG.info("Trail {} deleted from account {}", name, accountId);
  }

  @Override
  public List<Trail> describe(String accountId, List<String> names) {
    checkAccount(accountId);
    return trails.values().stream()
        .filter(
            t ->
                t.account().equals(accountId)
                    && (names.isEmpty() || names.contains(t.spec().name())))
        .sorted(Comparator.comparing((TrailState t) -> t.spec().name()))
        .map(TrailState::toTrail)
        .toList();
  }

  @Override
  public Trail get(String accountId, String name) {
    return state(accountId, name).toTrail();
  }

  @Override
  public TrailStatus status(String accountId, String name) {
    TrailState t = state(accountId, name);
    List<DestinationStatus> dests = engine.status(t);
    Instant latest =
        dests.stream()
            .map(DestinationStatus::lastDeliveryTime)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    String error =
        dests.stream()
            .filter(d -> d.lastError() != null)
            .max(Comparator.comparing(DestinationStatus::lastErrorTime))
            .map(d -> d.id() + ": " + d.lastError())
            .orElse(null);
    List<String> behind = engine.beyondCeiling(t, ceilingMillis());
    String alarm =
        behind.isEmpty()
            ? null
            : "Destinations "
                + behind
                + " have undelivered events older than "
                + config.retention_hold_max_days()
                + " days: retention no longer keeps them and may purge them before they are delivered.";
    return new TrailStatus(
        t.logging(),
        latest,
        error,
        t.startLogging(),
        t.stopLogging(),
        dests,
        alarm,
        jobs.latest(accountId, name));
  }

  @Override
  public synchronized Trail startLogging(String accountId, String name) {
    TrailState t = state(accountId, name);
    if (!t.logging()) {
      t = t.started(now(), store.lastSequence(EventStore.HISTORY));
      persist(t);
      LOG.info("Trail {} of account {} started logging", name, accountId);
    }
    return t.toTrail();
  }

  @Override
  public synchronized Trail stopLogging(String accountId, String name) {
    TrailState t = state(accountId, name);
    if (t.logging()) {
      t = t.stopped(now(), store.lastSequence(EventStore.HISTORY));
      persist(t);
      LOG.info("Trail {} of account {} stopped logging", name, accountId);
    }
    return t.toTrail();
  }

  @Override
  public int acknowledgeGaps(String accountId, String trailName, String destinationId) {
    TrailState t = state(accountId, trailName);
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

  @Override
  public org.opentrail.api.store.RepairReport repairFrom(
      String accountId,
      String trailName,
      String destinationId,
      java.util.function.Consumer<String> progress) {
    TrailState t = state(accountId, trailName);
    org.opentrail.api.trail.DestinationSpec d =
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
                            + t.spec().destinations().stream()
                                .map(org.opentrail.api.trail.DestinationSpec::id)
                                .toList()
                            + "."));
    return DestinationRepair.run(store, t, d, provider(d.type()), engine.access(), progress);
  }

  @Override
  public List<SinkType> sinkTypes() {
    return engine.sinkTypes();
  }

  @Override
  public java.util.SortedMap<String, String> resourceOwners() {
    return new java.util.TreeMap<>(engine.access().owners().all());
  }

  @Override
  public DeliveryJob createDeliveryJob(String accountId, String trailName) {
    return jobs.create(state(accountId, trailName));
  }

  @Override
  public DeliveryJob getDeliveryJob(String accountId, long jobId) {
    return jobs.get(accountId, jobId);
  }

  @Override
  public List<DeliveryJob> listDeliveryJobs(String accountId) {
    checkAccount(accountId);
    return jobs.list(accountId);
  }

  @Override
  public void deleteDeliveryJob(String accountId, long jobId) {
    try {
      jobs.delete(accountId, jobId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long oldestSequenceNeeded(String stream) {
    if (!EventStore.HISTORY.equals(stream)) {
      return Long.MAX_VALUE;
    }
    for (TrailState t : trails.values()) {
      List<String> behind = engine.beyondCeiling(t, ceilingMillis());
      if (!behind.isEmpty()) {
        LOG.warn(
            "Trail {} of account {}: destinations {} have undelivered events older than {} days; retention no longer keeps them",
            t.spec().name(),
            t.account(),
            behind,
            config.retention_hold_max_days());
      }
    }
    return Math.min(
        Math.min(engine.oldestNeeded(ceilingMillis()), jobs.oldestNeeded()), damagedHold());
  }

  /**
   * What the cursor files of damaged trails still need: retention must not purge the backlog of a
   * trail that is only unreadable until the operator restores its file (up to the same ceiling as
   * any trail's hold).
   */
  private long damagedHold() {
    long min = Long.MAX_VALUE;
    for (String k : damaged.keySet()) {
      String account = k.substring(0, k.indexOf('/'));
      String name = k.substring(k.indexOf('/') + 1);
      try {
        long needed = repository.oldestNeededByCursorFiles(account, name);
        if (needed == Long.MAX_VALUE) {
          continue;
        }
        List<org.opentrail.api.store.StoredEvent> next =
            store.read(EventStore.HISTORY, needed - 1, 1);
        if (!next.isEmpty()
            && next.get(0).timeMillis() < System.currentTimeMillis() - ceilingMillis()) {
          LOG.warn(
              "Damaged trail {}: its undelivered events are older than {} days; retention no"
                  + " longer keeps them",
              k,
              config.retention_hold_max_days());
          continue;
        }
        min = Math.min(min, needed);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Damaged trail {}: cannot tell what it still needs: {}", k, e.toString());
      }
    }
    return min;
  }

  private static Instant now() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  private long ceilingMillis() {
    return config.retention_hold_max_days() * 86_400_000L;
  }

  private SinkProvider provider(String type) {
    DeliveryEngine.Provider p = engine.provider(type);
    return p == null ? null : p.provider();
  }

  private void persist(TrailState t) {
    try {
      repository.save(t);
      trails.put(key(t.account(), t.spec().name()), t);
      engine.trailChanged(t);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save trail " + t.spec().name(), e);
    }
  }

  private TrailState state(String accountId, String name) {
    checkAccount(accountId);
    TrailValidator.checkName(name);
    TrailState t = trails.get(key(accountId, name));
    if (t == null) {
      checkNotDamaged(accountId, name);
      throw new OpenTrailException("TrailNotFound", "The trail " + name + " does not exist.", 404);
    }
    return t;
  }

  /**
   * Refuses to act on, or reuse the name of, a trail whose files could not be loaded: it is not
   * gone, and treating it as absent would hide that its events are not delivered.
   */
  private void checkNotDamaged(String accountId, String name) {
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

  /** Trails that exist on disk but could not be loaded ({@code account/name} to why). */
  public Map<String, String> damagedTrails() {
    return Map.copyOf(damaged);
  }

  private static void checkAccount(String accountId) {
    if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
      throw new InvalidParameterException("AccountId", "An account id is 12 to 16 digits.");
    }
  }

  private static String key(String account, String name) {
    return account + '/' + name;
  }

  @Deactivate
  public void close() {
    jobs.close();
    engine.close();
  }
}
