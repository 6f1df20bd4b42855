package org.opentrail.trail;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.api.trail.InnerTrailStatus;
import org.opentrail.api.trail.TrailSpec;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InnerTrailService}: at most one inner trail per account, kept as one file per account
 * under {@code <data>/innertrails/}. An inner trail collects (its stream is handed to the recorder)
 * only while it is enabled, its account holds the {@value InnerTrailService#ENTITLEMENT}
 * entitlement and has the delivery role; withdrawing either stops collection at once, and granting
 * it again resumes it. The logstore's retention is the trail's: applied when the trail is created,
 * enabled or changed and at every start, so settings made through the trail overwrite settings made
 * on the logstore itself.
 */
@Component(service = InnerTrailService.class, immediate = true)
public final class InnerTrailManager implements InnerTrailService {
  private static final Logger LOG = LoggerFactory.getLogger(InnerTrailManager.class);

  private final EventStore store;
  private final IdentityService identities;
  private final DeliveryRole role;
  private final InnerTrailFiles files;
  private final Map<String, InnerTrail> trails = new ConcurrentHashMap<>();

  @Activate
  public InnerTrailManager(
      @Reference EventStore store,
      @Reference IdentityService identities,
      @Reference DeliveryRole role,
      BundleContext context)
      throws IOException {
    this(store, identities, role, directory(context));
  }

  /** Inner trails outside OSGi (tests). */
  public InnerTrailManager(
      EventStore store, IdentityService identities, DeliveryRole role, Path directory)
      throws IOException {
    this.store = store;
    this.identities = identities;
    this.role = role;
    this.files = new InnerTrailFiles(directory);
    for (InnerTrail t : files.load()) {
      trails.put(t.accountId(), t);
      applyRetention(t);
    }
    LOG.info("Inner trails loaded from {}: {}", directory, trails.size());
  }

  private static Path directory(BundleContext context) {
    String data = context.getProperty("opentrail.data");
    return data != null
        ? Paths.get(data, "innertrails")
        : context.getDataFile("innertrails").toPath();
  }

  @Override
  public synchronized InnerTrail create(String accountId, String name) {
    checkAccount(accountId);
    if (name == null || !TrailSpec.NAME.matcher(name).matches()) {
      throw new InvalidParameterException(
          "Name",
          "An inner trail's name is 6 to 36 lowercase letters, digits, '-' or '_', starting with a"
              + " letter, not '"
              + name
              + "'.");
    }
    InnerTrail existing = trails.get(accountId);
    if (existing != null) {
      throw new OpenTrailException(
          "InnerTrailAlreadyExists",
          "The account already has the inner trail "
              + existing.name()
              + "; an account has at most one.",
          409);
    }
    checkPermitted(accountId);
    Instant now = Instant.now();
    InnerTrail t =
        new InnerTrail(accountId, name, true, InnerTrail.DEFAULT_RETENTION_DAYS, now, now);
    createOrApply(t);
    save(t);
    LOG.info("Inner trail {} of account {} created: logstore {}", name, accountId, t.logstore());
    return t;
  }

  @Override
  public Optional<InnerTrail> get(String accountId) {
    return Optional.ofNullable(trails.get(accountId));
  }

  @Override
  public InnerTrailStatus status(String accountId) {
    InnerTrail t = existing(accountId);
    boolean entitled = identities.entitled(accountId, ENTITLEMENT);
    boolean granted = role.granted(accountId);
    List<String> problems = new ArrayList<>();
    if (!t.enabled()) {
      problems.add("disabled: service-internal operations are not collected");
    }
    if (!entitled) {
      problems.add("the account does not hold the " + ENTITLEMENT + " entitlement (auth:entitle)");
    }
    if (!granted) {
      problems.add("the account has no delivery role " + DeliveryRole.ROLE_NAME);
    }
    long events = store.stream(t.stream()).map(StreamInfo::eventCount).orElse(0L);
    return new InnerTrailStatus(t, problems.isEmpty(), entitled, granted, events, problems);
  }

  @Override
  public synchronized InnerTrail setRetention(String accountId, int retentionDays) {
    InnerTrail t = existing(accountId);
    if (retentionDays < 1 || retentionDays > 3650) {
      throw new InvalidParameterException(
          "RetentionDays",
          "The retention is a whole number of days from 1 to 3650, not " + retentionDays + ".");
    }
    InnerTrail next =
        new InnerTrail(
            accountId, t.name(), t.enabled(), retentionDays, t.createTime(), Instant.now());
    createOrApply(next);
    save(next);
    return next;
  }

  @Override
  public synchronized InnerTrail enable(String accountId) {
    InnerTrail t = existing(accountId);
    checkPermitted(accountId);
    InnerTrail next =
        new InnerTrail(
            accountId,
            t.name(),
            true,
            InnerTrail.DEFAULT_RETENTION_DAYS,
            t.createTime(),
            Instant.now());
    createOrApply(next);
    save(next);
    return next;
  }

  @Override
  public synchronized InnerTrail disable(String accountId) {
    InnerTrail t = existing(accountId);
    InnerTrail next =
        new InnerTrail(
            accountId, t.name(), false, t.retentionDays(), t.createTime(), Instant.now());
    save(next);
    LOG.info("Inner trail {} of account {} disabled", t.name(), accountId);
    return next;
  }

  @Override
  public synchronized void delete(String accountId) {
    InnerTrail t = existing(accountId);
    trails.remove(accountId);
    files.delete(accountId);
    LOG.info(
        "Inner trail {} of account {} deleted; its logstore keeps what it holds for {} days",
        t.name(),
        accountId,
        t.retentionDays());
  }

  @Override
  public Optional<String> collectingStream(String accountId) {
    InnerTrail t = accountId == null ? null : trails.get(accountId);
    if (t == null
        || !t.enabled()
        || !identities.entitled(accountId, ENTITLEMENT)
        || !role.granted(accountId)) {
      return Optional.empty();
    }
    return Optional.of(t.stream());
  }

  private void checkPermitted(String accountId) {
    List<String> missing = new ArrayList<>();
    if (!identities.entitled(accountId, ENTITLEMENT)) {
      missing.add(
          "the "
              + ENTITLEMENT
              + " entitlement (an operator grants it: auth:entitle -a "
              + accountId
              + " "
              + ENTITLEMENT
              + ")");
    }
    if (!role.granted(accountId)) {
      missing.add("the delivery role " + DeliveryRole.ROLE_NAME + " (CreateRole)");
    }
    if (!missing.isEmpty()) {
      boolean onlyRole = missing.size() == 1 && identities.entitled(accountId, ENTITLEMENT);
      throw new OpenTrailException(
          onlyRole ? "NoPermission.DeliveryRole" : "InnerTrailNotEntitled",
          "The inner trail cannot collect: the account lacks "
              + String.join(" and ", missing)
              + ".",
          403);
    }
  }

  private void createOrApply(InnerTrail t) {
    StreamSpec spec = new StreamSpec(t.stream(), t.retentionDays(), true);
    var existing = store.stream(t.stream());
    if (existing.isEmpty()) {
      store.createStream(spec);
    } else if (!existing.get().spec().equals(spec)) {
      store.updateStream(spec); // the trail's setting wins over one made on the logstore
    }
  }

  private void applyRetention(InnerTrail t) {
    try {
      createOrApply(t);
    } catch (RuntimeException e) {
      LOG.error("Inner trail {} of account {}: {}", t.name(), t.accountId(), e.toString());
    }
  }

  private void save(InnerTrail t) {
    files.save(t);
    trails.put(t.accountId(), t);
  }

  private InnerTrail existing(String accountId) {
    checkAccount(accountId);
    InnerTrail t = trails.get(accountId);
    if (t == null) {
      throw new OpenTrailException(
          "InnerTrailNotFound", "The account " + accountId + " has no inner trail.", 404);
    }
    return t;
  }

  private static void checkAccount(String accountId) {
    if (accountId == null || !TrailManager.ACCOUNT.matcher(accountId).matches()) {
      throw new InvalidParameterException(
          "AccountId", "An account id is 12 to 16 digits, not '" + accountId + "'.");
    }
  }
}
