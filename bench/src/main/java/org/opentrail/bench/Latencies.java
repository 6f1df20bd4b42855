package org.opentrail.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Durations in nanoseconds, recorded as measured (nothing is dropped or smoothed) and sorted once
 * to read percentiles. Percentiles use the nearest-rank method: p99 of 2,000 samples is the 1,980th
 * smallest. Not thread-safe: give each thread its own and {@link #addAll merge} them afterwards.
 */
final class Latencies {
  private long[] nanos;
  private int size;
  private boolean sorted = true;

  Latencies() {
    this(1024);
  }

  Latencies(int capacity) {
    this.nanos = new long[Math.max(16, capacity)];
  }

  void add(long durationNanos) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = durationNanos;
    sorted = false;
  }

  void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) {
      add(other.nanos[i]);
    }
  }

  int count() {
    return size;
  }

  private void sort() {
    if (!sorted) {
      Arrays.sort(nanos, 0, size);
      sorted = true;
    }
  }

  /** The nearest-rank percentile {@code p} (0 to 100) in nanoseconds; 0 if empty. */
  long percentileNanos(double p) {
    if (size == 0) {
      return 0;
    }
    sort();
    int rank = (int) Math.ceil(p / 100.0 * size);
    return nanos[Math.min(size - 1, Math.max(0, rank - 1))];
  }

  long maxNanos() {
    if (size == 0) {
      return 0;
    }
    sort();
    return nanos[size - 1];
  }

  double meanNanos() {
    if (size == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += nanos[i];
    }
    return sum / size;
  }

  double p50Millis() {
    return percentileNanos(50) / 1e6;
  }

  double p99Millis() {
    return percentileNanos(99) / 1e6;
  }

  double maxMillis() {
    return maxNanos() / 1e6;
  }

  /** {@code p50/p99/max} in milliseconds with a precision that suits the magnitude. */
  String summaryMillis() {
    return ms(p50Millis()) + " / " + ms(p99Millis()) + " / " + ms(maxMillis()) + " ms";
  }

  /** Milliseconds with 3 significant-ish digits: 0.084, 1.27, 12.3, 245. */
  static String ms(double millis) {
    if (millis < 1) {
      return String.format(Locale.ROOT, "%.3f", millis);
    }
    if (millis < 10) {
      return String.format(Locale.ROOT, "%.2f", millis);
    }
    if (millis < 100) {
      return String.format(Locale.ROOT, "%.1f", millis);
    }
    return String.format(Locale.ROOT, "%.0f", millis);
  }
}
