package org.opentrail.store.index;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.opentrail.store.journal.Block;
import org.opentrail.store.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the journal into the index on its own thread, off the acknowledgement path: adds every
 * durable event in sequence order, refreshes searches every {@code refreshMillis} while there is
 * something new (so an event is looked up at most about that long after it was acknowledged), and
 * commits with a checkpoint every {@code commitMillis}. After a restart it resumes from the
 * checkpoint, which is how a crash's unindexed tail gets indexed.
 */
public final class Indexer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

  private final Journal journal;
  private final EventIndex index;
  private final long refreshNanos;
  private final long commitNanos;
  private final long compactQuietNanos;
  private final LongConsumer onVisible;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long indexed;
  private volatile long visible;
  private volatile String failure;

  /** {@code onVisible} hears the newest sequence searches can see, after every refresh. */
  public Indexer(
      Journal journal,
      EventIndex index,
      long refreshMillis,
      long commitMillis,
      LongConsumer onVisible,
      String name) {
    this.journal = journal;
    this.index = index;
    this.refreshNanos = refreshMillis * 1_000_000L;
    this.commitNanos = commitMillis * 1_000_000L;
    // a past day's partition is merged into one segment after this long without additions: 30 s
    // at the default refresh of 250 ms
    this.compactQuietNanos = Math.max(1_000L, Math.min(60_000L, refreshMillis * 120)) * 1_000_000L;
    this.onVisible = onVisible;
    this.indexed = index.checkpoint();
    this.visible = indexed;
    this.thread = new Thread(this::run, "opentrail-indexer-" + name);
    this.thread.setDaemon(true);
  }

  public void start() {
    journal.onDurable(() -> LockSupport.unpark(thread));
    thread.start();
  }

  /** The newest sequence added to the index (visible at the next refresh). */
  public long indexedSequence() {
    return indexed;
  }

  /** The newest sequence visible to searches. */
  public long visibleSequence() {
    return visible;
  }

  /** Why indexing stopped, or {@code null} while it runs. */
  public String failure() {
    return failure;
  }

  private void run() {
    long lastRefresh = System.nanoTime();
    long lastCommit = lastRefresh;
    long next = Math.max(indexed + 1, journal.firstSequence());
    long lastErrorLog = 0;
    while (running) {
      try {
        long durable = journal.lastSequence();
        if (next <= durable) {
          Block b;
          try {
            b = journal.nextBlock(next);
          } catch (org.opentrail.store.journal.DamagedEventsException d) {
            next = d.resumeAt(); // unreadable: reported by the journal
            indexed = Math.min(durable, next - 1);
            continue;
          }
          if (b == null) {
            long first = journal.firstSequence();
            if (first <= next) {
              throw new IOException("journal has no block for durable sequence " + next);
            }
            next = first; // purged by retention meanwhile
            continue;
          }
          for (long s = Math.max(next, b.firstSequence()); s <= b.lastSequence(); s++) {
            index.add(b.record(s), s);
          }
          next = b.lastSequence() + 1;
          indexed = next - 1;
        }
        long now = System.nanoTime();
        boolean caughtUp = next > journal.lastSequence();
        if (visible < indexed && now - lastRefresh >= refreshNanos) {
          long through = indexed;
          index.refresh();
          visible = through;
          onVisible.accept(through);
          lastRefresh = now;
        }
        if (index.checkpoint() < indexed && now - lastCommit >= commitNanos) {
          index.commit(indexed);
          lastCommit = now;
        }
        if (failure != null) {
          LOG.warn("Indexing resumed at sequence {}", indexed);
          failure = null;
        }
        if (caughtUp && visible == indexed && index.compactOne(compactQuietNanos)) {
          index.commit(indexed);
          lastCommit = System.nanoTime();
          continue;
        }
        if (caughtUp) {
          long wait = 1_000_000_000L;
          if (visible < indexed) {
            wait = Math.min(wait, refreshNanos - (now - lastRefresh));
          }
          if (index.checkpoint() < indexed) {
            wait = Math.min(wait, commitNanos - (now - lastCommit));
          }
          LockSupport.parkNanos(this, Math.max(1_000_000L, wait));
        }
      } catch (IOException | RuntimeException e) {
        // a full disk or a failing partition: say so, wait and try again (what was added stays;
        // a partition that failed is rebuilt from the journal)
        failure = e.toString();
        if (System.nanoTime() - lastErrorLog > 60_000_000_000L) {
          lastErrorLog = System.nanoTime();
          LOG.error(
              "Indexing is held at sequence {} (lookups do not see newer events yet); retrying"
                  + " every second",
              indexed,
              e);
        }
        LockSupport.parkNanos(this, 1_000_000_000L);
      }
    }
    try {
      if (indexed > index.checkpoint()) {
        index.refresh();
        index.commit(indexed);
      }
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "The index could not commit at close; the journal is indexed again from {}",
          index.checkpoint(),
          e);
    }
  }

  /**
   * Stops, committing what has been indexed; the rest is replayed from the journal at the next
   * start.
   */
  @Override
  public void close() {
    // index what is durable first (bounded), so a clean stop leaves the index complete and events
    // damaged later are still known to it (lookups then count them as unreadable)
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (failure == null
        && thread.isAlive()
        && indexed < journal.lastSequence()
        && System.nanoTime() < deadline) {
      LockSupport.unpark(thread);
      LockSupport.parkNanos(5_000_000L);
    }
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
