package org.opentrail.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One scheduled thread that every {@code tick} seconds finds the rules that are due (never
 * evaluated, or {@code everyMinutes} after their last evaluation, restarts included) and hands each
 * to a pool of two workers, so a slow webhook (bounded by its timeout and retries) delays only its
 * own rule's evaluation, never the scheduler or the other worker's rules. A rule whose pending
 * webhook notification is due (and that is not due for evaluation) gets only that retry.
 */
final class RuleScheduler {
  private final Map<String, Map<String, RuleRecord>> rules;
  private final Consumer<RuleRecord> evaluate;
  private final Consumer<RuleRecord> retry;
  private final Clock clock;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(named("opentrail-alerts"));
  private final ExecutorService workers =
      Executors.newFixedThreadPool(2, named("opentrail-alerts-worker"));
  private ScheduledFuture<?> ticking;

  RuleScheduler(
      Map<String, Map<String, RuleRecord>> rules,
      Consumer<RuleRecord> evaluate,
      Consumer<RuleRecord> retry,
      Clock clock) {
    this.rules = rules;
    this.evaluate = evaluate;
    this.retry = retry;
    this.clock = clock;
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** (Re)starts ticking every {@code seconds}, at least one. */
  synchronized void every(long seconds) {
    if (ticking != null) {
      ticking.cancel(false);
    }
    long s = Math.max(1, seconds);
    ticking = scheduler.scheduleWithFixedDelay(this::tick, s, s, TimeUnit.SECONDS);
  }

  /**
   * Submits every due rule, and every rule whose pending webhook notification is due; a submitted
   * rule is claimed (queued) until its worker is done, so it is not submitted twice.
   */
  void tick() {
    Instant now = clock.instant();
    for (Map<String, RuleRecord> account : rules.values()) {
      for (RuleRecord r : account.values()) {
        Instant last = r.lastEvaluated;
        boolean due =
            last == null || !now.isBefore(last.plus(Duration.ofMinutes(r.rule.everyMinutes())));
        Consumer<RuleRecord> task = due ? evaluate : WebhookDelivery.due(r, now) ? retry : null;
        if (task != null && r.queued.compareAndSet(false, true)) {
          if (due) {
            r.lastEvaluated = now;
          }
          workers.submit(
              () -> {
                try {
                  task.accept(r);
                } finally {
                  r.queued.set(false);
                }
              });
        }
      }
    }
  }

  void close() {
    scheduler.shutdownNow();
    workers.shutdownNow();
  }
}
