package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictTrainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the zstd dictionaries of a journal from its own records, for the {@link JournalWriter}
 * (whose thread calls everything here but {@link #close()}). It samples the first {@code samples}
 * records after the journal opens (and after a new segment begins, see below), trains a {@value
 * #DICTIONARY_BYTES}-byte dictionary from them on a background thread (about a second of one core
 * for 20,000 events), stores it durably ({@link Dictionaries}) and only then offers it to the
 * writer. Until the first one is ready, and if training fails, blocks are compressed whole. A new
 * segment is sampled for a new dictionary only if the last was trained more than {@value
 * #RETRAIN_HOURS} hours ago: training takes a core for about a second and holds its samples
 * meanwhile, which cost a busy ingest more than the few bytes per event a fresher dictionary saves.
 */
final class DictionaryTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DictionaryTrainer.class);
  static final int DICTIONARY_BYTES = 64 << 10;
  private static final int SAMPLE_BYTES = 32 << 20;
  static final int RETRAIN_HOURS = 24;

  /**
   * A dictionary ready to compress with: its id and a context with it loaded (holding {@code
   * dictionary} so that its native memory lives as long as the context).
   */
  record Loaded(int id, ZstdCompressCtx compressor, ZstdDictCompress dictionary) {}

  private final Dictionaries dictionaries;
  private final int samples;
  private final int level;
  private final String name;
  private List<byte[]> collected;
  private long collectedBytes;
  private volatile Thread training;
  private volatile Loaded trained;
  private volatile boolean closed;
  private Loaded current;
  private volatile long trainedAtNanos;

  /**
   * @param samples records sampled per dictionary; 0 turns dictionaries off
   * @param level the zstd level records are compressed at
   */
  DictionaryTrainer(Dictionaries dictionaries, int samples, int level, String name) {
    this.dictionaries = dictionaries;
    this.samples = samples;
    this.level = Math.max(1, level);
    this.name = name;
    this.collected = samples > 0 ? new ArrayList<>() : null;
    if (samples > 0) {
      resumeNewest();
    }
  }

  /**
   * Goes on with the newest stored dictionary if it is less than {@value #RETRAIN_HOURS} hours old,
   * so that a restart neither trains nor stores another one.
   */
  private void resumeNewest() {
    try {
      Dictionaries.Stored newest = dictionaries.newest();
      if (newest == null) {
        return;
      }
      java.time.Duration age =
          java.time.Duration.between(newest.written(), java.time.Instant.now());
      if (age.isNegative() || age.toHours() >= RETRAIN_HOURS) {
        return;
      }
      current = load(newest.id(), newest.dictionary());
      trainedAtNanos = System.nanoTime() - age.toNanos();
      collected = null;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Journal {}: the newest zstd dictionary cannot be used ({}); training one", name, e);
    }
  }

  private Loaded load(int id, byte[] dict) {
    ZstdCompressCtx c =
        new ZstdCompressCtx()
            .setLevel(level)
            .setMagicless(true)
            .setDictID(false)
            .setContentSize(true)
            .setChecksum(true); // one record is read and checked on its own
    ZstdDictCompress d = new ZstdDictCompress(dict, level);
    c.loadDict(d);
    return new Loaded(id, c, d);
  }

  /** The newest dictionary trained, or {@code null} while there is none. */
  Loaded current() {
    Loaded t = trained;
    if (t != null) {
      trained = null;
      if (current != null) {
        current.compressor().close();
      }
      current = t;
    }
    return current;
  }

  /** A new segment began: sample it for a new dictionary if the last is old (events change). */
  void segmentStarted() {
    if (samples > 0
        && collected == null
        && training == null
        && ((current == null && trained == null)
            || System.nanoTime() - trainedAtNanos > RETRAIN_HOURS * 3_600_000_000_000L)) {
      collected = new ArrayList<>();
      collectedBytes = 0;
    }
  }

  /** Offers an encoded record as a sample; {@code record} must not change afterwards. */
  void offer(byte[] record) {
    if (collected == null) {
      return;
    }
    collected.add(record);
    collectedBytes += record.length;
    if (collected.size() >= samples || collectedBytes >= SAMPLE_BYTES) {
      List<byte[]> batch = collected;
      collected = null;
      training = new Thread(() -> train(batch), "opentrail-dictionary-" + name);
      training.setDaemon(true);
      training.start();
    }
  }

  private void train(List<byte[]> batch) {
    long t0 = System.nanoTime();
    try {
      ZstdDictTrainer t = new ZstdDictTrainer(SAMPLE_BYTES, DICTIONARY_BYTES);
      for (byte[] r : batch) {
        if (!t.addSample(r)) {
          break;
        }
      }
      byte[] dict = t.trainSamples();
      synchronized (this) {
        if (closed) {
          return;
        }
        int id = dictionaries.add(dict);
        trained = load(id, dict);
        trainedAtNanos = System.nanoTime();
        LOG.debug(
            "Journal {}: zstd dictionary {} trained on {} records in {} ms",
            name,
            Dictionaries.fileName(id),
            batch.size(),
            (System.nanoTime() - t0) / 1_000_000);
      }
    } catch (Exception | LinkageError e) {
      LOG.warn(
          "Journal {}: no zstd dictionary from {} records ({}); blocks stay compressed whole",
          name,
          batch.size(),
          e.toString());
    } finally {
      training = null;
    }
  }

  /** Waits for a training under way and makes sure nothing more is written. */
  void close() {
    Thread t = training;
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      closed = true;
    }
    for (Loaded l : new Loaded[] {trained, current}) {
      if (l != null) {
        l.compressor().close();
      }
    }
  }
}
