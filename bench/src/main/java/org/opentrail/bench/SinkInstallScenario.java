package org.opentrail.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code sink-install}: the real launcher with trails but no sink bundle, a trail with a backlog
 * waiting for sink type {@code file}; the time from dropping the file sink's jar into {@code
 * deploy/} to the first file the trail delivers. Repeated {@code --runs} times (undeploying in
 * between); then once through the shell ({@code start file:...} over {@code opentrail exec}).
 */
final class SinkInstallScenario {
  private SinkInstallScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    Path root = Paths.get("").toAbsolutePath();
    Path jar = root.resolve("launcher/target/opentrail/bundles/org.opentrail.sink.file.jar");
    Path dataDir = BenchStore.createDataDir(o.dir, "sink-install");
    RunHeader.print(out, "sink-install", o, dataDir);
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("opentrail").toString(),
                "run",
                "--headless",
                "--features",
                "core,shell,trail",
                "--data",
                dataDir.toString())
            .directory(root.toFile())
            .redirectErrorStream(true);
    pb.environment().put("OPENTRAIL_NO_BUILD", "1");
    Process running = pb.start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8));
    out.println("run          " + lines.readLine());
    Thread drain = new Thread(() -> lines.lines().forEach(l -> {}));
    drain.setDaemon(true);
    drain.start();
    Latencies deploy = new Latencies();
    try {
      exec(root, dataDir, "auth:grant; trail:create install-trail --start file:bucket=install");
      Path events = Files.createTempFile("opentrail-bench-events", ".json");
      StringBuilder json = new StringBuilder("[");
      for (int i = 0; i < 100; i++) {
        json.append(i == 0 ? "" : ",")
            .append(
                "{\"eventName\":\"PutObject\",\"eventRW\":\"Write\",\"serviceName\":\"Oss\",\"userIdentity\":{\"type\":\"ram-user\",\"userName\":\"u\"}}");
      }
      Files.writeString(events, json.append("]").toString());
      Path deployed = dataDir.resolve("deploy/org.opentrail.sink.file.jar");
      for (int run = 1; run <= o.runs; run++) {
        exec(root, dataDir, "event:record " + events); // a backlog waits for the sink type
        BenchStore.delete(dataDir.resolve("oss"));
        long t0 = System.nanoTime();
        Files.copy(jar, deployed);
        long ms = waitForFile(dataDir.resolve("oss"), t0);
        deploy.add(ms * 1_000_000L);
        out.printf(
            Locale.ROOT,
            "deploy %d     jar dropped into deploy/ -> first delivered file: %,d ms%n",
            run,
            ms);
        Files.delete(deployed); // undeploy, and wait until the sink type is gone
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (exec(root, dataDir, "sink:list").contains("file") && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
      }
      exec(root, dataDir, "event:record " + events);
      BenchStore.delete(dataDir.resolve("oss"));
      long t0 = System.nanoTime();
      exec(root, dataDir, "start file:" + jar);
      long shellMs = waitForFile(dataDir.resolve("oss"), t0);
      out.printf(
          Locale.ROOT,
          "shell        opentrail exec \"start file:...\" (a client JVM starting included) -> first delivered file: %,d ms%n",
          shellMs);
      Files.delete(events);
      Summary s =
          new Summary(
              "sink-install",
              "sink bundle installed into a running OpenTrail -> first delivered batch");
      s.add(
          "via deploy/",
          "p50 %s ms, max %s ms over %d runs (File Install polls every 250 ms)",
          Latencies.ms(deploy.p50Millis()),
          Latencies.ms(deploy.maxMillis()),
          o.runs);
      s.add("via the shell", "%,d ms including the client JVM's start", shellMs);
      s.print(out);
      return s;
    } finally {
      running.destroy();
      running.waitFor();
      IngestScenario.finish(o, dataDir, out);
    }
  }

  private static String exec(Path root, Path dataDir, String commands) throws Exception {
    StartupScenario.Output r =
        StartupScenario.launch(root, List.of("exec", commands, "--data", dataDir.toString()));
    if (r.exit() != 0) {
      throw new IllegalStateException("opentrail exec \"" + commands + "\" failed: " + r.stderr());
    }
    return r.stdout();
  }

  /** Milliseconds from {@code t0} until a delivered file is in {@code dir}. */
  private static long waitForFile(Path dir, long t0) throws Exception {
    long deadline = t0 + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.walk(dir)) {
          if (s.anyMatch(
              p ->
                  p.getFileName().toString().endsWith(".gz")
                      && !p.getFileName().toString().startsWith("."))) {
            return (System.nanoTime() - t0) / 1_000_000;
          }
        }
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no file was delivered within 60 s");
  }
}
