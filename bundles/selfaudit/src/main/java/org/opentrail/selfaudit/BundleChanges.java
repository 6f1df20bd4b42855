package org.opentrail.selfaudit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Records bundle lifecycle changes, whatever caused them (a jar dropped into or removed from {@code
 * deploy/}, a shell command, an update), as {@value SelfAuditEvents#PLATFORM} events {@code
 * InstallBundle}, {@code UpdateBundle}, {@code StartBundle}, {@code StopBundle}, {@code
 * UninstallBundle} on resource {@code ACS::OpenTrail::Bundle} {@code <symbolic name> <version>},
 * and a bundle failing ({@code BundleError}, from the framework's error events). While the
 * framework itself starts or stops, the start and stop of every bundle is not recorded one by one:
 * {@link PlatformLifecycle} records the start and stop of the platform.
 */
@Component(immediate = true)
public final class BundleChanges implements BundleListener, FrameworkListener {
  private final BundleContext context;
  private final SelfAuditEvents events;

  @Activate
  public BundleChanges(
      BundleContext context,
      @Reference EventRecorder recorder,
      @Reference IdentityService identities) {
    this.context = context;
    this.events = new SelfAuditEvents(recorder, identities);
    context.addBundleListener(this);
    context.addFrameworkListener(this);
  }

  @Deactivate
  void stop() {
    context.removeBundleListener(this);
    context.removeFrameworkListener(this);
  }

  /**
   * Whether the platform is up: the framework is active and the launcher says every feature bundle
   * has started ({@value PlatformLifecycle#READY}, true until it begins to stop).
   */
  private boolean running() {
    return context.getBundle(0).getState() == Bundle.ACTIVE && PlatformLifecycle.platformUp();
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    String name =
        switch (event.getType()) {
          case BundleEvent.INSTALLED -> "InstallBundle";
          case BundleEvent.UPDATED -> "UpdateBundle";
          case BundleEvent.STARTED -> "StartBundle";
          case BundleEvent.STOPPED -> "StopBundle";
          case BundleEvent.UNINSTALLED -> "UninstallBundle";
          default -> null;
        };
    if (name == null || !running() || event.getBundle().getBundleId() == 0) {
      return;
    }
    Bundle b = event.getBundle();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("bundleId", b.getBundleId());
    params.put("location", SelfAuditEvents.clip(String.valueOf(b.getLocation()), 512));
    events.record(
        SelfAuditEvents.PLATFORM,
        name,
        EventFields.WRITE,
        SelfAuditEvents.platform(),
        "ACS::OpenTrail::Bundle",
        describe(b),
        params,
        null);
  }

  @Override
  public void frameworkEvent(FrameworkEvent event) {
    if (event.getType() != FrameworkEvent.ERROR || !running()) {
      return;
    }
    Bundle b = event.getBundle();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("bundleId", b == null ? -1 : b.getBundleId());
    Throwable t = event.getThrowable();
    events.record(
        SelfAuditEvents.PLATFORM,
        "BundleError",
        EventFields.WRITE,
        SelfAuditEvents.platform(),
        "ACS::OpenTrail::Bundle",
        b == null ? "unknown" : describe(b),
        params,
        t == null ? "a framework error" : t.toString());
  }

  static String describe(Bundle b) {
    return b.getSymbolicName() + " " + b.getVersion();
  }
}
