package org.opentrail.trail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.SinkType;
import org.opentrail.internal.durable.DamagedFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link DestinationWorker} per destination of every trail, and knows the sink types
 * installed now ({@link SinkProviders}): a worker whose type is missing waits, and resumes from its
 * cursor when a provider of that type appears. Likewise a worker whose account has not granted the
 * delivery role (see {@link DeliveryGrant}) waits, and resumes from its cursor once it has.
 * Destinations whose sink is a {@link org.opentrail.api.sink.ProvableSink} also get signed digests
 * ({@link DestinationDigests}) while a {@link SigningKeys} service is bound; without one their
 * digests wait.
 */
final class DeliveryEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

  /** An installed sink type: its provider and where it comes from. */
  record Provider(SinkProvider provider, SinkType info) {}

  private final EventStore store;
  private final TrailRepository repository;
  private final TrailConfig config;
  private final Map<String, DestinationWorker> workers = new ConcurrentHashMap<>();
  private final SinkProviders providers = new SinkProviders(workers.values(), this::wakeAll);
  private final DestinationAccess access;
  private final DeliveryGrant grant;
  private final String defaultRegion;
  private volatile SigningKeys signingKeys;

  /**
   * @param defaultRegion the home region of digests when the configuration names none
   * @param access who owns destination resources, and destination secrets
   */
  DeliveryEngine(
      EventStore store,
      TrailRepository repository,
      TrailConfig config,
      String defaultRegion,
      DestinationAccess access) {
    this.access = access;
    this.grant =
        new DeliveryGrant(
            this::wakeAll,
            access,
            type -> {
              Provider p = providers.get(type);
              return p == null ? null : p.provider();
            });
    this.store = store;
    this.repository = repository;
    this.config = config;
    this.defaultRegion = defaultRegion;
  }

  /** The service that signs destination digests, or {@code null} (digests then wait). */
  SigningKeys signingKeys() {
    return signingKeys;
  }

  void signingKeys(SigningKeys keys) {
    signingKeys = keys;
    wakeAll();
  }

  /** The home region digests name: configured, else the platform's. */
  String homeRegion() {
    String r = config.home_region();
    return r.isBlank() ? defaultRegion : r;
  }

  void providerAdded(String type, SinkProvider p, SinkType info) {
    providers.added(type, p, info);
  }

  /**
   * A sink type's provider is going away; returns once the destinations whose sink it opened wrote
   * the final digest they owe, or gave up waiting (see {@link SinkProviders#removed}).
   */
  void providerRemoved(String type, SinkProvider p) {
    providers.removed(type, p);
  }

  /** Which account owns what a destination delivers into, and its secrets. */
  DestinationAccess access() {
    return access;
  }

  /** Whether an account's trails may deliver now. */
  DeliveryGrant grant() {
    return grant;
  }

  /** The provider of a sink type now, or {@code null}. */
  Provider provider(String type) {
    return providers.get(type);
  }

  /**
   * Delivers a batch of a delivery history job to a destination's sink, recording the objects it
   * wrote for the destination's digests as its own deliveries do.
   *
   * @throws Exception if it was not delivered; the job delivers it again
   */
  void deliver(TrailState t, DestinationSpec d, Sink sink, DeliveryBatch batch) throws Exception {
    DestinationWorker w = workers.get(key(t.account(), t.spec().name(), d.id()));
    if (w != null) {
      w.digests().deliver(sink, batch);
    } else {
      sink.deliver(batch);
    }
  }

  List<SinkType> sinkTypes() {
    return providers.sinkTypes();
  }

  /** Starts, updates or stops workers so that they match the trail. */
  void trailChanged(TrailState t) throws IOException {
    trailChanged(t, false);
  }

  /**
   * Starts, updates or stops workers so that they match the trail.
   *
   * @param restoring whether the trail was just loaded from disk: then every destination must have
   *     a cursor, and a missing or damaged one is reported and replaced by one at the start of the
   *     trail (delivering again what may have been delivered: at-least-once), never by one at the
   *     newest event, which would skip what was not delivered yet
   */
  void trailChanged(TrailState t, boolean restoring) throws IOException {
    String prefix = key(t.account(), t.spec().name(), "");
    List<String> current = new ArrayList<>();
    for (DestinationSpec d : t.spec().destinations()) {
      String k = key(t.account(), t.spec().name(), d.id());
      current.add(k);
      DestinationWorker w = workers.get(k);
      if (w != null && !w.destination().type().equals(d.type())) {
        w.stop();
        repository.deleteCursor(t.account(), t.spec().name(), d.id());
        workers.remove(k);
        w = null;
      }
      if (w == null) {
        String problem = null;
        CursorState c;
        try {
          c = repository.loadCursor(t.account(), t.spec().name(), d.id());
        } catch (DamagedFileException e) {
          problem = e.getMessage();
          repository.setAside(e.file());
          c = null;
        }
        if (c == null && restoring && problem == null) {
          problem =
              "The cursor file "
                  + repository.cursorFile(t.account(), t.spec().name(), d.id())
                  + " is missing";
        }
        if (c == null) {
          // firstStartSequence is the newest event when the trail first started (1 also when the
          // history was empty then: from 0, one event recorded before the start may go out too)
          long from =
              problem == null || t.firstStartSequence() == 0
                  ? store.lastSequence(EventStore.HISTORY)
                  : t.firstStartSequence() == 1 ? 0 : t.firstStartSequence();
          c = new CursorState(from, 0, 0, 0, 0);
          repository.saveCursor(t.account(), t.spec().name(), d.id(), c);
        }
        w = new DestinationWorker(this, store, repository, config, t, d, c);
        if (problem != null) {
          String report =
              problem
                  + "; delivery starts again after sequence "
                  + c.cursor()
                  + " (where the trail first started), so events may be delivered twice";
          LOG.error("Trail {} destination {}: {}", t.spec().name(), d.id(), report);
          w.report(report);
        }
        workers.put(k, w);
        w.start();
      } else {
        w.update(t, d);
      }
    }
    for (Map.Entry<String, DestinationWorker> e : new ArrayList<>(workers.entrySet())) {
      if (e.getKey().startsWith(prefix) && !current.contains(e.getKey())) {
        e.getValue().stop();
        workers.remove(e.getKey());
        repository.deleteCursor(t.account(), t.spec().name(), e.getValue().destination().id());
      }
    }
  }

  void trailDeleted(TrailState t) {
    for (DestinationWorker w : workers(t)) {
      w.stop();
      workers.remove(key(t.account(), t.spec().name(), w.destination().id()));
    }
  }

  List<DestinationStatus> status(TrailState t) {
    List<DestinationStatus> out = new ArrayList<>();
    for (DestinationSpec d : t.spec().destinations()) {
      DestinationWorker w = workers.get(key(t.account(), t.spec().name(), d.id()));
      if (w != null) {
        out.add(w.status());
      }
    }
    return out;
  }

  /**
   * Acknowledges the gaps of one destination of a trail, or of all when {@code destination} is
   * {@code null}; how many there were.
   */
  int acknowledgeGaps(TrailState t, String destination) {
    int n = 0;
    for (DestinationWorker w : workers(t)) {
      if (destination == null || w.destination().id().equals(destination)) {
        n += w.acknowledgeGaps();
      }
    }
    return n;
  }

  /**
   * The lowest history sequence a logging trail's destination still needs, leaving out those whose
   * oldest undelivered event is older than the hold ceiling.
   */
  long oldestNeeded(long ceilingMillis) {
    long min = Long.MAX_VALUE;
    for (DestinationWorker w : workers.values()) {
      if (w.active() && !w.beyondCeiling(ceilingMillis)) {
        min = Math.min(min, w.oldestNeeded());
      }
    }
    return min;
  }

  /** Destinations of this trail whose undelivered events are older than the ceiling. */
  List<String> beyondCeiling(TrailState t, long ceilingMillis) {
    return workers(t).stream()
        .filter(w -> w.active() && w.beyondCeiling(ceilingMillis))
        .map(w -> w.destination().id())
        .toList();
  }

  private List<DestinationWorker> workers(TrailState t) {
    String prefix = key(t.account(), t.spec().name(), "");
    return workers.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .toList();
  }

  void wakeAll() {
    workers.values().forEach(DestinationWorker::wake);
  }

  private static String key(String account, String trail, String destination) {
    return account + '/' + trail + '/' + destination;
  }

  @Override
  public void close() {
    workers.values().forEach(DestinationWorker::stop);
    workers.clear();
  }
}
