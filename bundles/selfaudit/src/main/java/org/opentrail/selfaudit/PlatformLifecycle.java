package org.opentrail.selfaudit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.internal.durable.DurableFiles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the start ({@code StartOpenTrail}) and the clean stop ({@code StopOpenTrail}) of the
 * platform. A marker file, {@code <data>/selfaudit/running}, is written durably at start and
 * removed at a clean stop; a start that finds it says the previous run ended uncleanly ({@code
 * additionalEventData.previousStop = "unclean"}, with when that run started), as after a crash, a
 * kill -9 or a power loss.
 */
@Component(immediate = true)
public final class PlatformLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformLifecycle.class);

  /** The launcher's system property: true while the platform is up (see the launcher). */
  static final String READY = "opentrail.ready";

  private final BundleContext context;
  private final SelfAuditEvents events;
  private final Path marker;

  /** Whether the launcher says the platform is up; outside the launcher, always. */
  static boolean platformUp() {
    String ready = System.getProperty(READY);
    return ready == null || Boolean.parseBoolean(ready);
  }

  @Activate
  public PlatformLifecycle(
      BundleContext context,
      @Reference EventRecorder recorder,
      @Reference IdentityService identities) {
    this.context = context;
    this.events = new SelfAuditEvents(recorder, identities);
    String data = context.getProperty("opentrail.data");
    this.marker =
        (data != null ? Paths.get(data, "selfaudit") : context.getDataFile("").toPath())
            .resolve("running");
    String previous = null;
    try {
      if (Files.exists(marker)) {
        previous = Files.readString(marker, StandardCharsets.UTF_8).strip();
      }
      DurableFiles.createPrivateDirectories(marker.getParent());
      // written even when this bundle alone (re)starts, so that a later crash is still seen
      DurableFiles.write(marker, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.error("Cannot keep the run marker {}: {}", marker, e.toString());
    }
    if (System.getProperty(READY) != null && platformUp()) {
      return; // this bundle started in a running platform (installed or updated): not a start
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("previousStop", previous == null ? "clean" : "unclean");
    if (previous != null) {
      extra.put("previousStart", previous);
      LOG.warn("The previous run (started {}) did not stop cleanly", previous);
    }
    extra.put("version", context.getBundle().getVersion().toString());
    events.record(
        SelfAuditEvents.PLATFORM,
        "StartOpenTrail",
        EventFields.WRITE,
        SelfAuditEvents.platform(),
        null,
        null,
        extra,
        previous == null ? null : "the previous run did not stop cleanly");
  }

  @Deactivate
  void stop() {
    boolean platformStops = context.getBundle(0).getState() == Bundle.STOPPING || !platformUp();
    if (platformStops) {
      events.record(
          SelfAuditEvents.PLATFORM,
          "StopOpenTrail",
          EventFields.WRITE,
          SelfAuditEvents.platform(),
          null,
          null,
          Map.of(),
          null);
    }
    try {
      Files.deleteIfExists(marker); // stopped on purpose (the platform or this bundle)
      DurableFiles.syncDirectory(marker.getParent());
    } catch (IOException e) {
      LOG.error("Cannot remove the run marker {}: {}", marker, e.toString());
    }
  }
}
