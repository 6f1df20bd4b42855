package org.opentrail.tests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Events recorded on a thread of their own while a test changes the platform under them (a sink
 * bundle stopped, uninstalled, installed again): {@code rounds} batches of {@code perRound} events,
 * by users {@code <user>0} .. {@code <user><users-1>} in turn. A failure to record fails the
 * thread, and {@link #ids} then holds fewer events than the test expects.
 */
final class BackgroundRecording {
  private final List<String> ids = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private BackgroundRecording(Instance ot, int rounds, int perRound, String user, int users) {
    thread =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < rounds; i++) {
                  ids.addAll(ot.record(perRound, user + i % users));
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                running.set(false);
              }
            },
            "background-recording");
  }

  static BackgroundRecording start(Instance ot, int rounds, int perRound, String user, int users) {
    BackgroundRecording r = new BackgroundRecording(ot, rounds, perRound, user, users);
    r.thread.start();
    return r;
  }

  /** The eventIds recorded so far (a live, synchronized list). */
  List<String> ids() {
    return ids;
  }

  /** Whether it is still recording. */
  boolean running() {
    return running.get();
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }
}
