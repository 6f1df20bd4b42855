package org.opentrail.trail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sequences {@code [first, last]} a destination should have delivered but could not, because the
 * store cannot read them ({@code reason}, e.g. "damaged in store"). Kept with the destination's
 * cursor until an operator acknowledges it or the store repairs the events.
 */
record Gap(long first, long last, String reason) {
  static final String DAMAGED = "damaged in store";

  /** As the status shows it: {@code GAP 63721-127440: damaged in store}. */
  String text() {
    return "GAP " + (first == last ? Long.toString(first) : first + "-" + last) + ": " + reason;
  }

  long events() {
    return last - first + 1;
  }

  /**
   * {@code gaps} and {@code more}, sorted, with touching or overlapping gaps of one reason joined.
   */
  static List<Gap> merge(List<Gap> gaps, List<Gap> more) {
    if (more.isEmpty()) {
      return gaps;
    }
    List<Gap> all = new ArrayList<>(gaps);
    all.addAll(more);
    all.sort(Comparator.comparingLong(Gap::first));
    List<Gap> out = new ArrayList<>();
    for (Gap g : all) {
      Gap prev = out.isEmpty() ? null : out.get(out.size() - 1);
      if (prev != null && prev.reason.equals(g.reason) && g.first <= prev.last + 1) {
        out.set(out.size() - 1, new Gap(prev.first, Math.max(prev.last, g.last), prev.reason));
      } else {
        out.add(g);
      }
    }
    return List.copyOf(out);
  }

  /** {@code gaps} without the sequences [{@code first}, {@code last}]. */
  static List<Gap> subtract(List<Gap> gaps, long first, long last) {
    List<Gap> out = new ArrayList<>();
    for (Gap g : gaps) {
      if (g.last < first || g.first > last) {
        out.add(g);
        continue;
      }
      if (g.first < first) {
        out.add(new Gap(g.first, first - 1, g.reason));
      }
      if (g.last > last) {
        out.add(new Gap(last + 1, g.last, g.reason));
      }
    }
    return List.copyOf(out);
  }
}
