package org.opentrail.recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.Provenance;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.InnerTrailService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's core: rejects what is malformed per event (naming every problem), completes the
 * rest, stamps who recorded it, and stores the good events of a batch in one durable append: into
 * the event history, or, for service-internal operations, into the account's inner trail logstore.
 * Other bundles reach it through {@link BundleRecorder}, which states the calling bundle.
 */
@Component(service = EventRecorderService.class, configurationPid = RecorderConfig.PID)
@Designate(ocd = RecorderConfig.class)
public final class EventRecorderService implements EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorderService.class);
  private static final Pattern ACCOUNT = org.opentrail.api.auth.IdentityService.ACCOUNT_ID;
  private static final long DAY = 86_400_000L;
  private static final long RETENTION_REFRESH_NANOS = 10_000_000_000L;

  private final EventStore store;
  static final int DEFAULT_SKEW_MINUTES = 15;
  static final int MAX_SKEW_MINUTES = 1440;
  private static final Pattern REGION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private volatile EventNormalizer normalizer;
  private volatile String region;
  private volatile long maxSkewMillis;
  private volatile long retentionDays;
  private volatile long retentionReadAt;
  private volatile InnerTrailService innerTrails;
  private final String ownBundle;

  /**
   * The recorder with its configuration. An invalid max.clock.skew.minutes or region is logged as
   * an ERROR and the default used, so ingest never stops over a typo.
   */
  @Activate
  public EventRecorderService(
      @Reference EventStore store, BundleContext context, RecorderConfig config) {
    this(
        store,
        DEFAULT_SKEW_MINUTES,
        firstNonBlank(config.region(), context.getProperty("opentrail.region"), "local"));
    List<String> problems = problems(config);
    if (problems.isEmpty()) {
      maxSkewMillis = config.max_clock_skew_minutes() * 60_000L;
    } else {
      for (String p : problems) {
        LOG.error(
            "Configuration {}: {}; the default is used until it is corrected",
            RecorderConfig.PID,
            p);
      }
    }
  }

  /** A recorder outside OSGi (tests and benchmarks). */
  public EventRecorderService(EventStore store, RecorderConfig config, String region) {
    this(store, config.max_clock_skew_minutes(), region);
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private EventRecorderService(EventStore store, int skewMinutes, String region) {
    if (!REGION.matcher(region).matches()) {
      LOG.error(
          "Configuration {}: region '{}' is refused: it must be 1 to 64 letters, digits, '-' or"
              + " '_'; 'local' is used",
          RecorderConfig.PID,
          region);
      region = "local";
    }
    this.store = store;
    this.ownBundle = "org.opentrail.recorder";
    this.region = region;
    this.normalizer = new EventNormalizer(region);
    this.maxSkewMillis = skewMinutes * 60_000L;
    LOG.info("Recording events in region {}", region);
  }

  /**
   * A changed configuration: a valid one applies at once (clock skew, region); an invalid one is
   * refused with an ERROR naming the PID, key, value and rule, and the current settings stay.
   */
  @Modified
  void modified(BundleContext context, RecorderConfig config) {
    List<String> problems = problems(config);
    String nextRegion =
        firstNonBlank(config.region(), context.getProperty("opentrail.region"), "local");
    if (!REGION.matcher(nextRegion).matches()) {
      problems.add(
          "region=" + nextRegion + " is refused: it must be 1 to 64 letters, digits, '-' or '_'");
    }
    if (!problems.isEmpty()) {
      for (String p : problems) {
        LOG.error(
            "Configuration {}: {}; the change is refused and the current settings are kept",
            RecorderConfig.PID,
            p);
      }
      return;
    }
    maxSkewMillis = config.max_clock_skew_minutes() * 60_000L;
    if (!nextRegion.equals(region)) {
      region = nextRegion;
      normalizer = new EventNormalizer(nextRegion);
    }
    LOG.info("Configuration {} applied", RecorderConfig.PID);
  }

  /** The clock skew in force, in minutes (tests). */
  long maxSkewMinutes() {
    return maxSkewMillis / 60_000L;
  }

  /** The region stamped on events without one (tests). */
  String region() {
    return region;
  }

  private static List<String> problems(RecorderConfig config) {
    List<String> out = new ArrayList<>();
    int skew = config.max_clock_skew_minutes();
    if (skew < 0 || skew > MAX_SKEW_MINUTES) {
      out.add(
          "max.clock.skew.minutes="
              + skew
              + " is refused: it must be from 0 to "
              + MAX_SKEW_MINUTES);
    }
    return out;
  }

  private static String firstNonBlank(String a, String b, String fallback) {
    if (a != null && !a.isBlank()) {
      return a.strip();
    }
    if (b != null && !b.isBlank()) {
      return b.strip();
    }
    return fallback;
  }

  /** Binds the inner trails, which may come and go (an optional, dynamic reference). */
  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindInnerTrails(InnerTrailService service) {
    innerTrails = service;
  }

  void unbindInnerTrails(InnerTrailService service) {
    if (innerTrails == service) {
      innerTrails = null;
    }
  }

  /** The inner trails outside OSGi (tests and benchmarks). */
  public void innerTrails(InnerTrailService service) {
    innerTrails = service;
  }

  @Override
  public RecordResult record(String accountId, List<Event> events, Provenance provenance) {
    return record(accountId, events, provenance, ownBundle, false);
  }

  @Override
  public RecordResult recordServiceInternal(
      String accountId, List<Event> events, Provenance provenance) {
    return record(accountId, events, provenance, ownBundle, true);
  }

  /**
   * Records for a calling bundle ({@link BundleRecorder}).
   *
   * @param bundle {@code "<symbolic name> <version>"} of the caller, stored in recordedBy
   * @param serviceInternal whether the events go to the account's inner trail instead of the
   *     history
   */
  RecordResult record(
      String accountId,
      List<Event> events,
      Provenance provenance,
      String bundle,
      boolean serviceInternal) {
    if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
      throw new InvalidParameterException(
          "AccountId", "An account id is 12 to 16 digits, not '" + accountId + "'.");
    }
    if (events.size() > MAX_BATCH_EVENTS) {
      throw new OpenTrailException(
          "BatchTooLarge",
          "A batch may have at most "
              + MAX_BATCH_EVENTS
              + " events; this one has "
              + events.size()
              + ". Nothing was stored.",
          400);
    }
    if (events.isEmpty()) {
      return new RecordResult(List.of());
    }
    Map<String, Object> stamps =
        Map.of(
            EventFields.RECORDED_BY,
            (provenance == null ? Provenance.NONE : provenance).field(bundle));
    long now = System.currentTimeMillis();
    long oldest = now - retentionDays() * DAY;
    long newest = now + maxSkewMillis;
    EventOutcome[] outcomes = new EventOutcome[events.size()];
    List<Event> accepted = new ArrayList<>(events.size());
    List<Integer> positions = new ArrayList<>(events.size());
    long bytes = 0;
    EventNormalizer n = normalizer;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (e == null) {
        outcomes[i] = EventOutcome.rejected(i, "InvalidFieldType", "The event is null.");
        continue;
      }
      try {
        Event normalized = n.normalize(e, accountId, now, oldest, newest, stamps);
        if (serviceInternal) {
          normalized = normalized.withAll(InnerTrailFields.of(normalized, accountId));
        }
        bytes += normalized.jsonSize(); // serialized once, here; the store reuses it
        accepted.add(normalized);
        positions.add(i);
      } catch (EventRejected r) {
        bytes += e.jsonSize();
        outcomes[i] = EventOutcome.rejected(i, r.code(), r.getMessage());
      }
    }
    if (bytes > MAX_BATCH_BYTES) {
      throw new OpenTrailException(
          "BatchTooLarge",
          "A batch may have at most "
              + MAX_BATCH_BYTES
              + " bytes of events; this one has "
              + bytes
              + ". Nothing was stored.",
          400);
    }
    if (!accepted.isEmpty()) {
      String stream = EventStore.HISTORY;
      if (serviceInternal) {
        InnerTrailService inner = innerTrails;
        Optional<String> collecting =
            inner == null ? Optional.empty() : inner.collectingStream(accountId);
        if (collecting.isEmpty()) {
          for (int j = 0; j < accepted.size(); j++) {
            int i = positions.get(j);
            outcomes[i] = EventOutcome.notCollected(i, accepted.get(j).eventId());
          }
          return new RecordResult(List.of(outcomes));
        }
        stream = collecting.get();
      }
      List<AppendOutcome> stored = store.append(stream, accepted);
      for (int j = 0; j < stored.size(); j++) {
        int i = positions.get(j);
        String id = accepted.get(j).eventId();
        outcomes[i] =
            stored.get(j).duplicate()
                ? EventOutcome.duplicate(i, id)
                : EventOutcome.accepted(i, id);
      }
    }
    return new RecordResult(List.of(outcomes));
  }

  /** The history's retention, read from the store at most every ten seconds. */
  private long retentionDays() {
    long now = System.nanoTime();
    if (retentionReadAt == 0 || now - retentionReadAt > RETENTION_REFRESH_NANOS) {
      retentionDays =
          store.stream(EventStore.HISTORY).map(i -> (long) i.spec().retentionDays()).orElse(90L);
      retentionReadAt = now;
    }
    return retentionDays;
  }
}
