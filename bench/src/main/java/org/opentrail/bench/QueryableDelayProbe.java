package org.opentrail.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.LookupRequest;

/**
 * Measures how long after it is sent an event can be looked up. A sender thread records, every
 * {@code period}, one marker event with a user name nobody else has, through the recorder like any
 * other event; a poller thread runs LookupEvents for the oldest marker not yet seen every {@value
 * #POLL_MILLIS} ms, and once it appears checks the following ones at once. Markers keep being sent
 * while earlier ones are still invisible, so a slow index is sampled as often as a fast one. The
 * delay counts from just before {@code record()} (it includes the acknowledgement) to the first
 * answer that has the marker.
 *
 * <p>Polling only the oldest marker is exact enough because the index makes events visible in
 * sequence order, and markers are sent one at a time, so acknowledged in the order they were sent.
 */
final class QueryableDelayProbe {
  static final long POLL_MILLIS = 5;
  private static final long GIVE_UP_NANOS = 120_000_000_000L;

  /**
   * One finished probe: when it was sent ({@link System#nanoTime()}), nanoseconds from send to ack
   * and to visible (-1 if it never was).
   */
  record Sample(long sentNanos, long ackNanos, long visibleNanos) {}

  private record Marker(long sentNanos, long ackNanos, LookupRequest request) {}

  private final BenchStore store;
  private final ActionTrailEventGenerator generator;
  private final long periodNanos;
  private final String tag;
  private final Thread sender;
  private final Thread poller;
  private final ConcurrentLinkedDeque<Marker> outstanding = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedQueue<Sample> recent = new ConcurrentLinkedQueue<>();
  private final Latencies ack = new Latencies();
  private final Latencies visible = new Latencies();
  private volatile boolean sending = true;
  private volatile boolean polling = true;
  private volatile String failure;
  private int timeouts;
  private long lookups;

  QueryableDelayProbe(BenchStore store, ActionTrailEventGenerator generator, long periodMillis) {
    this.store = store;
    this.generator = generator;
    this.periodNanos = periodMillis * 1_000_000L;
    this.tag = Long.toString(System.currentTimeMillis(), 36);
    this.sender = new Thread(this::send, "bench-probe-sender");
    this.poller = new Thread(this::poll, "bench-probe-poller");
    sender.setDaemon(true);
    poller.setDaemon(true);
  }

  void start() {
    sender.start();
    poller.start();
  }

  /** Sends no more markers (the poller keeps looking for those already sent). */
  void stopSending() throws InterruptedException {
    sending = false;
    sender.join();
  }

  /** Stops sending, then waits until every marker sent was seen (or given up on). */
  void stop() throws InterruptedException {
    stopSending();
    polling = false;
    poller.join();
  }

  /** The probes finished since the last call. */
  List<Sample> drain() {
    List<Sample> out = new ArrayList<>();
    for (Sample s; (s = recent.poll()) != null; ) {
      out.add(s);
    }
    return out;
  }

  /** How long the oldest marker not yet visible has been waiting, in nanoseconds (0 if none). */
  long oldestWaitingNanos() {
    Marker m = outstanding.peekFirst();
    return m == null ? 0 : System.nanoTime() - m.sentNanos();
  }

  /** Send-to-visible delays of all probes (read after {@link #stop}). */
  Latencies visible() {
    return visible;
  }

  /** Send-to-ack delays of all probes (read after {@link #stop}). */
  Latencies ack() {
    return ack;
  }

  int timeouts() {
    return timeouts;
  }

  long lookups() {
    return lookups;
  }

  String failure() {
    return failure;
  }

  private void send() {
    SplittableRandom r = new SplittableRandom(7);
    long next = System.nanoTime();
    long n = 0;
    try {
      while (sending) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        String user = "probe-" + tag + "-" + n++;
        Event marker = generator.next(r, System.currentTimeMillis(), false, user);
        LookupRequest request =
            LookupRequest.builder(store.account)
                .attribute(LookupKey.USER, user)
                .maxResults(LookupRequest.MAX_MAX_RESULTS)
                .build();
        long t0 = System.nanoTime();
        store.recorder.record(store.account, List.of(marker));
        long acked = System.nanoTime() - t0;
        ack.add(acked);
        outstanding.addLast(new Marker(t0, acked, request));
        next = Math.max(next + periodNanos, System.nanoTime());
      }
    } catch (RuntimeException e) {
      failure = e.toString();
    }
  }

  private void poll() {
    try {
      while (polling || !outstanding.isEmpty()) {
        Marker m = outstanding.peekFirst();
        if (m == null) {
          LockSupport.parkNanos(POLL_MILLIS * 1_000_000L);
          continue;
        }
        lookups++;
        if (!store.query.lookup(m.request()).events().isEmpty()) {
          long seen = System.nanoTime() - m.sentNanos();
          outstanding.pollFirst();
          visible.add(seen);
          recent.add(new Sample(m.sentNanos(), m.ackNanos(), seen));
          continue; // the next marker may be visible already: look at once
        }
        if (System.nanoTime() - m.sentNanos() > GIVE_UP_NANOS) {
          outstanding.pollFirst();
          timeouts++;
          recent.add(new Sample(m.sentNanos(), m.ackNanos(), -1));
          continue;
        }
        LockSupport.parkNanos(POLL_MILLIS * 1_000_000L);
      }
    } catch (RuntimeException e) {
      failure = e.toString();
    }
  }
}
