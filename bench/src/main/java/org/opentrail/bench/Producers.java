package org.opentrail.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.RecordResult;

/**
 * Producer threads that call {@link EventRecorder#record} with batches until {@code total} events
 * are recorded (or a deadline passes), timing every call. Without a rate they send as fast as the
 * recorder answers (a burst); with one they follow an open-loop schedule (batch k is due at {@code
 * start + k * batch / rate}) and catch up if they fell behind, so a store that is too slow shows up
 * as a lower acknowledged rate and a growing lateness, not as a politely slower schedule.
 */
final class Producers {
  /** Makes the events of one batch: positions {@code first .. first + size - 1} of the run. */
  interface BatchSource {
    List<org.opentrail.api.event.Event> batch(long first, int size, SplittableRandom random);
  }

  /** What a run did. */
  record Result(
      long acked,
      long duplicates,
      long rejected,
      long calls,
      long startNanos,
      long lastAckNanos,
      long maxLatenessNanos,
      long cpuNanos,
      Latencies latencies,
      String failure) {
    double ackedPerSecond() {
      long span = lastAckNanos - startNanos;
      return span <= 0 ? 0 : acked * 1e9 / span;
    }
  }

  private final EventRecorder recorder;
  private final int threads;
  private final int batch;
  private final long total;
  private final BatchSource source;
  private final long seed;
  private double rate;
  private long durationNanos = Long.MAX_VALUE;
  private long deadlineNanos = Long.MAX_VALUE;

  /** Events acknowledged so far (readable while running). */
  final AtomicLong acked = new AtomicLong();

  private final AtomicLong nextBatch = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong lastAck = new AtomicLong();
  private final AtomicLong maxLateness = new AtomicLong();
  private final AtomicLong cpu = new AtomicLong();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final Latencies[] latencies;
  private Thread[] running;
  private final String account;
  private long startNanos;

  Producers(BenchStore store, int threads, int batch, long total, BatchSource source, long seed) {
    this.recorder = store.recorder;
    this.account = store.account;
    this.threads = threads;
    this.batch = batch;
    this.total = total;
    this.source = source;
    this.seed = seed;
    this.latencies = new Latencies[threads];
  }

  /** Limits the producers together to {@code eventsPerSecond}. */
  Producers rate(double eventsPerSecond) {
    this.rate = eventsPerSecond;
    return this;
  }

  /** No batch is started more than {@code nanos} after the start. */
  Producers duration(long nanos) {
    this.durationNanos = nanos;
    return this;
  }

  /** Starts the threads; the run's clock starts now. */
  void start() {
    startNanos = System.nanoTime();
    deadlineNanos = durationNanos == Long.MAX_VALUE ? Long.MAX_VALUE : startNanos + durationNanos;
    lastAck.set(startNanos);
    running = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      latencies[t] = new Latencies((int) Math.min(1 << 20, total / batch / threads + 16));
      running[t] = new Thread(() -> produce(id), "bench-producer-" + t);
      running[t].start();
    }
  }

  /** Waits for the threads to finish and answers what they did. */
  Result join() throws InterruptedException {
    for (Thread t : running) {
      t.join();
    }
    Latencies all = new Latencies((int) Math.max(16, calls.get()));
    for (Latencies l : latencies) {
      all.addAll(l);
    }
    return new Result(
        acked.get(),
        duplicates.get(),
        rejected.get(),
        calls.get(),
        startNanos,
        lastAck.get(),
        maxLateness.get(),
        cpu.get(),
        all,
        failure.get());
  }

  /** True once every producer thread has stopped. */
  boolean finished() {
    for (Thread t : running) {
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Waits up to {@code millis} for the producers to finish; answers whether they have. */
  boolean awaitFinished(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    for (Thread t : running) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return finished();
      }
      t.join(left);
    }
    return finished();
  }

  Result run() throws InterruptedException {
    start();
    return join();
  }

  /** Runs, printing acknowledged events, the rate since the last line and the index lag. */
  Result runReporting(BenchStore store, java.io.PrintStream out, int everySeconds)
      throws InterruptedException {
    start();
    long lastCount = 0;
    long lastTime = startNanos;
    while (!awaitFinished(everySeconds * 1000L)) {
      long now = System.nanoTime();
      long count = acked.get();
      var info = store.history();
      out.printf(
          java.util.Locale.ROOT,
          "  %5.1f s  %,12d acked  %,9.0f events/s  index lag %,d events%n",
          (now - startNanos) / 1e9,
          count,
          (count - lastCount) * 1e9 / (now - lastTime),
          info.lastSequence() - info.indexedSequence());
      out.flush();
      lastCount = count;
      lastTime = now;
    }
    return join();
  }

  long startNanos() {
    return startNanos;
  }

  private void produce(int id) {
    try {
      produceBatches(id);
    } finally {
      long own = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      cpu.addAndGet(Math.max(0, own));
    }
  }

  private void produceBatches(int id) {
    SplittableRandom random = new SplittableRandom(seed * 31 + id);
    Latencies lat = latencies[id];
    while (failure.get() == null) {
      long b = nextBatch.getAndIncrement();
      long first = b * batch;
      if (first >= total) {
        return;
      }
      int size = (int) Math.min(batch, total - first);
      if (rate > 0) {
        long due = startNanos + (long) (first * 1e9 / rate);
        long now = System.nanoTime();
        if (due > now) {
          LockSupport.parkNanos(due - now);
          while (System.nanoTime() < due) {
            LockSupport.parkNanos(due - System.nanoTime());
          }
        } else {
          maxLateness.accumulateAndGet(now - due, Math::max);
        }
      }
      if (System.nanoTime() > deadlineNanos) {
        return;
      }
      List<org.opentrail.api.event.Event> events = source.batch(first, size, random);
      RecordResult result;
      long t0 = System.nanoTime();
      try {
        result = recorder.record(account, events);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e.toString());
        return;
      }
      long t1 = System.nanoTime();
      lat.add(t1 - t0);
      calls.incrementAndGet();
      long ok = 0;
      for (EventOutcome o : result.outcomes()) {
        switch (o.status()) {
          case ACCEPTED -> ok++;
          case DUPLICATE -> duplicates.incrementAndGet();
          case REJECTED -> {
            if (rejected.incrementAndGet() == 1) {
              failure.compareAndSet(null, "rejected: " + o.errorCode() + ": " + o.errorMessage());
            }
          }
        }
      }
      acked.addAndGet(ok);
      lastAck.accumulateAndGet(t1, Math::max);
    }
  }
}
