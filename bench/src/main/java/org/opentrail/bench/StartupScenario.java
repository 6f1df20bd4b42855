package org.opentrail.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code startup}: the real launcher ({@code ./opentrail} at the repository root, with {@code
 * OPENTRAIL_NO_BUILD=1}) against a data directory: the wall time of whole {@code exec
 * "store:status"} processes (JVM start, Felix, the store opening, the command, shutdown), then
 * {@code run --headless} as a child: its own "ready in X ms" and the wall time until that line, its
 * resident memory before and after a LookupEvents, and how long SIGTERM takes to stop it.
 */
final class StartupScenario {
  private static final Pattern READY = Pattern.compile("OpenTrail ready in (\\d+) ms");

  private StartupScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path root = Paths.get("").toAbsolutePath();
    Path script = root.resolve("opentrail");
    Path marker = root.resolve("launcher/target/opentrail/lib/opentrail-launcher.jar");
    if (!Files.isExecutable(script) || !Files.exists(marker)) {
      throw new IllegalStateException(
          "startup needs the repository root as working directory and a built launcher"
              + " (bench/run builds it; or run ./opentrail help once): "
              + marker);
    }
    boolean reuse = o.reuse != null;
    Path dataDir = reuse ? o.reuse.toAbsolutePath() : BenchStore.createDataDir(o.dir, "startup");
    RunHeader.print(out, "startup", o, dataDir);
    out.println(
        "data         "
            + (reuse ? "reused directory" : "empty directory")
            + "; the first start also installs the bundles into the Felix cache");

    Latencies exec = new Latencies();
    long firstExec = 0;
    for (int i = 1; i <= o.runs; i++) {
      long t0 = System.nanoTime();
      Output result = launch(root, List.of("exec", "store:status", "--data", dataDir.toString()));
      long wall = System.nanoTime() - t0;
      if (i == 1) {
        firstExec = wall;
        out.println("store:status (run 1):");
        result.stdout().lines().forEach(l -> out.println("  " + l));
      } else {
        exec.add(wall);
      }
      out.printf(
          Locale.ROOT, "exec %d       %,.0f ms wall, exit %d%n", i, wall / 1e6, result.exit());
      if (result.exit() != 0) {
        out.println("  stderr: " + result.stderr().strip());
      }
      out.flush();
    }

    Path stderr = Files.createTempFile("opentrail-bench-run-", ".stderr");
    ProcessBuilder pb =
        new ProcessBuilder(script.toString(), "run", "--headless", "--data", dataDir.toString())
            .directory(root.toFile())
            .redirectError(stderr.toFile());
    pb.environment().put("OPENTRAIL_NO_BUILD", "1");
    long t0 = System.nanoTime();
    Process p = pb.start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return lines.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    String line;
    try {
      line = firstLine.get(180, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      line = null;
    }
    long wallReady = System.nanoTime() - t0;
    Matcher m = READY.matcher(line == null ? "" : line);
    if (!m.find()) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "opentrail run did not print its ready line; got "
              + line
              + "; stderr: "
              + Files.readString(stderr));
    }
    long readyMillis = Long.parseLong(m.group(1));
    Thread drain = new Thread(() -> lines.lines().forEach(l -> {}), "bench-run-stdout");
    drain.setDaemon(true);
    drain.start();
    out.println("run          " + line);
    long rssReady = SystemProbes.rssBytes(p.pid());

    String user = new Populations().users[0].name();
    long l0 = System.nanoTime();
    Output lookup =
        launch(
            root,
            List.of(
                "exec", "event:lookup --user " + user + " --max 50", "--data", dataDir.toString()));
    long lookupWall = System.nanoTime() - l0;
    String lastLine =
        lookup.stdout().lines().reduce((a, b) -> b).orElse("(no output) " + lookup.stderr());
    Thread.sleep(500); // let the instance settle after answering
    long rssAfter = SystemProbes.rssBytes(p.pid());
    long peakAfter = SystemProbes.peakRssBytes(p.pid());

    long s0 = System.nanoTime();
    p.destroy(); // SIGTERM
    boolean stopped = p.waitFor(120, TimeUnit.SECONDS);
    long stopWall = System.nanoTime() - s0;
    if (!stopped) {
      p.destroyForcibly();
    }
    String runErrors = Files.readString(stderr).strip();
    Files.deleteIfExists(stderr);

    out.printf(
        Locale.ROOT,
        "ready        launcher says %,d ms; %,.0f ms wall from process start to that line%n",
        readyMillis,
        wallReady / 1e6);
    out.printf(
        Locale.ROOT,
        "lookup       exec \"event:lookup --user %s --max 50\" over the control socket: %,.0f ms"
            + " wall (a client JVM); %s%n",
        user,
        lookupWall / 1e6,
        lastLine.strip());
    out.printf(
        "memory       instance VmRSS %s when ready, %s after the lookup (peak %s)%n",
        SystemProbes.mib(rssReady), SystemProbes.mib(rssAfter), SystemProbes.mib(peakAfter));
    out.printf(
        Locale.ROOT,
        "stop         SIGTERM to exit: %,.0f ms, exit %s%n",
        stopWall / 1e6,
        stopped ? Integer.toString(p.exitValue()) : "none (killed)");
    if (!runErrors.isEmpty()) {
      out.println("run stderr   " + runErrors.replace("\n", "\n             "));
    }
    if (!reuse) {
      IngestScenario.finish(o, dataDir, out);
    }

    Summary s =
        new Summary(
            "startup",
            (reuse ? "data directory " + dataDir : "empty data directory")
                + ", ./opentrail with OPENTRAIL_NO_BUILD=1");
    s.add(
        "exec store:status",
        "first %,.0f ms (installs bundles); then p50 %s ms, max %s ms (%d runs)",
        firstExec / 1e6,
        Latencies.ms(exec.p50Millis()),
        Latencies.ms(exec.maxMillis()),
        exec.count());
    s.add(
        "run to ready",
        "%,d ms (launcher), %,.0f ms wall from process start",
        readyMillis,
        wallReady / 1e6);
    s.add(
        "instance RSS",
        "%s ready, %s after a lookup",
        SystemProbes.mib(rssReady),
        SystemProbes.mib(rssAfter));
    s.add("SIGTERM to exit", "%,.0f ms", stopWall / 1e6);
    s.print(out);
    return s;
  }

  record Output(int exit, String stdout, String stderr) {}

  /** Runs {@code ./opentrail args} to completion, capturing its output. */
  static Output launch(Path root, List<String> args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(root.resolve("opentrail").toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().put("OPENTRAIL_NO_BUILD", "1");
    Process p = pb.start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getErrorStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    byte[] stdout = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Output(
        p.isAlive() ? -1 : p.exitValue(),
        new String(stdout, StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }
}
