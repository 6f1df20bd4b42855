package org.opentrail.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the machine and processes look like from the outside: resident memory from {@code
 * /proc/<pid>/status}, heap use, disk use as {@code du} counts it, the file system, the load. Linux
 * only; anything unreadable is reported as unknown rather than guessed.
 */
final class SystemProbes {
  private SystemProbes() {}

  /** VmRSS of a process in bytes, or -1 if it cannot be read. */
  static long rssBytes(long pid) {
    long kb = statusLine(Paths.get("/proc", Long.toString(pid), "status"), "VmRSS:");
    return kb < 0 ? -1 : kb * 1024;
  }

  /** VmHWM (peak resident memory) of a process in bytes, or -1. */
  static long peakRssBytes(long pid) {
    long kb = statusLine(Paths.get("/proc", Long.toString(pid), "status"), "VmHWM:");
    return kb < 0 ? -1 : kb * 1024;
  }

  private static volatile long clockTicks;

  /**
   * CPU time (user + system, all threads) another process has used so far, from {@code
   * /proc/<pid>/stat}, in nanoseconds with the resolution of a clock tick; -1 if unreadable.
   */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      // the fields after "(comm)": state is field 3, utime 14 and stime 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 1_000_000_000L / clockTicksPerSecond();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time all processes of the machine have used so far (user, nice, system, irq, softirq and
   * steal of {@code /proc/stat}), in nanoseconds; -1 if unreadable. Less the CPU of the processes a
   * scenario knows, it shows what else kept the cores busy during a measurement.
   */
  static long machineBusyNanos() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          String[] f = line.substring(4).strip().split("\\s+");
          long ticks = 0;
          for (int i : new int[] {0, 1, 2, 5, 6, 7}) {
            ticks += i < f.length ? Long.parseLong(f[i]) : 0;
          }
          return ticks * 1_000_000_000L / clockTicksPerSecond();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  private static long clockTicksPerSecond() {
    long t = clockTicks;
    if (t == 0) {
      String out = run(List.of("getconf", "CLK_TCK"));
      try {
        t = out == null ? 100 : Long.parseLong(out.strip());
      } catch (NumberFormatException e) {
        t = 100;
      }
      clockTicks = t;
    }
    return t;
  }

  /** CPU time this JVM has used so far (all threads, GC and JIT included), or -1. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  static long selfPid() {
    return ProcessHandle.current().pid();
  }

  /** Heap in use right now (live and not yet collected garbage). */
  static long heapUsedBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  static long heapCommittedBytes() {
    return Runtime.getRuntime().totalMemory();
  }

  /**
   * Heap in use after a full collection: the live set. Waits two seconds afterwards, because G1
   * gives freed heap back to the OS concurrently, so resident memory read next reflects it.
   */
  static long heapLiveBytes() {
    System.gc();
    long live = heapUsedBytes();
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return live;
  }

  /** Bytes allocated on disk under {@code dir}, as {@code du -s -B1} counts them; -1 if unknown. */
  static long duBytes(Path dir) {
    String out = run(List.of("du", "-s", "-B1", dir.toString()));
    if (out == null || out.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(out.strip().split("\\s+")[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The sum of the sizes of the regular files under {@code dir} (what {@code du -sb} says). */
  static long apparentBytes(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  /** The file system type of {@code dir} (ext4, xfs, tmpfs, ...), or "unknown". */
  static String fileSystem(Path dir) {
    String out = run(List.of("df", "--output=fstype,source", dir.toString()));
    if (out == null || out.isBlank()) {
      return "unknown";
    }
    List<String> lines = out.strip().lines().toList();
    return lines.get(lines.size() - 1).strip().replaceAll("\\s+", " on ");
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).strip().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String cpuModel() {
    try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | UncheckedIOException e) {
      return "unknown";
    }
  }

  static String memTotal() {
    long kb = statusLine(Paths.get("/proc/meminfo"), "MemTotal:");
    return kb < 0 ? "unknown" : mib(kb * 1024);
  }

  private static long statusLine(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /** The output of a short command (stdout and stderr), or {@code null} if it failed. */
  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static String jvmArguments() {
    return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  static String mib(long bytes) {
    if (bytes < 0) {
      return "unknown";
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  static String bytes(long bytes) {
    if (bytes < 0) {
      return "unknown";
    }
    if (bytes < 10 * 1024) {
      return bytes + " B";
    }
    if (bytes < 10L << 20) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 10L << 30) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
  }
}
