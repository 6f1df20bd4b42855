package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrail.launcher.GogoSession;
import org.opentrail.launcher.Platform;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A real OpenTrail (the distribution's bundles in Felix) on a data directory, driven through its
 * shell.
 */
final class Instance implements AutoCloseable {
  static final Path HOME =
      Paths.get(System.getProperty("opentrail.home", "../../launcher/target/opentrail"));
  static final Path SAMPLE_SOURCE =
      Paths.get(System.getProperty("sample.source.jar", "target/test-bundles/sample-source.jar"));

  final Platform platform;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
  private final GogoSession session;

  Instance(Path data) throws Exception {
    this(data, List.of("core", "shell"));
  }

  Instance(Path data, List<String> features) throws Exception {
    this(data, features, Map.of());
  }

  /**
   * @param extra framework properties, e.g. the HTTP port
   */
  Instance(Path data, List<String> features, Map<String, String> extra) throws Exception {
    platform = Platform.start(HOME, data, features, extra, Duration.ofSeconds(60));
    session = platform.session(InputStream.nullInputStream(), sink, sink);
  }

  /** Everything a default run has, with the HTTP API on a free loopback port. */
  static Instance withHttp(Path data, String... moreFeatures) throws Exception {
    int port = freePort();
    List<String> features =
        new java.util.ArrayList<>(
            List.of("core", "shell", "auth", "trail", "http", "sink-file", "sink-logstore"));
    features.addAll(List.of(moreFeatures));
    Instance ot =
        new Instance(data, features, Map.of("org.osgi.service.http.port", Integer.toString(port)));
    ot.httpPort = port;
    ot.awaitHttp();
    return ot;
  }

  int httpPort;

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Waits until the API answers on its port (the whiteboard registers the servlet asynchronously).
   */
  void awaitHttp() {
    await(
        Duration.ofSeconds(30),
        () -> {
          try (java.net.Socket s =
              new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), httpPort)) {
            return true;
          } catch (java.io.IOException e) {
            return false;
          }
        },
        "the HTTP API to listen on port " + httpPort);
  }

  /** The first account's root access key, from the credentials file the first start wrote. */
  ApiClient.Key rootKey() throws java.io.IOException {
    java.util.Properties p = new java.util.Properties();
    try (InputStream in =
        java.nio.file.Files.newInputStream(platform.dataDirectory().resolve("credentials"))) {
      p.load(in);
    }
    return new ApiClient.Key(p.getProperty("access_key_id"), p.getProperty("access_key_secret"));
  }

  BundleContext context() {
    return platform.context();
  }

  /** Runs shell commands; fails the test if one fails; answers what they printed. */
  String run(String commands) {
    captured.reset();
    String error = session.run(commands, sink);
    String out = captured.toString(StandardCharsets.UTF_8);
    if (error != null) {
      fail("'" + commands + "' failed: " + error + "\n" + out);
    }
    return out;
  }

  /** Runs a command; answers its error as an operator sees it, or {@code null} if it succeeded. */
  String attempt(String command) {
    captured.reset();
    return session.run(command, sink);
  }

  /** Runs a command that must fail; answers the error as an operator sees it. */
  String fails(String command) {
    captured.reset();
    String error = session.run(command, sink);
    assertNotNull(
        error,
        "'"
            + command
            + "' should have failed but printed:\n"
            + captured.toString(StandardCharsets.UTF_8));
    return error;
  }

  /** Runs a command that must fail; answers what it printed, then the error. */
  String failsPrinting(String command) {
    String error = fails(command);
    return captured.toString(StandardCharsets.UTF_8) + "\n" + error;
  }

  /** The default account of this instance. */
  String account() {
    return context().getProperty("opentrail.account.id");
  }

  /**
   * Records {@code n} events by {@code user} through the real EventRecorder (called by reflection:
   * the test shares no classes with the bundles); answers their eventIds.
   */
  List<String> record(int n, String user) throws Exception {
    Services.Service recorder = Services.get(context(), "org.opentrail.api.event.EventRecorder");
    java.lang.reflect.Method parse =
        recorder.load("org.opentrail.api.event.EventJson").getMethod("parseEvents", byte[].class);
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "{" : ",{")
          .append(
              "\"eventName\":\"PutObject\",\"eventRW\":\"Write\",\"serviceName\":\"Oss\",\"acsRegion\":\"cn-test\",")
          .append("\"userIdentity\":{\"type\":\"ram-user\",\"userName\":\"")
          .append(user)
          .append("\"},")
          .append("\"resourceName\":\"object-")
          .append(i)
          .append("\",\"requestParameters\":{\"Padding\":\"")
          .append("p".repeat(300))
          .append("\"}}");
    }
    json.append(']');
    Object events = parse.invoke(null, (Object) json.toString().getBytes(StandardCharsets.UTF_8));
    Object result = recorder.call("record", context().getProperty("opentrail.account.id"), events);
    List<String> ids = new java.util.ArrayList<>();
    for (Object outcome : (List<?>) Services.get(result, "outcomes")) {
      ids.add((String) Services.get(outcome, "eventId"));
    }
    return ids;
  }

  /** The events a trail's destinations have not delivered yet, summed. */
  long trailLag(String trail) {
    Matcher m =
        Pattern.compile("\"LagEvents\":(\\d+)").matcher(run("trail:status --json " + trail));
    long lag = 0;
    while (m.find()) {
      lag += Long.parseLong(m.group(1));
    }
    return lag;
  }

  /**
   * Waits until every destination of {@code trail} has delivered all its events (a lag of 0),
   * asking every 250 ms (a status counts the backlog, so it is not free); a timeout fails with the
   * trail's status, which says where each destination stands and its last error.
   */
  void awaitDelivered(String trail, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (trailLag(trail) != 0) {
      if (System.nanoTime() > deadline) {
        fail(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for trail "
                + trail
                + " to deliver:\n"
                + run("trail:status " + trail));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /** Waits until lookups see every stored event of the history. */
  void awaitIndexed() {
    await(
        Duration.ofSeconds(30),
        () -> {
          String s = run("store:status --json");
          return number(s, "lastSequence") <= number(s, "indexedSequence");
        },
        "the index to catch up");
  }

  long storedEvents() {
    return number(run("store:status --json"), "events");
  }

  static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    if (!m.find()) {
      fail("no " + field + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  Bundle bundle(String symbolicName) {
    for (Bundle b : context().getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    return null;
  }

  /** Polls (every 20 ms) until {@code condition} holds, or fails after {@code timeout}. */
  static void await(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  @Override
  public void close() {
    session.close();
    platform.close();
  }
}
