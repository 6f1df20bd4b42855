package org.opentrail.recorder;

import java.util.List;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.Provenance;
import org.opentrail.api.event.RecordResult;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link EventRecorder} service, one instance per using bundle (a bundle-scoped service): it
 * hands events to {@link EventRecorderService} with the using bundle's symbolic name and version,
 * which the framework vouches for, so the stored {@code recordedBy} names the bundle that really
 * recorded each event whatever the caller claims.
 */
@Component(service = EventRecorder.class, scope = ServiceScope.BUNDLE)
public final class BundleRecorder implements EventRecorder {
  private final EventRecorderService core;
  private final String bundle;

  @Activate
  public BundleRecorder(@Reference EventRecorderService core, ComponentContext context) {
    this.core = core;
    Bundle using = context.getUsingBundle();
    this.bundle =
        using == null ? "unknown" : using.getSymbolicName() + " " + using.getVersion().toString();
  }

  @Override
  public RecordResult record(String accountId, List<Event> events, Provenance provenance) {
    return core.record(accountId, events, provenance, bundle, false);
  }

  @Override
  public RecordResult recordServiceInternal(
      String accountId, List<Event> events, Provenance provenance) {
    return core.record(accountId, events, provenance, bundle, true);
  }
}
