package org.opentrail.tests.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrail.launcher.GogoSession;
import org.opentrail.launcher.Platform;

/**
 * A real OpenTrail (the distribution's launcher and bundles) with the HTTP API and the web console
 * on a free loopback port, driven through its shell.
 */
final class Console implements AutoCloseable {
  static final Path HOME =
      Paths.get(System.getProperty("opentrail.home", "../../launcher/target/opentrail"));

  final Platform platform;
  final int port;
  final String base;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
  private final GogoSession session;

  Console(Path data) throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    platform =
        Platform.start(
            HOME,
            data,
            List.of(
                "core",
                "shell",
                "auth",
                "trail",
                "http",
                "console",
                "sink-file",
                "sink-logstore",
                "logsearch"),
            Map.of(
                "org.osgi.service.http.port",
                Integer.toString(port),
                "org.apache.felix.http.host",
                "127.0.0.1"),
            Duration.ofSeconds(60));
    session = platform.session(InputStream.nullInputStream(), sink, sink);
    base = "http://127.0.0.1:" + port + "/console";
    awaitConsole();
  }

  private void awaitConsole() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/signin")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("the console did not answer at " + base + "/signin within 30 s");
  }

  String account() {
    return platform.context().getProperty("opentrail.account.id");
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

  /** Creates a user with a policy (document JSON) and a console password; answers the password. */
  String user(Path dir, String name, String policyDocument) throws Exception {
    Path doc = dir.resolve(name + "-policy.json");
    Files.writeString(doc, policyDocument);
    run("auth:useradd " + name);
    run("auth:policyadd " + name + "-policy @" + doc);
    run("auth:attach " + name + "-policy " + name);
    Matcher m =
        Pattern.compile("\\(shown only now\\): (\\S+)").matcher(run("auth:password " + name));
    if (!m.find()) {
      fail("auth:password printed no password");
    }
    return m.group(1);
  }

  /** Records events (a JSON array) through event:record; answers their eventIds in order. */
  List<String> record(Path dir, String json) throws Exception {
    Path f = Files.createTempFile(dir, "events", ".json");
    Files.writeString(f, json);
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\d+ \\S+ (\\S+)$").matcher(run("event:record " + f));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (Exception e) {
      // closing anyway
    }
    platform.close();
  }
}
