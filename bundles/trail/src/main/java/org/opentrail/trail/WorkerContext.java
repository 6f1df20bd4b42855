package org.opentrail.trail;

import org.opentrail.api.trail.DestinationSpec;

/**
 * What the parts of one destination's {@link DestinationWorker} share: the trail and the
 * destination as last updated, the trail's filter, the destination's cursor, and the signal its
 * thread waits on (woken by any change, and by {@link #stop}).
 */
final class WorkerContext {
  private final Object signal = new Object();
  private volatile TrailState trail;
  private volatile DestinationSpec destination;
  private volatile EventFilter filter;
  private volatile CursorState cursor;
  private volatile boolean running = true;
  private boolean woken; // guarded by signal: a wake that came while the thread was not waiting

  WorkerContext(TrailState trail, DestinationSpec d, CursorState c) {
    this.trail = trail;
    this.destination = d;
    this.filter = new EventFilter(trail.account(), trail.spec());
    this.cursor = c;
  }

  TrailState trail() {
    return trail;
  }

  DestinationSpec destination() {
    return destination;
  }

  EventFilter filter() {
    return filter;
  }

  CursorState cursor() {
    return cursor;
  }

  void cursor(CursorState c) {
    cursor = c;
  }

  /** Takes a changed trail or destination configuration (and the trail's filter with it). */
  void update(TrailState t, DestinationSpec d) {
    trail = t;
    filter = new EventFilter(t.account(), t.spec());
    destination = d;
  }

  /** The lowest sequence this destination still needs delivered. */
  long oldestNeeded() {
    CursorState c = cursor;
    return c.hasPending() ? c.pendingFirst() : c.cursor() + 1;
  }

  /** False once the worker is to stop (or its thread was interrupted while waiting). */
  boolean running() {
    return running;
  }

  /** The worker stops after its step in progress (wake it to end a wait). */
  void stop() {
    running = false;
  }

  /**
   * Ends the thread's wait, or its next one if it is not waiting now: a change (a sink arriving, a
   * trail updated) that came while the thread was busy is never slept through.
   */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /**
   * Waits up to {@code millis} (at least 1 ms), unless stopped; returns early when woken, at once
   * if woken since the last wait.
   */
  void await(long millis) {
    synchronized (signal) {
      long deadline = System.nanoTime() + Math.max(1, millis) * 1_000_000L;
      while (running && !woken) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          signal.wait(Math.max(1, left / 1_000_000L));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      woken = false;
    }
  }
}
