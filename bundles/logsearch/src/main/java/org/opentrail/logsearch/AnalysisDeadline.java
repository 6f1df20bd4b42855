package org.opentrail.logsearch;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * The time limit of one analysis as a flag that its planner and every operator of its plan read.
 *
 * <p>Calcite 1.42's enumerable operators (joins, filters, aggregates, set operations over {@code
 * VALUES} or anything else) check no cancel flag: {@code DataContext.Variable.CANCEL_FLAG} is read
 * only by some table adapters (CSV, Kafka, {@code ListTransientTable}) and Avatica between result
 * rows, and the Volcano planner reads its {@code CancelFlag} between rule calls. So {@link
 * DeadlinePlan} puts {@link #guard} on every edge of the physical plan into and out of an operator
 * that multiplies rows (joins, correlates, windows, unnests); it reads this flag on every row that
 * passes, and a shared timer thread sets the flag at the deadline. Reading a volatile flag costs
 * about a nanosecond a row, where {@link System#nanoTime} per row would cost 20 ns or more on the
 * hot path of every analysis.
 *
 * <p>Not thread-safe beyond the flag: one analysis, on the thread that runs it. Close it when the
 * analysis ends, so its alarm does not stay queued.
 */
public final class AnalysisDeadline implements AutoCloseable {
  /** One daemon thread for every analysis's alarm; it ends when no analysis ran for 10 s. */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final AtomicBoolean expired = new AtomicBoolean();
  private final ScheduledFuture<?> alarm;

  /**
   * @param deadlineNanos {@link System#nanoTime} at which the flag is set
   */
  AnalysisDeadline(long deadlineNanos) {
    long delay = deadlineNanos - System.nanoTime();
    if (delay <= 0) {
      expired.set(true);
      alarm = null;
    } else {
      alarm = TIMER.schedule(() -> expired.set(true), delay, TimeUnit.NANOSECONDS);
    }
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "opentrail-analysis-deadline");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true);
    t.setKeepAliveTime(10, TimeUnit.SECONDS);
    t.allowCoreThreadTimeOut(true);
    return t;
  }

  /** The flag itself, set at the deadline (for Calcite's planner, as its {@code CancelFlag}). */
  AtomicBoolean flag() {
    return expired;
  }

  /** Whether the deadline passed. */
  boolean expired() {
    return expired.get();
  }

  /**
   * Returns if the deadline has not passed.
   *
   * @throws LogTable.TimeoutException once it has
   */
  public void check() {
    if (expired.get()) {
      throw new LogTable.TimeoutException();
    }
  }

  @Override
  public void close() {
    if (alarm != null) {
      alarm.cancel(false);
    }
  }

  /**
   * {@code input}, whose enumerators check {@code deadline} before each row they give. Called by
   * the code Calcite generates for {@link DeadlinePlan}'s guard operator.
   *
   * @param holds whether the operator that pulls these rows keeps them all in memory (a join's
   *     inner side): each row is counted by {@link GroupLimit#joined}
   */
  public static <T> Enumerable<T> guard(
      Enumerable<T> input, AnalysisDeadline deadline, boolean holds) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<T> enumerator() {
        deadline.check();
        return new Guarded<>(input.enumerator(), deadline, holds);
      }
    };
  }

  /** An enumerator that checks the deadline before each move. */
  private static final class Guarded<T> implements Enumerator<T> {
    private final Enumerator<T> input;
    private final AnalysisDeadline deadline;
    private final boolean holds;

    Guarded(Enumerator<T> input, AnalysisDeadline deadline, boolean holds) {
      this.input = input;
      this.deadline = deadline;
      this.holds = holds;
    }

    @Override
    public T current() {
      return input.current();
    }

    @Override
    public boolean moveNext() {
      deadline.check();
      boolean more = input.moveNext();
      if (more && holds) {
        GroupLimit.joined();
      }
      return more;
    }

    @Override
    public void reset() {
      input.reset();
    }

    @Override
    public void close() {
      input.close();
    }
  }
}
