package org.opentrail.bench;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;

/**
 * One {@link LookupWorkload} query type run by {@code clients} threads at once, back to back: each
 * client has its own workload and random draws (client 0 draws exactly what the one-client {@code
 * lookup} scenario draws), does its share of the warm-up, waits for the others, then its share of
 * the timed queries. Throughput is the timed queries over the time from that common start until the
 * last client finished.
 */
final class ConcurrentLookups {
  /** What one type measured with some clients. */
  record Result(Latencies timed, long wallNanos, long hits, int empty, int redraws) {
    double perSecond() {
      return wallNanos == 0 ? 0 : timed.count() * 1e9 / wallNanos;
    }

    double avgHits() {
      return timed.count() == 0 ? 0 : hits / (double) timed.count();
    }
  }

  private final Function<LookupRequest, LookupResult> lookups;
  private final String account;
  private final ActionTrailEventGenerator gen;
  private final Instant start;
  private final Instant end;

  ConcurrentLookups(
      Function<LookupRequest, LookupResult> lookups,
      String account,
      ActionTrailEventGenerator gen,
      Instant start,
      Instant end) {
    this.lookups = lookups;
    this.account = account;
    this.gen = gen;
    this.start = start;
    this.end = end;
  }

  /** The client's seed: client 0 uses {@code seed} itself. */
  static long clientSeed(long seed, int client) {
    return seed + 7_919L * client;
  }

  /**
   * Runs {@code warmup} then {@code timed} queries of {@code type} in all, shared out over {@code
   * clients} threads.
   */
  Result run(LookupWorkload.QueryType type, int clients, int warmup, int timed, long seed)
      throws InterruptedException {
    CountDownLatch warmedUp = new CountDownLatch(clients);
    AtomicLong timedStart = new AtomicLong();
    LookupWorkload.Figures[] figures = new LookupWorkload.Figures[clients];
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread[] threads = new Thread[clients];
    for (int t = 0; t < clients; t++) {
      int id = t;
      int myWarmup = share(warmup, clients, t);
      int myTimed = share(timed, clients, t);
      threads[t] =
          new Thread(
              () -> {
                LookupWorkload w = new LookupWorkload(lookups, account, gen, start, end);
                boolean[] arrived = {false};
                try {
                  figures[id] =
                      w.run(
                          type,
                          myWarmup,
                          myTimed,
                          clientSeed(seed, id),
                          () -> {
                            arrived[0] = true;
                            await(warmedUp, failed);
                            timedStart.compareAndSet(0, System.nanoTime());
                          });
                } catch (Throwable e) {
                  failed.compareAndSet(null, e);
                  if (!arrived[0]) {
                    warmedUp.countDown(); // the others stop waiting for this one
                  }
                }
              },
              "bench-lookup-client-" + t);
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long wall = System.nanoTime() - timedStart.get();
    if (failed.get() != null) {
      throw new IllegalStateException(type.label() + " failed: " + failed.get(), failed.get());
    }
    Latencies all = new Latencies(timed + 16);
    long hits = 0;
    int empty = 0;
    int redraws = 0;
    for (LookupWorkload.Figures f : figures) {
      all.addAll(f.timed());
      hits += f.hits();
      empty += f.empty();
      redraws += f.redraws();
    }
    return new Result(all, wall, hits, empty, redraws);
  }

  /** Client {@code t}'s share of {@code n} queries over {@code clients}. */
  static int share(int n, int clients, int t) {
    return n / clients + (t < n % clients ? 1 : 0);
  }

  /** Arrives and waits for every client to arrive; gives up once one of them failed. */
  private static void await(CountDownLatch warmedUp, AtomicReference<Throwable> failed) {
    warmedUp.countDown();
    try {
      while (!warmedUp.await(100, TimeUnit.MILLISECONDS)) {
        if (failed.get() != null) {
          throw new IllegalStateException("another client failed");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
