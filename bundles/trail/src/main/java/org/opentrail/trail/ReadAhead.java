package org.opentrail.trail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads one destination's batches after its cursor with {@link BatchReader#next}, up to the
 * sequence it may deliver now, and reads the following batch ahead on a second thread while one is
 * being delivered.
 */
final class ReadAhead {
  private final WorkerContext context;
  private final BatchReader reader;
  private final String threadName;
  private CompletableFuture<BatchReader.Batch> readAhead;
  private long readAheadAfter;
  private EventFilter readAheadFilter;
  private ExecutorService readAheadExecutor;

  /**
   * @param threadName the name of the thread that reads ahead, started when first needed
   */
  ReadAhead(WorkerContext context, BatchReader reader, String threadName) {
    this.context = context;
    this.reader = reader;
    this.threadName = threadName;
  }

  /**
   * The next batch after the cursor, read ahead on a second thread while the previous one was being
   * delivered when possible (a change to the trail discards what was read ahead).
   */
  BatchReader.Batch next() {
    long after = context.cursor().cursor();
    CompletableFuture<BatchReader.Batch> ahead = readAhead;
    readAhead = null;
    BatchReader.Batch b =
        ahead != null && readAheadAfter == after && readAheadFilter == context.filter()
            ? ahead.join()
            : reader.next(
                context.trail().spec().name(),
                context.destination().id(),
                after,
                limit(),
                context.filter(),
                streaming(),
                context::await);
    if (b != null && !b.events().isEmpty()) {
      EventFilter f = context.filter();
      long from = b.last();
      long limit = limit();
      boolean streaming = streaming();
      readAheadAfter = from;
      readAheadFilter = f;
      readAhead =
          CompletableFuture.supplyAsync(
              () ->
                  reader.next(
                      context.trail().spec().name(),
                      context.destination().id(),
                      from,
                      limit,
                      f,
                      streaming,
                      context::await),
              readAheadThread());
    }
    return b;
  }

  /** True while events stream in: this destination delivered within the last second. */
  private boolean streaming() {
    return System.currentTimeMillis() - context.cursor().lastDeliveryMillis() < 1000;
  }

  /**
   * The last sequence to deliver now: first what was recorded before the last stop, then, while
   * logging, everything.
   */
  private long limit() {
    TrailState t = context.trail();
    return context.cursor().cursor() < t.stopSequence() || !t.logging()
        ? t.stopSequence()
        : Long.MAX_VALUE;
  }

  private ExecutorService readAheadThread() {
    if (readAheadExecutor == null) {
      readAheadExecutor =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
              });
    }
    return readAheadExecutor;
  }

  /** Stops the thread that reads ahead, if it started. */
  void close() {
    if (readAheadExecutor != null) {
      readAheadExecutor.shutdownNow();
    }
  }
}
