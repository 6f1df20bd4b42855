package org.opentrail.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.query.LookupEventsService;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * The real services, wired by hand outside OSGi exactly as Declarative Services would: {@link
 * EmbeddedEventStore}, {@link EventRecorderService} and {@link LookupEventsService}, in a data
 * directory laid out like the launcher's ({@code instance.properties} with the account id, the
 * store in {@code store/}), so {@code opentrail run --data DIR} serves what the bench loaded.
 */
final class BenchStore implements AutoCloseable {
  static final String DEFAULT_ACCOUNT = "1888888888888888";
  static final String REGION = "cn-hangzhou";

  final Path dataDir;
  final String account;
  final EmbeddedEventStore store;
  final EventRecorderService recorder;
  final LookupEventsService query;

  /** How long opening the store took (journal recovery, index partitions). */
  final long openNanos;

  private BenchStore(Path dataDir, Map<String, Object> config) throws IOException {
    this.dataDir = dataDir;
    this.account = account(dataDir);
    long t0 = System.nanoTime();
    this.store = new EmbeddedEventStore(dataDir.resolve("store"), storeConfig(config));
    this.openNanos = System.nanoTime() - t0;
    this.recorder =
        new EventRecorderService(
            store,
            Converters.standardConverter().convert(Map.of()).to(RecorderConfig.class),
            REGION);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.query = new LookupEventsService(store, key);
  }

  /** Opens the services over an existing or new data directory. */
  static BenchStore open(Path dataDir, Map<String, Object> config) throws IOException {
    return new BenchStore(dataDir, config);
  }

  static StoreConfig storeConfig(Map<String, Object> overrides) {
    return Converters.standardConverter().convert(overrides).to(StoreConfig.class);
  }

  /** A new, empty data directory under {@code parent}. */
  static Path createDataDir(Path parent, String scenario) throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "opentrail-bench-" + scenario + "-");
    Files.createDirectories(dir.resolve("store"));
    return dir.toAbsolutePath();
  }

  /** The account of the data directory, written to instance.properties if it has none yet. */
  private static String account(Path dataDir) throws IOException {
    Path file = dataDir.resolve("instance.properties");
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
    }
    String account = p.getProperty("opentrail.account.id", "").strip();
    if (!account.isEmpty()) {
      return account;
    }
    p.setProperty("opentrail.account.id", DEFAULT_ACCOUNT);
    p.setProperty("opentrail.region", REGION);
    Files.createDirectories(dataDir);
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "written by the OpenTrail bench");
    }
    return DEFAULT_ACCOUNT;
  }

  StreamInfo history() {
    return store.stream(EventStore.HISTORY).orElseThrow();
  }

  /**
   * Waits until lookups see every durable event ({@code indexedSequence >= lastSequence}), polling
   * every 5 ms; answers the nanoseconds waited, or -1 on timeout.
   */
  long awaitIndexed(long timeoutSeconds) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      StreamInfo i = history();
      if (i.indexedSequence() >= i.lastSequence()) {
        return System.nanoTime() - t0;
      }
      Thread.sleep(5);
    }
    return -1;
  }

  /**
   * Waits until the index has committed (its checkpoint file) everything durable, polling every 50
   * ms; answers the nanoseconds waited, or -1 on timeout.
   */
  long awaitCommitted(long timeoutSeconds) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeoutSeconds * 1_000_000_000L;
    long last = history().lastSequence();
    while (System.nanoTime() < deadline) {
      if (indexCheckpoint() >= last) {
        return System.nanoTime() - t0;
      }
      Thread.sleep(50);
    }
    return -1;
  }

  /**
   * Waits until every index partition of a day before today is merged into one segment (the store
   * does that once a past day has been quiet for 30 s), polling every 200 ms, so that lookups are
   * timed on the index a store settles into; answers the nanoseconds waited, or -1 on timeout.
   */
  long awaitCompacted(long timeoutSeconds) throws InterruptedException, IOException {
    return awaitCompacted(storeDir(), timeoutSeconds);
  }

  /** Like {@link #awaitCompacted(long)}, for the store in {@code storeDir} of any process. */
  static long awaitCompacted(Path storeDir, long timeoutSeconds)
      throws InterruptedException, IOException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeoutSeconds * 1_000_000_000L;
    Path index = storeDir.resolve("streams").resolve(EventStore.HISTORY).resolve("index");
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    while (System.nanoTime() < deadline) {
      boolean merged = true;
      try (Stream<Path> days = Files.list(index)) {
        for (Path d : days.filter(Files::isDirectory).toList()) {
          if (!java.time.LocalDate.parse(d.getFileName().toString()).isBefore(today)) {
            continue;
          }
          try (Stream<Path> files = Files.list(d)) {
            merged &= files.filter(f -> f.toString().endsWith(".si")).count() <= 1;
          }
        }
      }
      if (merged) {
        return System.nanoTime() - t0;
      }
      Thread.sleep(200);
    }
    return -1;
  }

  /** The sequence the history's index has durably committed (its checkpoint file), or -1. */
  long indexCheckpoint() {
    Path cp = storeDir().resolve("streams").resolve(EventStore.HISTORY).resolve("index/checkpoint");
    try {
      // the first line is the sequence (then the partitions' days and a checksum)
      return Files.exists(cp)
          ? Long.parseLong(Files.readString(cp).lines().findFirst().orElse("").strip())
          : 0;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  Path storeDir() {
    return dataDir.resolve("store");
  }

  @Override
  public void close() {
    store.close();
  }

  /** Deletes a data directory the bench made. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
