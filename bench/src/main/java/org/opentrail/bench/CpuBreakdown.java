package org.opentrail.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU of a run went, by thread group (thread names without their numbers: the producers,
 * the journal writer, the indexer, ...). Threads that ended during the run (Lucene's merge threads
 * are started per merge) and the JVM's own native threads (GC, JIT) are not visible one by one:
 * they are the rest of the process CPU, reported as "other", next to the collectors' and the JIT
 * compiler's own figures.
 */
final class CpuBreakdown {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startByThread = new HashMap<>();
  private final long processStart;
  private final long gcCountStart;
  private final long gcMillisStart;
  private final long jitMillisStart;

  private CpuBreakdown() {
    processStart = SystemProbes.processCpuNanos();
    gcCountStart = gcCount();
    gcMillisStart = gcMillis();
    jitMillisStart = jitMillis();
    for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
      long cpu = threads.getThreadCpuTime(t.getThreadId());
      if (cpu >= 0) {
        startByThread.put(t.getThreadId(), cpu);
      }
    }
  }

  /** Starts counting now. */
  static CpuBreakdown start() {
    return new CpuBreakdown();
  }

  /**
   * CPU seconds by group since the start, biggest first, ending with "other" and "total"; empty if
   * the JVM does not measure thread CPU time.
   */
  Map<String, Double> secondsByGroup(Map<String, Long> ended) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!threads.isThreadCpuTimeSupported() || processStart < 0) {
      return out;
    }
    Map<String, Long> groups = new TreeMap<>(ended);
    long counted = ended.values().stream().mapToLong(Long::longValue).sum();
    for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
      long cpu = threads.getThreadCpuTime(t.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long used = cpu - startByThread.getOrDefault(t.getThreadId(), 0L);
      if (used <= 0) {
        continue;
      }
      groups.merge(group(t.getThreadName()), used, Long::sum);
      counted += used;
    }
    long total = SystemProbes.processCpuNanos() - processStart;
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), e.getValue() / 1e9));
    out.put(
        "other (GC, JIT, ended threads such as Lucene merges)", Math.max(0, total - counted) / 1e9);
    out.put("total", total / 1e9);
    return out;
  }

  /** One line: "indexer 9.1 s (45%), producers 6.0 s (30%), ...". */
  String describe() {
    return describe(Map.of());
  }

  /**
   * Like {@link #describe()}, adding the CPU nanoseconds of threads that ended during the run and
   * measured themselves (e.g. the producers), by group.
   */
  String describe(Map<String, Long> ended) {
    Map<String, Double> s = secondsByGroup(ended);
    if (s.isEmpty()) {
      return "not measured (no thread CPU time in this JVM)";
    }
    double total = s.get("total");
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Double> e : s.entrySet()) {
      if (e.getKey().equals("total")
          || e.getValue() < 0.05 * total && !e.getKey().startsWith("other")) {
        continue;
      }
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(
          String.format(
              Locale.ROOT,
              "%s %.1f s (%.0f%%)",
              e.getKey(),
              e.getValue(),
              total <= 0 ? 0 : 100 * e.getValue() / total));
    }
    return b.append(
            String.format(
                Locale.ROOT,
                "; total %.1f s. GC: %d collections, %.1f s; JIT compiling %.1f s",
                total,
                gcCount() - gcCountStart,
                (gcMillis() - gcMillisStart) / 1e3,
                (jitMillis() - jitMillisStart) / 1e3))
        .toString();
  }

  static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  /** Milliseconds the collectors report (G1: young and mixed pauses plus concurrent cycles). */
  static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
  }

  /** "bench-producer-3" and "bench-producer-0" are one group: "bench-producer-N". */
  private static String group(String name) {
    return name.replaceAll("\\d+", "N");
  }
}
