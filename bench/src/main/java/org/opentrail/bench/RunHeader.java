package org.opentrail.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The header every scenario starts with: when, on what (cores, CPU, memory, Java, file system) and
 * with exactly which command line, so a figure can always be traced to its conditions.
 */
final class RunHeader {
  private RunHeader() {}

  static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.SECONDS)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  static String javaVersion() {
    return System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vm.name")
        + ")";
  }

  /** Date, cores and Java in one line, for summaries. */
  static String oneLine() {
    return now()
        + ", nproc "
        + Runtime.getRuntime().availableProcessors()
        + ", Java "
        + System.getProperty("java.runtime.version")
        + ", load "
        + SystemProbes.loadAverage();
  }

  static void print(PrintStream out, String scenario, BenchOptions o, Path dataDir) {
    out.println("=== OpenTrail bench: " + scenario + " ===");
    out.println("date         " + now());
    out.println("command      " + o.commandLine());
    out.println(
        "machine      nproc "
            + Runtime.getRuntime().availableProcessors()
            + ", "
            + SystemProbes.cpuModel()
            + ", RAM "
            + SystemProbes.memTotal()
            + ", load average "
            + SystemProbes.loadAverage());
    out.println("java         " + javaVersion() + ", " + SystemProbes.jvmArguments());
    out.println(
        "os           "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    if (dataDir != null) {
      out.println("data dir     " + dataDir + " (" + SystemProbes.fileSystem(dataDir) + ")");
    }
    if (!o.storeConfig.isEmpty()) {
      out.println("store config " + o.storeConfig + " (defaults otherwise)");
    }
    out.flush();
  }
}
