package org.opentrail.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks 0..n-1 with probability proportional to {@code 1 / (rank + 1)^s}: rank 0 is the most
 * frequent. {@code s = 0} is uniform; {@code s = 1} is the classic "a few users make most of the
 * calls" skew. Immutable and thread-safe (callers bring their own random generator).
 */
final class Zipf {
  private final double[] cumulative;
  private final double exponent;

  Zipf(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be positive");
    }
    this.exponent = exponent;
    cumulative = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cumulative[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
  }

  int size() {
    return cumulative.length;
  }

  double exponent() {
    return exponent;
  }

  int next(SplittableRandom random) {
    double u = random.nextDouble();
    int i = Arrays.binarySearch(cumulative, u);
    int rank = i >= 0 ? i : -i - 1;
    return Math.min(rank, cumulative.length - 1);
  }

  /** The share of draws that land on the {@code k} most frequent ranks. */
  double topShare(int k) {
    return cumulative[Math.min(k, cumulative.length) - 1];
  }
}
