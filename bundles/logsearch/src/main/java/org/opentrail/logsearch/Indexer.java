package org.opentrail.logsearch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link StreamIndex} per store stream (the history and every logstore) up to date: a
 * single background thread reads each stream in sequence order from its index's last sequence and
 * indexes what it reads, commits every second, and drops documents of events retention purged.
 *
 * <p>Retention deletes by sequence below the stream's oldest stored event rather than partitioning
 * by day like the store: a logstore is searched as one index sorted newest first (so the newest
 * hits of a search over any range end early), and a daily delete of a day's worth of documents is a
 * cheap range delete that merges reclaim.
 */
final class Indexer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);
  static final int BATCH = 2_000;

  /** Events one stream indexes in a pass before the others get their turn. */
  static final int PASS = 100_000;

  private static final long COMMIT_MILLIS = 1_000;
  private static final long RETENTION_MILLIS = 3_600_000;

  private final EventStore store;
  private final Path dir;
  private final IndexConfigs configs;
  private final Map<String, StreamIndex> indexes = new ConcurrentHashMap<>();
  private final Set<String> reindex = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService thread;
  private long lastCommit;
  private long lastRetention;

  Indexer(EventStore store, Path dir, IndexConfigs configs, long periodMillis) {
    this.store = store;
    this.dir = dir;
    this.configs = configs;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opentrail-logsearch-indexer");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(this::pass, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** The stream's index, if the indexer has opened it. */
  StreamIndex index(String stream) {
    return indexes.get(stream);
  }

  /** Rebuilds a stream's index with its current configuration, in the background. */
  void reindex(String stream) {
    reindex.add(stream);
  }

  /** Whether every stream's index shows everything the store holds now. */
  boolean caughtUp() {
    for (StreamInfo s : store.streams()) {
      // the re-index mark first: open() drops the old index before the mark (see there)
      if (reindex.contains(s.name())) {
        return false;
      }
      StreamIndex i = indexes.get(s.name());
      if (i == null || i.visible() < store.lastSequence(s.name())) {
        return false;
      }
    }
    return true;
  }

  private synchronized void pass() {
    try {
      long now = System.currentTimeMillis();
      boolean retention = now - lastRetention >= RETENTION_MILLIS;
      Set<String> seen = new HashSet<>();
      for (StreamInfo s : store.streams()) {
        seen.add(s.name());
        StreamIndex i = open(s.name());
        if (retention) {
          List<StoredEvent> oldest = store.read(s.name(), 0, 1);
          i.deleteBelow(
              oldest.isEmpty() ? store.lastSequence(s.name()) + 1 : oldest.get(0).sequence());
        }
        catchUp(i);
      }
      if (retention) {
        lastRetention = now;
      }
      for (String gone : Set.copyOf(indexes.keySet())) {
        if (!seen.contains(gone)) {
          LOG.info("Logstore {} is deleted; deleting its index", gone);
          indexes.remove(gone).delete();
          configs.delete(gone);
        }
      }
      if (now - lastCommit >= COMMIT_MILLIS) {
        for (StreamIndex i : indexes.values()) {
          i.commit();
        }
        lastCommit = now;
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("Indexing logstores for search failed; trying again", e);
    }
  }

  private StreamIndex open(String stream) throws IOException {
    StreamIndex i = indexes.get(stream);
    if (i != null && reindex.contains(stream)) {
      LOG.info("Re-indexing logstore {} with its new index configuration", stream);
      // out of the map before the mark goes, so caughtUp() never takes the old index as current;
      // a search holding it meanwhile finds it closed and runs again on the new one
      indexes.remove(stream);
      reindex.remove(stream);
      i.delete();
      i = null;
    }
    if (i == null) {
      i = StreamIndex.open(stream, configs.get(stream), path(stream));
      indexes.put(stream, i);
    }
    return i;
  }

  private Path path(String stream) {
    return dir.resolve(stream);
  }

  private void catchUp(StreamIndex i) throws IOException {
    long last = store.lastSequence(i.stream);
    if (i.indexed() > last) {
      LOG.warn(
          "Logstore index {} is ahead of the store ({} > {}); rebuilding it",
          i.stream,
          i.indexed(),
          last);
      i.delete();
      indexes.remove(i.stream);
      i = open(i.stream);
    }
    int done = 0;
    while (i.indexed() < last && done < PASS) {
      List<StoredEvent> batch = store.read(i.stream, i.indexed(), BATCH);
      if (batch.isEmpty()) {
        i.skipTo(last);
        break;
      }
      i.add(batch);
      done += batch.size();
    }
    if (i.visible() < i.indexed()) {
      i.refresh();
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      for (StreamIndex i : indexes.values()) {
        try {
          i.close();
        } catch (IOException e) {
          LOG.warn("Closing logstore index {} failed", i.stream, e);
        }
      }
      indexes.clear();
    }
  }
}
