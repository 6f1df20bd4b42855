package org.opentrail.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.ChainCheck;
import org.opentrail.api.store.ChainHead;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.RepairReport;
import org.opentrail.api.store.RetentionHold;
import org.opentrail.api.store.StoreAnswer;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.store.VerifyReport;
import org.opentrail.internal.durable.DurableFiles;
import org.opentrail.store.journal.Journal;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link EventStore}: each stream in its own directory under {@code streams/}, with an
 * fsync'd journal that acknowledges and a Lucene index per day built behind it. Retention runs in
 * the background and never purges what a {@link RetentionHold} still needs.
 */
@Component(service = EventStore.class, configurationPid = StoreConfig.PID, immediate = true)
@Designate(ocd = StoreConfig.class)
public final class EmbeddedEventStore implements EventStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEventStore.class);
  private static final String SPEC_FILE = "stream.properties";

  private final Path root;
  private final StreamStore.Settings settings;
  private final Map<String, StreamStore> streams = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retention;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<RetentionHold> holds = List.of();

  @Activate
  public EmbeddedEventStore(BundleContext context, StoreConfig config) throws IOException {
    this(storeDirectory(context, config), config);
  }

  /** Opens the store in {@code root} (also how tests and benchmarks use it outside OSGi). */
  public EmbeddedEventStore(Path root, StoreConfig config) throws IOException {
    config = withDefaultsForInvalid(config);
    this.root = root;
    this.settings = settingsOf(config);
    Path dir = root.resolve("streams");
    org.opentrail.internal.durable.DurableFiles.createPrivateDirectories(dir);
    try {
      openStream(new StreamSpec(HISTORY, config.history_retention_days(), false), true);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          if (!name.equals(HISTORY)
              && Files.isDirectory(p)
              && (Files.exists(p.resolve(SPEC_FILE)) || Files.isDirectory(p.resolve("journal")))) {
            openStream(readSpec(p), false);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      closeStreams();
      throw e;
    }
    this.retention =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opentrail-retention");
              t.setDaemon(true);
              return t;
            });
    retention.scheduleWithFixedDelay(
        this::applyRetention, 1, config.retention_check_minutes() * 60L, TimeUnit.SECONDS);
    LOG.info("Event store open in {}: streams {}", root, streams.keySet());
  }

  private static Path storeDirectory(BundleContext context, StoreConfig config) {
    if (!config.directory().isBlank()) {
      return Paths.get(config.directory());
    }
    String data = context.getProperty("opentrail.data");
    return data != null ? Paths.get(data, "store") : context.getDataFile("store").toPath();
  }

  private static void validate(StoreConfig c) {
    Map<String, String> bad = problems(c);
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(bad.values().iterator().next());
    }
  }

  /**
   * The configuration to start with: {@code c}, with each invalid value replaced by its default and
   * an error in the log (a value refused while running is still in the configuration at the next
   * start; the store must not stay down for it, and every default is a safe one).
   */
  static StoreConfig withDefaultsForInvalid(StoreConfig c) {
    Map<String, String> bad = problems(c);
    if (bad.isEmpty()) {
      return c;
    }
    bad.values().forEach(m -> LOG.error("{}; using its default until it is fixed", m));
    return (StoreConfig)
        java.lang.reflect.Proxy.newProxyInstance(
            StoreConfig.class.getClassLoader(),
            new Class<?>[] {StoreConfig.class},
            (proxy, m, args) ->
                bad.containsKey(m.getName()) ? m.getDefaultValue() : m.invoke(c, args));
  }

  /** Each invalid value's attribute (method name) and what is wrong with it. */
  private static Map<String, String> problems(StoreConfig c) {
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    check(
        bad,
        c.history_retention_days() >= 1 && c.history_retention_days() <= 3650,
        "history.retention.days must be 1 to 3650",
        c.history_retention_days());
    check(
        bad,
        c.index_refresh_millis() >= 10 && c.index_refresh_millis() <= 60_000,
        "index.refresh.millis must be 10 to 60000",
        c.index_refresh_millis());
    check(
        bad,
        c.index_commit_seconds() >= 1 && c.index_commit_seconds() <= 3600,
        "index.commit.seconds must be 1 to 3600",
        c.index_commit_seconds());
    check(
        bad,
        c.index_ram_buffer_megabytes() >= 4 && c.index_ram_buffer_megabytes() <= 2048,
        "index.ram.buffer.megabytes must be 4 to 2048",
        c.index_ram_buffer_megabytes());
    check(
        bad,
        c.journal_segment_megabytes() >= 1 && c.journal_segment_megabytes() <= 4096,
        "journal.segment.megabytes must be 1 to 4096",
        c.journal_segment_megabytes());
    check(
        bad,
        c.journal_block_kilobytes() >= 4 && c.journal_block_kilobytes() <= 4096,
        "journal.block.kilobytes must be 4 to 4096",
        c.journal_block_kilobytes());
    check(
        bad,
        c.journal_compression_level() >= 0 && c.journal_compression_level() <= 19,
        "journal.compression.level must be 0 to 19",
        c.journal_compression_level());
    check(
        bad,
        c.journal_dictionary_samples() == 0
            || (c.journal_dictionary_samples() >= 100
                && c.journal_dictionary_samples() <= 1_000_000),
        "journal.dictionary.samples must be 0 or 100 to 1000000",
        c.journal_dictionary_samples());
    check(
        bad,
        c.free_space_floor_megabytes() >= 0 && c.free_space_floor_megabytes() <= 1 << 20,
        "free.space.floor.megabytes must be 0 to 1048576",
        c.free_space_floor_megabytes());
    check(
        bad,
        c.retention_check_minutes() >= 1,
        "retention.check.minutes must be at least 1",
        c.retention_check_minutes());
    return bad;
  }

  private static void check(Map<String, String> bad, boolean ok, String rule, int value) {
    if (!ok) {
      String key = rule.substring(0, rule.indexOf(' '));
      bad.put(
          key.replace('.', '_'),
          "Invalid configuration of " + StoreConfig.PID + ": " + rule + ", not " + value);
    }
  }

  /** The tuning a configuration gives every stream (applied when a stream opens). */
  private static StreamStore.Settings settingsOf(StoreConfig config) {
    return new StreamStore.Settings(
        config.journal_segment_megabytes() * (1L << 20),
        config.journal_block_kilobytes() << 10,
        config.journal_compression_level(),
        config.index_ram_buffer_megabytes(),
        config.index_refresh_millis(),
        config.index_commit_seconds() * 1000L,
        config.index_max_lag_events(),
        config.free_space_floor_megabytes() * (1L << 20),
        config.journal_dictionary_samples());
  }

  /**
   * Applies a changed history retention and free-space floor at once; other settings take effect at
   * the next start. An invalid configuration is refused with an error in the log and the current
   * one is kept.
   */
  @Modified
  void modified(StoreConfig config) {
    try {
      validate(config);
    } catch (IllegalArgumentException e) {
      LOG.error(
          "{}; keeping the current configuration (history retention {} days)",
          e.getMessage(),
          streams.get(HISTORY).spec().retentionDays());
      return;
    }
    StreamStore history = streams.get(HISTORY);
    history.spec(new StreamSpec(HISTORY, config.history_retention_days(), false));
    LOG.info("Event history retention is now {} days", config.history_retention_days());
    long floor = config.free_space_floor_megabytes() * (1L << 20);
    for (StreamStore s : streams.values()) {
      s.freeSpaceFloor(floor);
    }
    retention.execute(this::applyRetention);
    StreamStore.Settings next = settingsOf(config);
    if (!next.equals(settings.withFreeSpaceFloor(next.freeSpaceFloorBytes()))) {
      LOG.info(
          "The journal and index settings of {} changed; they take effect at the next start ({})",
          StoreConfig.PID,
          next);
    }
  }

  private StreamStore openStream(StreamSpec spec, boolean writeSpec) throws IOException {
    Path dir = root.resolve("streams").resolve(spec.name());
    org.opentrail.internal.durable.DurableFiles.createPrivateDirectories(dir);
    if (writeSpec) {
      writeSpec(dir, spec);
    }
    StreamStore s = new StreamStore(dir, spec, settings);
    streams.put(spec.name(), s);
    return s;
  }

  private static void writeSpec(Path dir, StreamSpec spec) throws IOException {
    Properties p = new Properties();
    p.setProperty("name", spec.name());
    p.setProperty("retentionDays", Integer.toString(spec.retentionDays()));
    p.setProperty("writeProtected", Boolean.toString(spec.writeProtected()));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    p.store(out, "OpenTrail stream");
    DurableFiles.write(dir.resolve(SPEC_FILE), out.toByteArray());
  }

  /**
   * A stream's spec from its {@code stream.properties}. A stream whose file is lost or damaged is
   * still opened (its events are never hidden), keeping everything (retention 3650 days) and
   * refusing writes until the file is fixed, with an error naming the file at every start.
   */
  private static StreamSpec readSpec(Path dir) {
    Path file = dir.resolve(SPEC_FILE);
    try {
      Properties p = new Properties();
      try (var in = Files.newInputStream(file)) {
        p.load(in);
      }
      String name = p.getProperty("name");
      int days = Integer.parseInt(p.getProperty("retentionDays", ""));
      String wp = p.getProperty("writeProtected", "");
      if (!dir.getFileName().toString().equals(name)
          || days < 1
          || days > 3650
          || !(wp.equals("true") || wp.equals("false"))) {
        throw new IOException("its name, retentionDays or writeProtected is missing or wrong");
      }
      return new StreamSpec(name, days, Boolean.parseBoolean(wp));
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "Stream {}: {} is lost or damaged ({}); the stream is opened keeping every event and"
              + " refusing writes until the file is restored",
          dir.getFileName(),
          file,
          e.toString());
      return new StreamSpec(dir.getFileName().toString(), 3650, true);
    }
  }

  private StreamStore stream(String name, String param) {
    StreamStore s = streams.get(name);
    if (s == null) {
      throw new OpenTrailException(
          "StreamNotFound", "The " + param + " '" + name + "' does not exist.", 404);
    }
    return s;
  }

  @Override
  public List<AppendOutcome> append(String stream, List<Event> events) {
    return stream(stream, "stream").append(events);
  }

  @Override
  public Optional<StoredEvent> find(String stream, String accountId, String eventId) {
    try {
      return stream(stream, "stream").find(accountId, eventId);
    } catch (IOException e) {
      throw StreamStore.unavailable("read event " + eventId, e);
    }
  }

  @Override
  public List<StoredEvent> query(StoreQuery query) {
    return search(query).events();
  }

  @Override
  public StoreAnswer search(StoreQuery query) {
    try {
      return stream(query.stream(), "logstore").query(query);
    } catch (IOException e) {
      throw StreamStore.unavailable("look up events", e);
    }
  }

  @Override
  public List<DamagedRange> damaged(String stream) {
    return stream(stream, "stream").damaged();
  }

  @Override
  public String storageAlarm() {
    for (StreamStore s : streams.values()) {
      String a = s.storageAlarm();
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  @Override
  public RepairReport repair(String stream, List<Event> events) {
    try {
      return stream(stream, "stream").repair(events);
    } catch (IOException e) {
      throw StreamStore.unavailable("repair stream " + stream, e);
    }
  }

  @Override
  public VerifyReport verify(String stream, Consumer<String> progress) {
    StreamStore s = stream(stream, "stream");
    try {
      return new StoreVerifier(stream, s.journal(), s.index(), s.visibleSequence(), progress).run();
    } catch (IOException e) {
      throw StreamStore.unavailable("verify stream " + stream, e);
    }
  }

  @Override
  public ChainHead chainHead(String stream) {
    Journal.Chain c = stream(stream, "stream").journal().chain();
    return new ChainHead(c.sequence(), HexFormat.of().formatHex(c.value()));
  }

  @Override
  public ChainCheck checkChain(
      String stream, ChainHead from, long toSequence, Consumer<String> progress) {
    Journal j = stream(stream, "stream").journal();
    try {
      return j.checkChain(
          from == null
              ? null
              : new Journal.Chain(from.sequence(), HexFormat.of().parseHex(from.hash())),
          toSequence,
          progress);
    } catch (IOException e) {
      throw StreamStore.unavailable("check the hash chain of stream " + stream, e);
    }
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int max) {
    try {
      return stream(stream, "stream").read(afterSequence, max);
    } catch (IOException e) {
      throw StreamStore.unavailable("read stream " + stream, e);
    }
  }

  @Override
  public long lastSequence(String stream) {
    return stream(stream, "stream").lastSequence();
  }

  @Override
  public synchronized StreamInfo createStream(StreamSpec spec) {
    StreamStore existing = streams.get(spec.name());
    if (existing != null) {
      return existing.info(holdFrom(spec.name()));
    }
    try {
      return openStream(spec, true).info(Long.MAX_VALUE);
    } catch (IOException e) {
      throw StreamStore.unavailable("create stream " + spec.name(), e);
    }
  }

  @Override
  public synchronized StreamInfo updateStream(StreamSpec spec) {
    StreamStore s = stream(spec.name(), "stream");
    try {
      writeSpec(root.resolve("streams").resolve(spec.name()), spec);
    } catch (IOException e) {
      throw StreamStore.unavailable("update stream " + spec.name(), e);
    }
    s.spec(spec);
    retention.execute(this::applyRetention);
    return s.info(holdFrom(spec.name()));
  }

  @Override
  public synchronized void deleteStream(String name) {
    if (HISTORY.equals(name)) {
      throw new IllegalArgumentException("The event history cannot be deleted.");
    }
    StreamStore s = streams.remove(name);
    if (s == null) {
      return;
    }
    try {
      s.close();
      try (Stream<Path> files = Files.walk(root.resolve("streams").resolve(name))) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw StreamStore.unavailable("delete stream " + name, e);
    }
  }

  @Override
  public Optional<StreamInfo> stream(String name) {
    StreamStore s = streams.get(name);
    return s == null ? Optional.empty() : Optional.of(s.info(holdFrom(name)));
  }

  @Override
  public List<StreamInfo> streams() {
    List<StreamInfo> list = new ArrayList<>();
    list.add(streams.get(HISTORY).info(holdFrom(HISTORY)));
    streams.keySet().stream()
        .filter(n -> !n.equals(HISTORY))
        .sorted()
        .forEach(n -> stream(n).ifPresent(list::add));
    return list;
  }

  /**
   * True once a stream's index has caught up with its journal, its check after opening has run and
   * no partition is being rebuilt (tests and {@code store:verify} wait for this).
   */
  public boolean settled(String stream) {
    StreamStore s = stream(stream, "stream");
    return s.index().scrubbed()
        && s.index().rebuilding(Long.MIN_VALUE, Long.MAX_VALUE).isEmpty()
        && s.visibleSequence() >= s.lastSequence();
  }

  /** Replaces the holds (DS injects them; tests outside OSGi set them here). */
  void holds(List<RetentionHold> holds) {
    this.holds = List.copyOf(holds);
  }

  private long holdFrom(String stream) {
    long min = Long.MAX_VALUE;
    for (RetentionHold h : holds) {
      try {
        min = Math.min(min, h.oldestSequenceNeeded(stream));
      } catch (RuntimeException e) {
        LOG.warn("A retention hold failed; keeping everything in {} this time", stream, e);
        return 0;
      }
    }
    return min;
  }

  /** Runs retention over every stream now (also scheduled). */
  public synchronized void applyRetention() {
    long now = System.currentTimeMillis();
    for (Map.Entry<String, StreamStore> e : streams.entrySet()) {
      try {
        e.getValue().applyRetention(now, holdFrom(e.getKey()));
      } catch (IOException | RuntimeException ex) {
        LOG.error("Retention of stream {} failed; it will be tried again", e.getKey(), ex);
      }
    }
  }

  @Deactivate
  public void close() {
    retention.shutdownNow();
    closeStreams();
    LOG.info("Event store closed");
  }

  private void closeStreams() {
    for (StreamStore s : streams.values()) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.error("Closing stream {} failed", s.spec().name(), e);
      }
    }
    streams.clear();
  }
}
