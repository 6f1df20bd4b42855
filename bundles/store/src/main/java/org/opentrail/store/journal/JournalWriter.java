package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.StorageFullException;
import org.opentrail.api.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's single writer thread (group commit): takes every append request waiting, checks
 * each event for a duplicate, assigns sequence numbers, packs the records into compressed blocks,
 * writes them and forces them to disk once, and only then answers all the callers of the group.
 */
final class JournalWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

  /** One caller's events and the future that answers it. */
  static final class Request {
    final List<PreparedEvent> events;
    final AppendOutcome[] outcomes;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Request(List<PreparedEvent> events) {
      this.events = events;
      this.outcomes = new AppendOutcome[events.size()];
    }
  }

  private record PendingBlock(
      long first, int count, int offset, long minTime, long maxTime, byte[] raw) {}

  private final Journal journal;
  private final Journal.Config config;
  private final DuplicateCheck duplicates;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final ZstdCompressCtx compressor;
  private final HashChain chain = new HashChain();
  private final DictionaryTrainer trainer;
  private JournalSegment lastActive;
  private int[] ends = new int[1024];
  private byte[] raw;
  private byte[] scratch;
  private ByteBuffer out = ByteBuffer.allocate(1 << 20);
  private volatile Runnable onDurable = () -> {};
  private volatile LongSupplier consumedThrough = () -> Long.MAX_VALUE;
  private volatile long maxLag;
  private volatile boolean stopping;
  private boolean tailDirty;

  JournalWriter(Journal journal, Journal.Config config, DuplicateCheck duplicates, String name) {
    this.journal = journal;
    this.config = config;
    this.duplicates = duplicates;
    this.compressor =
        config.compressionLevel() == 0
            ? null
            : new ZstdCompressCtx().setLevel(config.compressionLevel());
    this.trainer =
        config.compressionLevel() == 0
            ? null
            : new DictionaryTrainer(
                journal.dictionaries(),
                config.dictionarySamples(),
                config.compressionLevel(),
                name);
    this.raw = new byte[config.blockBytes() + (256 << 10)];
    this.scratch = new byte[Block.maxEncodedLength(raw.length)];
    this.thread = new Thread(this::run, "opentrail-journal-" + name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void onDurable(Runnable r) {
    this.onDurable = r;
  }

  void backpressure(LongSupplier consumedThrough, long maxLag) {
    this.consumedThrough = consumedThrough;
    this.maxLag = maxLag;
  }

  CompletableFuture<Void> submit(Request r) {
    queue.add(r);
    return r.done;
  }

  private void run() {
    List<Request> group = new ArrayList<>();
    while (true) {
      Request first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        journal.forceRecoveryPoint();
        if (stopping) {
          break;
        }
        continue;
      }
      awaitConsumer();
      group.add(first);
      queue.drainTo(group);
      try {
        journal.checkWritable();
        journal.checkSpace();
        commit(group);
        for (Request r : group) {
          r.done.complete(null);
        }
      } catch (Throwable t) {
        StoreUnavailableException e =
            t instanceof StoreUnavailableException s
                ? s
                : new StoreUnavailableException("The journal could not store the events: " + t, t);
        for (Request r : group) {
          r.done.completeExceptionally(e);
        }
      }
      group.clear();
    }
    for (Request r; (r = queue.poll()) != null; ) {
      r.done.completeExceptionally(new StoreUnavailableException("The event store is closed."));
    }
    if (compressor != null) {
      compressor.close();
    }
    if (trainer != null) {
      trainer.close();
    }
  }

  /** Waits while the consumer (the indexer) is more than {@code maxLag} events behind. */
  private void awaitConsumer() {
    long max = maxLag;
    long behind = journal.lastSequence() - consumedThrough.getAsLong();
    if (max <= 0 || behind <= max) {
      return;
    }
    long since = System.nanoTime();
    LOG.info(
        "Journal {}: {} events not yet indexed; recording waits for the index",
        journal.dir(),
        behind);
    while (!stopping && journal.lastSequence() - consumedThrough.getAsLong() > max * 9 / 10) {
      LockSupport.parkNanos(1_000_000L);
    }
    LOG.info(
        "Journal {}: recording resumes after waiting {} ms for the index",
        journal.dir(),
        (System.nanoTime() - since) / 1_000_000);
  }

  private void commit(List<Request> group) throws IOException {
    long seq = journal.lastSequence() + 1;
    byte[] head = journal.chain().value();
    out.clear();
    List<PendingBlock> blocks = new ArrayList<>();
    int rawLength = 0;
    int count = 0;
    long blockFirst = seq;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    duplicates.groupStarted();
    try {
      for (Request r : group) {
        for (int i = 0; i < r.events.size(); i++) {
          PreparedEvent e = r.events.get(i);
          long existing = duplicates.existing(e);
          if (existing >= 0) {
            r.outcomes[i] = new AppendOutcome(existing, true);
            continue;
          }
          r.outcomes[i] = new AppendOutcome(seq, false);
          duplicates.accepted(e, seq);
          head = chain.next(head, seq, e.leaf());
          byte[] enc = e.encoded();
          if (rawLength + enc.length > raw.length) {
            raw = Arrays.copyOf(raw, rawLength + enc.length + (64 << 10));
            scratch = new byte[Block.maxEncodedLength(raw.length)];
          }
          System.arraycopy(enc, 0, raw, rawLength, enc.length);
          rawLength += enc.length;
          if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
          }
          ends[count++] = rawLength;
          if (trainer != null) {
            trainer.offer(enc);
          }
          minT = Math.min(minT, e.timeMillis());
          maxT = Math.max(maxT, e.timeMillis());
          seq++;
          if (rawLength >= config.blockBytes()) {
            blocks.add(encodeBlock(blockFirst, count, rawLength, minT, maxT));
            blockFirst = seq;
            rawLength = 0;
            count = 0;
            minT = Long.MAX_VALUE;
            maxT = Long.MIN_VALUE;
          }
        }
      }
      if (count > 0) {
        blocks.add(encodeBlock(blockFirst, count, rawLength, minT, maxT));
      }
      if (!blocks.isEmpty()) {
        write(blocks, seq - 1, head);
      }
    } catch (IOException | RuntimeException e) {
      duplicates.groupFailed();
      throw e;
    } finally {
      duplicates.groupEnded();
    }
  }

  private PendingBlock encodeBlock(long first, int count, int rawLength, long minT, long maxT) {
    DictionaryTrainer.Loaded dict = trainer == null ? null : trainer.current();
    int need =
        dict == null
            ? Block.maxEncodedLength(rawLength)
            : Math.max(
                Block.maxEncodedLength(rawLength), Block.maxRecordsEncodedLength(rawLength, count));
    if (out.remaining() < need) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + need));
      out.flip();
      bigger.put(out);
      out = bigger;
    }
    int offset = out.position();
    if (dict == null
        || !Block.encodeRecords(
            out, first, count, raw, ends, minT, maxT, dict.compressor(), dict.id())) {
      Block.encode(out, first, count, raw, rawLength, minT, maxT, compressor, scratch);
    }
    byte[] copy = journal.wantsHandoff() ? Arrays.copyOf(raw, rawLength) : null;
    return new PendingBlock(first, count, offset, minT, maxT, copy);
  }

  /** Writes and forces the group's blocks, then publishes them. */
  private void write(List<PendingBlock> blocks, long newLast, byte[] head) throws IOException {
    JournalSegment active = journal.segmentForAppend();
    if (active != lastActive) {
      if (lastActive != null && trainer != null) {
        trainer.segmentStarted();
      }
      lastActive = active;
    }
    long base = active.size();
    out.flip();
    try {
      if (tailDirty) {
        active.truncateToSize(); // after a failed write: cut what it left before writing again
        tailDirty = false;
      }
      active.write(out, base);
      active.force();
    } catch (IOException e) {
      journal.failed(e);
      tailDirty = true;
      try {
        active.truncateToSize();
        tailDirty = false;
      } catch (IOException t) {
        e.addSuppressed(t);
      }
      String full = journal.storageAlarm();
      if (full != null) {
        throw new StorageFullException(full.substring(full.indexOf(": ") + 2));
      }
      throw e;
    }
    for (int i = 0; i < blocks.size(); i++) {
      PendingBlock b = blocks.get(i);
      long end = base + (i + 1 < blocks.size() ? blocks.get(i + 1).offset : out.limit());
      active.addBlock(b.first, b.count, base + b.offset, b.minTime, b.maxTime, end);
      if (b.raw != null) {
        journal.handOff(new Block(b.first, b.count, b.raw));
      }
    }
    journal.published(newLast, active, head);
    onDurable.run();
  }

  /** Stops after answering everything queued. */
  void stop() {
    stopping = true;
    if (thread.isAlive()) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
