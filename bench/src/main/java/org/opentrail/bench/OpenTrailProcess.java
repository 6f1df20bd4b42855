package org.opentrail.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opentrail.api.event.EventJson;

/**
 * A real OpenTrail as a child process, {@code ./opentrail run --headless --http 127.0.0.1:<free
 * port> --data DIR [--features a,b]} with {@code OPENTRAIL_NO_BUILD=1} (the JVM options are the
 * script's, plus {@code JAVA_OPTS} if set), for the HTTP scenarios: started, waited for until its
 * port accepts connections, the first start's credentials file exists and a signed call is
 * answered; probed from outside for CPU time and resident memory; asked for {@code store:status}
 * over {@code opentrail exec}; stopped with SIGTERM.
 */
final class OpenTrailProcess implements AutoCloseable {
  private static final int TAIL_LINES = 200;

  /** What {@code store:status --json} says, summed over the streams (history for the times). */
  record StoreStatus(
      long events, long lastSequence, long indexedSequence, Instant oldest, Instant newest) {
    long lag() {
      return Math.max(0, lastSequence - indexedSequence);
    }
  }

  final Path root;
  final Path dataDir;
  final int port;
  final Process process;
  final HttpApi.Credentials credentials;
  final HttpApi api;

  /** Wall time from starting the process to the first answered signed call. */
  final long readyNanos;

  private final Deque<String> tail = new ArrayDeque<>();
  private volatile String readyLine;

  private OpenTrailProcess(Path root, Path dataDir, int port, Process process, long t0)
      throws Exception {
    this.root = root;
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
    Thread drain = new Thread(this::drain, "opentrail-child-output");
    drain.setDaemon(true);
    drain.start();
    this.credentials = awaitListening(t0);
    this.api = new HttpApi(port, credentials);
    awaitAnswering(t0);
    this.readyNanos = System.nanoTime() - t0;
  }

  /** Starts OpenTrail over {@code dataDir} and waits until it answers signed calls. */
  static OpenTrailProcess start(Path dataDir, PrintStream out) throws Exception {
    return start(dataDir, out, List.of());
  }

  /**
   * Starts OpenTrail over {@code dataDir} with {@code --features} (the launcher's defaults if
   * empty) and waits until it answers signed calls.
   */
  static OpenTrailProcess start(Path dataDir, PrintStream out, List<String> features)
      throws Exception {
    Path root = Paths.get("").toAbsolutePath();
    Path marker = root.resolve("launcher/target/opentrail/lib/opentrail-launcher.jar");
    Path http = root.resolve("launcher/target/opentrail/bundles/org.opentrail.http.jar");
    if (!Files.isExecutable(root.resolve("opentrail")) || !Files.exists(marker)) {
      throw new IllegalStateException(
          "the HTTP scenarios need the repository root as working directory and a built launcher"
              + " (./opentrail help builds it): "
              + marker);
    }
    if (!Files.exists(http)) {
      throw new IllegalStateException("the launcher has no HTTP API bundle yet: " + http);
    }
    int port = freePort();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                root.resolve("opentrail").toString(),
                "run",
                "--headless",
                "--http",
                "127.0.0.1:" + port,
                "--data",
                dataDir.toString()));
    if (!features.isEmpty()) {
      command.add("--features");
      command.add(String.join(",", features));
    }
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("OPENTRAIL_NO_BUILD", "1");
    String javaOpts = System.getenv("JAVA_OPTS");
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      OpenTrailProcess o = new OpenTrailProcess(root, dataDir, port, p, t0);
      out.printf(
          Locale.ROOT,
          "opentrail    pid %d, http://127.0.0.1:%d/,%s JAVA_OPTS %s; answering %,.0f ms after"
              + " the process started%s%n",
          p.pid(),
          port,
          features.isEmpty() ? "" : " --features " + String.join(",", features) + ",",
          javaOpts == null || javaOpts.isBlank() ? "unset" : "'" + javaOpts + "'",
          o.readyNanos / 1e6,
          o.readyLine == null ? "" : " (" + o.readyLine.strip() + ")");
      out.printf(
          "account      %s, root access key %s (from %s)%n",
          o.credentials.accountId(), o.credentials.accessKeyId(), dataDir.resolve("credentials"));
      out.flush();
      return o;
    } catch (Exception | Error e) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** --set configures the in-process store; it does not reach a child process. */
  static void refuseStoreConfig(BenchOptions o) {
    if (!o.storeConfig.isEmpty()) {
      throw new IllegalArgumentException(
          "--set configures the in-process store of the other scenarios; the HTTP scenarios run"
              + " OpenTrail as a child process with its default configuration");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void drain() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = lines.readLine()) != null; ) {
        if (readyLine == null && l.contains("OpenTrail ready")) {
          readyLine = l;
        }
        synchronized (tail) {
          if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
          }
          tail.addLast(l);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  /** The last lines the process printed (its log), for failure messages. */
  String tail(int lines) {
    synchronized (tail) {
      List<String> all = List.copyOf(tail);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  /** Lines of the process's output that look like warnings or errors. */
  List<String> problems() {
    synchronized (tail) {
      return tail.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
    }
  }

  private HttpApi.Credentials awaitListening(long t0) throws Exception {
    Path file = dataDir.resolve("credentials");
    long deadline = t0 + 180_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "opentrail run exited with status "
                + process.exitValue()
                + " before answering; its output:\n"
                + tail(60));
      }
      if (Files.exists(file) && accepts()) {
        // written atomically by the first start, but be patient with a reader racing a writer
        for (int i = 0; ; i++) {
          try {
            return HttpApi.Credentials.read(file);
          } catch (IOException e) {
            if (i == 20) {
              throw e;
            }
            Thread.sleep(100);
          }
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "opentrail run did not listen on port "
            + port
            + " with "
            + file
            + " written within 180 s; its output:\n"
            + tail(60));
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits until a signed DescribeRegions is answered with 200 (the servlet registers with the
   * whiteboard a moment after Jetty listens: 404 until then). Any other answer is a failure.
   */
  private void awaitAnswering(long t0) throws Exception {
    long deadline = t0 + 180_000_000_000L;
    HttpApi.Answer last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = api.call("DescribeRegions", Map.of());
        if (last.status() == 200) {
          return;
        }
        if (last.status() != 404 && last.status() != 503) {
          throw new IllegalStateException(
              "a signed DescribeRegions was answered "
                  + last.status()
                  + ": "
                  + last.clipped(2000)
                  + "\nopentrail's output:\n"
                  + tail(40));
        }
      } catch (IOException e) {
        // not yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "opentrail run exited with status "
                + process.exitValue()
                + "; its output:\n"
                + tail(60));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "opentrail did not answer a signed DescribeRegions within 180 s; last answer "
            + (last == null ? "none" : last.status() + " " + last.clipped(2000))
            + "\nits output:\n"
            + tail(40));
  }

  /** CPU time the process has used (user + system, all threads), or -1. */
  long cpuNanos() {
    return SystemProbes.cpuNanos(process.pid());
  }

  long rssBytes() {
    return SystemProbes.rssBytes(process.pid());
  }

  long peakRssBytes() {
    return SystemProbes.peakRssBytes(process.pid());
  }

  /** {@code store:status --json} through {@code opentrail exec} (a client JVM, ~1 s). */
  StoreStatus storeStatus() throws Exception {
    StartupScenario.Output r =
        StartupScenario.launch(
            root, List.of("exec", "store:status --json", "--data", dataDir.toString()));
    if (r.exit() != 0) {
      throw new IllegalStateException("opentrail exec \"store:status --json\": " + r.stderr());
    }
    String json = r.stdout().strip();
    int brace = json.indexOf('{');
    Object doc =
        EventJson.read(json.substring(Math.max(0, brace)).getBytes(StandardCharsets.UTF_8));
    long events = 0;
    long last = 0;
    long indexed = 0;
    Instant oldest = null;
    Instant newest = null;
    for (Object o : (List<?>) ((Map<?, ?>) doc).get("streams")) {
      Map<?, ?> s = (Map<?, ?>) o;
      events += ((Number) s.get("events")).longValue();
      long l = ((Number) s.get("lastSequence")).longValue();
      long i = ((Number) s.get("indexedSequence")).longValue();
      last += l;
      indexed += Math.min(l, i);
      if ("history".equals(s.get("name"))) {
        oldest =
            s.get("oldestEventTime") == null
                ? null
                : Instant.parse((String) s.get("oldestEventTime"));
        newest =
            s.get("newestEventTime") == null
                ? null
                : Instant.parse((String) s.get("newestEventTime"));
      }
    }
    return new StoreStatus(events, last, indexed, oldest, newest);
  }

  /**
   * Polls {@code store:status} until every stream is indexed up to its last event; answers the
   * final status. The resolution is that of an {@code exec} (about a second).
   */
  StoreStatus awaitIndexed(long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (true) {
      StoreStatus s = storeStatus();
      if (s.lag() == 0 || System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(250);
    }
  }

  /** SIGTERM, and the time until the process exits (killed after 120 s). */
  long stop() throws InterruptedException {
    long t0 = System.nanoTime();
    process.destroy();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    return System.nanoTime() - t0;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }

  /**
   * Waits for {@code workers}; with {@code progress}, prints every 5 seconds how far {@code count}
   * got, its rate and this process's CPU.
   *
   * @param unit what {@code count} counts, e.g. {@code acked} or {@code calls}
   */
  void await(
      Thread[] workers,
      long startNanos,
      java.util.function.LongSupplier count,
      String unit,
      java.io.PrintStream progress)
      throws InterruptedException {
    long lastCount = 0;
    long lastTime = startNanos;
    long lastCpu = cpuNanos();
    for (Thread w : workers) {
      while (w.isAlive()) {
        w.join(5000);
        long now = System.nanoTime();
        if (progress != null && w.isAlive() && now - lastTime >= 4_900_000_000L) {
          long n = count.getAsLong();
          long cpu = cpuNanos();
          progress.printf(
              java.util.Locale.ROOT,
              "  %5.1f s  %,12d %s  %,9.0f %s/s  opentrail %.2f cores%n",
              (now - startNanos) / 1e9,
              n,
              unit,
              (n - lastCount) * 1e9 / (now - lastTime),
              unit,
              (cpu - lastCpu) / (double) (now - lastTime));
          progress.flush();
          lastCount = n;
          lastTime = now;
          lastCpu = cpu;
        }
      }
    }
  }
}
