package org.opentrail.proof;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.proof.DigestService;
import org.opentrail.api.proof.ProofReport;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.store.ChainHead;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.internal.digest.DigestChain;
import org.opentrail.internal.digest.DigestMaker;
import org.opentrail.internal.durable.DurableFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a signed digest of every stream at each interval boundary (UTC-aligned), also for an
 * interval in which nothing was appended, and a {@code final} one at a clean stop (docs/PROOF.md
 * section 2). A stream digest signs the chain value the journal's writer holds, signed with the key
 * of the platform's default account. One is also written at start, covering the time OpenTrail was
 * down. A digest that cannot be made (no key, a full disk) is tried again every 30 seconds; the
 * next one still starts where the last written one ended.
 */
@Component(service = DigestService.class, immediate = true, configurationPid = ProofConfig.PID)
@Designate(ocd = ProofConfig.class)
public final class StreamDigests implements DigestService {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDigests.class);
  private static final long RETRY_SECONDS = 30;

  private final EventStore store;
  private final SigningKeys keys;
  private final IdentityService identities;
  private final Path streamsDir;
  private final Path stateDir;
  private volatile long interval;
  private volatile java.util.concurrent.ScheduledFuture<?> next;
  private final Clock clock;
  private final Instant startedAt;
  private final ScheduledThreadPoolExecutor timer;

  @Activate
  public StreamDigests(
      @Reference EventStore store,
      @Reference SigningKeys keys,
      @Reference IdentityService identities,
      ProofConfig config,
      BundleContext context) {
    this(
        store,
        keys,
        identities,
        config.digest_directory().isBlank()
            ? Path.of(context.getProperty("opentrail.data"), "digests")
            : Path.of(config.digest_directory()),
        config.digest_interval_seconds(),
        Clock.systemUTC(),
        true);
  }

  /** Outside OSGi (tests): {@code schedule} false writes digests only when asked. */
  public StreamDigests(
      EventStore store,
      SigningKeys keys,
      IdentityService identities,
      Path dir,
      long intervalSeconds,
      Clock clock,
      boolean schedule) {
    if (intervalSeconds < 1) {
      throw new IllegalArgumentException("digest.interval.seconds must be at least 1");
    }
    this.store = store;
    this.keys = keys;
    this.identities = identities;
    this.streamsDir = dir.resolve("streams");
    this.stateDir = dir.resolve("state").resolve("streams");
    this.interval = intervalSeconds;
    this.clock = clock;
    this.startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    this.timer =
        schedule
            ? new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "opentrail-stream-digests");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    if (timer != null) {
      timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }
    if (timer != null) {
      // at once: a digest covering the time OpenTrail was down (or the first one), so that the
      // digests reach the present as soon as it runs again
      timer.execute(this::startup);
      scheduleNext();
    }
  }

  /**
   * A changed interval applies from the next boundary; no digest is written for the change (a
   * {@code final} digest means a clean stop). A changed directory applies at the next start.
   */
  @Modified
  synchronized void modified(ProofConfig config) {
    long seconds = config.digest_interval_seconds();
    if (seconds < 1 || seconds == interval || timer == null) {
      return;
    }
    interval = seconds;
    scheduleNext();
    LOG.info("Stream digests: every {} s from now on", seconds);
  }

  /** Writes the final digests; nothing is scheduled any more. */
  @Deactivate
  public void stop() {
    if (timer != null) {
      // no interrupt: a digest being written finishes (an interrupted FileChannel would close)
      timer.shutdown();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      writeAll(now(), true);
    } catch (RuntimeException e) {
      LOG.error("Stream digests: the final digests could not be written: {}", e.getMessage());
    }
  }

  @Override
  public List<String> digestNow() {
    return writeAll(now(), false);
  }

  @Override
  public ProofReport verify(
      String stream, Instant upTo, boolean stoppedOk, Consumer<String> progress) {
    if (store.stream(stream).isEmpty()) {
      throw new IllegalArgumentException("There is no stream " + stream + ".");
    }
    return new StreamVerifier(store, keys, identities.defaultAccountId(), streamsDir)
        .verify(stream, upTo == null ? now() : upTo, stoppedOk, progress);
  }

  private void startup() {
    try {
      writeAll(now(), false);
    } catch (RuntimeException e) {
      LOG.error("Stream digests at start could not be written: {}", e.getMessage());
    }
  }

  /** Schedules the digests at the next boundary, instead of whatever was scheduled. */
  private synchronized void scheduleNext() {
    java.util.concurrent.ScheduledFuture<?> previous = next;
    if (previous != null) {
      previous.cancel(false);
    }
    Instant boundary = DigestMaker.nextBoundary(clock.instant(), interval);
    long delay = Math.max(0, boundary.toEpochMilli() - clock.millis());
    next = timer.schedule(() -> due(boundary), delay, TimeUnit.MILLISECONDS);
  }

  private void due(Instant boundary) {
    try {
      writeAll(boundary, false);
      scheduleNext();
    } catch (RuntimeException e) {
      LOG.error(
          "Stream digests for {} could not be written ({}); trying again in {} s",
          boundary,
          e.getMessage(),
          RETRY_SECONDS);
      synchronized (this) {
        next = timer.schedule(() -> due(boundary), RETRY_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  /** Writes a digest ending at {@code end} for every stream; answers the paths written. */
  synchronized List<String> writeAll(Instant end, boolean isFinal) {
    List<String> written = new ArrayList<>();
    String account = identities.defaultAccountId();
    for (StreamInfo s : store.streams()) {
      try {
        write(s.name(), account, end, isFinal).ifPresent(written::add);
      } catch (IOException e) {
        throw new IllegalStateException(
            "The digest of stream " + s.name() + " could not be written: " + e, e);
      }
    }
    return written;
  }

  private Optional<String> write(String stream, String account, Instant end, boolean isFinal)
      throws IOException {
    DigestChain chain = new DigestChain(stateDir.resolve(stream + ".json"));
    Optional<DigestChain.Link> last = chain.last();
    if (last.isEmpty()) {
      last = newestOnDisk(stream); // the state was lost: never restart a chain that exists
    }
    ChainHead from;
    Instant start;
    if (last.isPresent()) {
      if (!end.isAfter(last.get().endTime())) {
        if (!isFinal) {
          return Optional.empty(); // that time is covered already
        }
        // a clean stop in the second a digest was written: its final digest a second later
        end = last.get().endTime().plusSeconds(1);
        sleepUntil(end);
      }
      Map<String, Object> x = last.get().extra();
      from = new ChainHead(((Number) x.get("endSequence")).longValue(), (String) x.get("endHead"));
      start = last.get().endTime();
    } else {
      from = store.checkChain(stream, null, 0, null).end(); // where the stream's chain starts
      start = startedAt.isBefore(end) ? startedAt : end;
    }
    ChainHead head = store.chainHead(stream);
    LinkedHashMap<String, Object> own = new LinkedHashMap<>();
    own.put("stream", stream);
    own.put("startSequence", from.sequence() + 1);
    own.put("endSequence", head.sequence());
    own.put("startHead", from.hash());
    own.put("endHead", head.hash());
    String path = DigestMaker.streamPath(stream, end);
    DigestMaker.Made made =
        DigestMaker.make(
            keys,
            account,
            "stream",
            path,
            start,
            end,
            interval,
            own,
            isFinal,
            last.orElse(null),
            Map.of("endSequence", head.sequence(), "endHead", head.hash()));
    DurableFiles.write(streamsDir.resolve(path), made.bytes());
    chain.advance(made.link());
    return Optional.of(path);
  }

  /** The newest digest of a stream already written, as a link to continue from, if any. */
  private Optional<DigestChain.Link> newestOnDisk(String stream) throws IOException {
    Path dir = streamsDir.resolve(stream);
    if (!java.nio.file.Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Optional<Path> newest;
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
      newest =
          s.filter(p -> p.getFileName().toString().endsWith(".json"))
              .max(java.util.Comparator.comparing(Path::getFileName));
    }
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    org.opentrail.internal.digest.DigestDocument.Parsed p =
        org.opentrail.internal.digest.DigestDocument.parse(
            java.nio.file.Files.readAllBytes(newest.get()));
    String path = streamsDir.relativize(newest.get()).toString().replace('\\', '/');
    LOG.error(
        "Stream digests: the state of stream {}'s digests was missing; its chain goes on from"
            + " the newest digest on disk, {}",
        stream,
        path);
    return Optional.of(
        new DigestChain.Link(
            path,
            p.sha256(),
            java.util.Base64.getEncoder().encodeToString(p.signature()),
            p.time("digestEndTime"),
            Map.of("endSequence", p.number("endSequence", 0), "endHead", p.text("endHead"))));
  }

  private void sleepUntil(Instant t) {
    long wait = t.toEpochMilli() - clock.millis();
    if (wait > 0) {
      try {
        Thread.sleep(Math.min(wait, 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
