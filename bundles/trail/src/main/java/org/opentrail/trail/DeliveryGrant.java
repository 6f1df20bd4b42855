package org.opentrail.trail;

import java.util.concurrent.atomic.AtomicReference;
import org.opentrail.api.auth.DeliveryRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an account's trails may deliver now: only while a {@link DeliveryRole} service is bound
 * and the account has granted the role. Without the service nothing is delivered (secure by
 * default). Deliveries that may not go wait (re-checking every {@value #RECHECK_MILLIS} ms, and at
 * once when the service comes or goes) and keep their place, so nothing is lost.
 */
final class DeliveryGrant {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryGrant.class);
  static final long RECHECK_MILLIS = 300;
  static final String NO_SERVICE = "no delivery role service (the auth bundle) is installed";

  /** How long the service may be missing before a warning: at start it is bound just after. */
  private static final long NO_SERVICE_WARN_AFTER_MILLIS = 5_000;

  private final AtomicReference<DeliveryRole> role = new AtomicReference<>();
  private final Object changed = new Object();
  private final Runnable onChange;
  private final DestinationAccess access;
  private final java.util.function.Function<String, org.opentrail.api.sink.SinkProvider> providers;
  private volatile long missingSince = System.currentTimeMillis();
  private volatile boolean warnedMissing;

  /**
   * @param onChange run when the service comes or goes (wakes waiting deliveries)
   */
  DeliveryGrant(
      Runnable onChange,
      DestinationAccess access,
      java.util.function.Function<String, org.opentrail.api.sink.SinkProvider> providers) {
    this.onChange = onChange;
    this.access = access;
    this.providers = providers;
  }

  /**
   * Why a destination may not deliver now, or {@code null} if it may: its account's delivery role
   * ({@link #refusal(String)}), then its own role and resource ({@link DestinationAccess#refusal}).
   */
  String refusal(String account, String trail, org.opentrail.api.trail.DestinationSpec d) {
    String why = refusal(account);
    if (why != null) {
      return why;
    }
    try {
      return access.refusal(account, trail, d, providers.apply(d.type()));
    } catch (RuntimeException e) {
      return "cannot check the destination's resource: " + e.getMessage();
    }
  }

  void bind(DeliveryRole r) {
    role.set(r);
    warnedMissing = false;
    LOG.info(
        "Delivery role service bound: trails deliver while their account grants {}",
        DeliveryRole.ROLE_NAME);
    changed();
  }

  void unbind(DeliveryRole r) {
    // only if it is still this one: a greedy replacement is bound before the old one goes
    if (role.compareAndSet(r, null)) {
      missingSince = System.currentTimeMillis();
      if (frameworkStopping()) {
        LOG.debug("Delivery role service gone as OpenTrail stops");
      } else {
        LOG.warn("Delivery role service gone: trails deliver nothing until one is installed again");
      }
    }
    changed();
  }

  /**
   * Why the account's trails may not deliver now, or {@code null} if they may. A pass costs one
   * volatile read and the service's (in-memory) lookup.
   */
  String refusal(String account) {
    DeliveryRole r = role.get();
    if (r == null) {
      warnIfLongMissing();
      return NO_SERVICE;
    }
    try {
      return r.granted(account) ? null : notGranted(account);
    } catch (RuntimeException e) {
      return "cannot check the delivery role of account " + account + ": " + e;
    }
  }

  static String notGranted(String account) {
    return "account "
        + account
        + " has not granted the delivery role "
        + DeliveryRole.ROLE_NAME
        + " (auth:grant or RAM CreateRole)";
  }

  /** Waits up to {@link #RECHECK_MILLIS}, or less if the service comes or goes. */
  void pause() throws InterruptedException {
    synchronized (changed) {
      changed.wait(RECHECK_MILLIS);
    }
  }

  /** Whether the whole framework is stopping (then services going away is no news). */
  private static boolean frameworkStopping() {
    org.osgi.framework.Bundle self =
        org.osgi.framework.FrameworkUtil.getBundle(DeliveryGrant.class);
    org.osgi.framework.BundleContext c = self == null ? null : self.getBundleContext();
    return c != null && c.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING;
  }

  private void changed() {
    synchronized (changed) {
      changed.notifyAll();
    }
    onChange.run();
  }

  private void warnIfLongMissing() {
    if (!warnedMissing
        && System.currentTimeMillis() - missingSince > NO_SERVICE_WARN_AFTER_MILLIS
        && role.get() == null) {
      warnedMissing = true;
      LOG.warn("Trails deliver nothing: {}", NO_SERVICE);
    }
  }
}
