package org.opentrail.trail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.auth.RoleTrust;
import org.opentrail.api.auth.SecretSealer;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.RepairReport;
import org.opentrail.api.store.RetentionHold;
import org.opentrail.api.trail.DeliveryJob;
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
 *
 * <p>This component holds the DS wiring (configuration, the services it binds) and the lifecycle;
 * the trails in memory are {@link LoadedTrails}, the operations that change them {@link
 * TrailOperations}, the status and describe views {@link TrailViews}, the retention hold {@link
 * TrailRetention}.
 */
@Component(
    service = {TrailService.class, RetentionHold.class},
    configurationPid = TrailConfig.PID,
    immediate = true)
@Designate(ocd = TrailConfig.class)
public final class TrailManager implements TrailService, RetentionHold {
  private static final Logger LOG = LoggerFactory.getLogger(TrailManager.class);
  static final Pattern ACCOUNT = org.opentrail.api.auth.IdentityService.ACCOUNT_ID;

  private final TrailSettings config;
  private final DeliveryEngine engine;
  private final BackfillJobs jobs;
  private final LoadedTrails trails;
  private final TrailOperations operations;
  private final TrailRetention retention;
  private final TrailViews views;

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
    this.config = new TrailSettings(config);
    TrailRepository repository = new TrailRepository(directory);
    this.engine =
        new DeliveryEngine(
            store, repository, this.config, defaultRegion, new DestinationAccess(directory));
    this.jobs = new BackfillJobs(store, repository, engine, this.config);
    this.trails = new LoadedTrails(repository, engine, jobs, directory);
    TrailContext c = new TrailContext(store, this.config, repository, engine, jobs, trails);
    this.operations = new TrailOperations(c);
    this.retention = new TrailRetention(c);
    this.views = new TrailViews(c, retention);
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
  public Trail create(String accountId, TrailSpec spec) {
    return operations.create(accountId, spec);
  }

  @Override
  public Trail update(String accountId, TrailSpec spec) {
    return operations.update(accountId, spec);
  }

  @Override
  public void delete(String accountId, String name) {
    operations.delete(accountId, name);
  }

  @Override
  public List<Trail> describe(String accountId, List<String> names) {
    return views.describe(accountId, names);
  }

  @Override
  public Trail get(String accountId, String name) {
    return trails.state(accountId, name).toTrail();
  }

  @Override
  public TrailStatus status(String accountId, String name) {
    return views.status(accountId, name);
  }

  @Override
  public Trail startLogging(String accountId, String name) {
    return operations.startLogging(accountId, name);
  }

  @Override
  public Trail stopLogging(String accountId, String name) {
    return operations.stopLogging(accountId, name);
  }

  @Override
  public int acknowledgeGaps(String accountId, String trailName, String destinationId) {
    return operations.acknowledgeGaps(accountId, trailName, destinationId);
  }

  @Override
  public RepairReport repairFrom(
      String accountId, String trailName, String destinationId, Consumer<String> progress) {
    return operations.repairFrom(accountId, trailName, destinationId, progress);
  }

  @Override
  public List<SinkType> sinkTypes() {
    return engine.sinkTypes();
  }

  @Override
  public SortedMap<String, String> resourceOwners() {
    return new TreeMap<>(engine.access().owners().all());
  }

  @Override
  public DeliveryJob createDeliveryJob(String accountId, String trailName) {
    return jobs.create(trails.state(accountId, trailName));
  }

  @Override
  public DeliveryJob getDeliveryJob(String accountId, long jobId) {
    return jobs.get(accountId, jobId);
  }

  @Override
  public List<DeliveryJob> listDeliveryJobs(String accountId) {
    LoadedTrails.checkAccount(accountId);
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
    return retention.oldestSequenceNeeded(stream);
  }

  /** Trails that exist on disk but could not be loaded ({@code account/name} to why). */
  public Map<String, String> damagedTrails() {
    return trails.damaged();
  }

  @Deactivate
  public void close() {
    jobs.close();
    engine.close();
  }
}
