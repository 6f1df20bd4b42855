package org.opentrail.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code opentrail [run|exec|shell|verify] [options]}: runs OpenTrail, runs shell commands in it,
 * attaches a shell to the running instance, or verifies a destination offline ({@link
 * VerifyCommand}). Exit status: 0 done, 1 a command failed (or verify found something), 2 OpenTrail
 * could not start or connect, or the arguments were wrong.
 */
public final class Main {
  static final String USAGE =
      """
      usage: opentrail [command] [options]

      commands:
        run                  start OpenTrail (the default): an interactive shell on a terminal,
                             headless otherwise; stops cleanly on Ctrl-C / SIGTERM
        exec "cmd; cmd"      run shell commands (in the running instance if there is one, else in
                             a temporary one); exit status 1 if a command fails
        shell                attach a shell to the running instance (its owner only)
        verify DIR --keys F  verify a trail destination offline: its signed digests and log files
                             (without starting OpenTrail); opentrail verify --help for its options
        help                 this text

      options:
        --data DIR           the data directory (default ./data)
        --features a,b       features to install (default core,shell,auth,trail,http,
                             sink-file,sink-logstore,consume,logsearch,logservice,
                             alerts,source-minio,source-kubernetes,proof,selfaudit);
                             see features/*.feature
        --http HOST:PORT     where the HTTP API listens (default 127.0.0.1:8181; also
                             org.apache.felix.http.host / org.osgi.service.http.port in
                             <data>/instance.properties)
        --headless           no interactive shell even on a terminal
      """;

  /** What `opentrail run` installs unless told otherwise: everything for a working default. */
  static final List<String> DEFAULT_FEATURES =
      List.of(
          "core",
          "shell",
          "auth",
          "trail",
          "http",
          "sink-file",
          "sink-logstore",
          "consume",
          "logsearch",
          "logservice",
          "alerts",
          "source-minio",
          "source-kubernetes",
          // before selfaudit: bundles stop in the reverse order, so the final stream digest
          // signs the StopOpenTrail event selfaudit records as it stops
          "proof",
          "selfaudit");

  // Gogo replaces System.out and System.err while it runs; keep the real ones.
  private static final PrintStream OUT = System.out;
  private static final PrintStream ERR = System.err;

  private Main() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (LaunchException e) {
      ERR.println("opentrail: " + e.getMessage());
      status = 2;
    } catch (Exception e) {
      ERR.println("opentrail: " + e);
      status = 2;
    }
    System.exit(status);
  }

  static int run(String[] argv) throws Exception {
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    // the command may come before or after the options: `opentrail --data d exec "..."` too
    String command = null;
    Path data = Paths.get("data");
    List<String> features = DEFAULT_FEATURES;
    boolean headless = false;
    Map<String, String> extra = new HashMap<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--data" -> data = Paths.get(value(args, ++i, a));
        case "--features" ->
            features =
                Arrays.stream(value(args, ++i, a).split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
        case "--headless" -> headless = true;
        case "--http" -> extra.putAll(http(value(args, ++i, a)));
        default -> {
          if (a.startsWith("--")) {
            throw new LaunchException("unknown option " + a + "\n" + USAGE);
          }
          if (command == null && rest.isEmpty() && a.equals("verify")) {
            // its own options; no framework, no data directory
            return VerifyCommand.run(args.subList(i + 1, args.size()), OUT, ERR);
          }
          if (command == null && rest.isEmpty()) {
            command = a;
          } else {
            rest.add(a);
          }
        }
      }
    }
    if (command == null) {
      command = "run";
    }
    if ((command.equals("run") || command.equals("shell")) && !rest.isEmpty()) {
      throw new LaunchException(
          command
              + " takes no commands ("
              + String.join(" ", rest)
              + "); did you mean exec?\n"
              + USAGE);
    }
    return switch (command) {
      case "run" -> runInstance(home(), data, features, extra, headless);
      case "exec" -> {
        if (rest.isEmpty()) {
          throw new LaunchException(
              "exec needs the commands to run, e.g. opentrail exec \"store:status\"");
        }
        yield exec(home(), data, features, extra, String.join(" ", rest));
      }
      case "shell" -> attach(data);
      case "help", "--help", "-h" -> {
        OUT.print(USAGE);
        yield 0;
      }
      default -> throw new LaunchException("unknown command '" + command + "'\n" + USAGE);
    };
  }

  /** The framework properties of {@code --http HOST:PORT} (an IPv6 address in brackets). */
  static Map<String, String> http(String value) throws LaunchException {
    int colon = value.lastIndexOf(':');
    String host = colon > 0 ? value.substring(0, colon) : "";
    String port = colon > 0 ? value.substring(colon + 1) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
      throw new LaunchException("--http needs HOST:PORT, e.g. 127.0.0.1:8181, not '" + value + "'");
    }
    return Map.of("org.apache.felix.http.host", host, "org.osgi.service.http.port", port);
  }

  private static String value(List<String> args, int i, String option) throws LaunchException {
    if (i >= args.size()) {
      throw new LaunchException(option + " needs a value");
    }
    return args.get(i);
  }

  /** The distribution: the directory above lib/ that holds the launcher jar. */
  static Path home() throws LaunchException {
    String configured = System.getProperty("opentrail.home");
    if (configured != null) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    try {
      Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path home = jar.getParent().getParent();
      if (Files.isDirectory(home.resolve("bundles"))
          && Files.isDirectory(home.resolve("features"))) {
        return home;
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall through
    }
    throw new LaunchException(
        "Cannot find the OpenTrail distribution (bundles/ and features/); set -Dopentrail.home");
  }

  private static int runInstance(
      Path home, Path data, List<String> features, Map<String, String> extra, boolean headless)
      throws Exception {
    boolean interactive = !headless && System.console() != null && features.contains("shell");
    System.setProperty("opentrail.console.level", interactive ? "OFF" : "WARN");
    if (ControlClient.connect(data) != null) {
      throw new LaunchException(
          "OpenTrail is already running with data directory "
              + data.toAbsolutePath()
              + "; attach to it with: opentrail shell");
    }
    Platform platform = Platform.start(home, data, features, extra, Duration.ofSeconds(60));
    ControlServer control =
        new ControlServer(ControlServer.socketPath(platform.dataDirectory()), platform);
    Thread stopper = new Thread(() -> stop(control, platform), "opentrail-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    String banner =
        "OpenTrail ready in "
            + platform.startMillis()
            + " ms; data in "
            + platform.dataDirectory()
            + ".";
    if (!interactive) {
      OUT.println(
          banner
              + " Attach a shell with: opentrail shell --data "
              + data
              + "   Stop with Ctrl-C or SIGTERM.");
      platform.waitForStop();
      return 0;
    }
    try (GogoSession session = platform.session(System.in, OUT, ERR).channel("local console")) {
      Console.run(
          line -> local(session, line),
          platform.dataDirectory().resolve("run/history"),
          banner,
          true);
    }
    OUT.println("Stopping OpenTrail...");
    return 0; // the shutdown hook stops the framework when main exits
  }

  private static void stop(ControlServer control, Platform platform) {
    try {
      control.close();
    } catch (IOException e) {
      // the socket file is gone already
    }
    platform.close();
  }

  private static ControlProtocol.Response local(GogoSession session, String line) {
    String error = session.run(line, OUT); // output goes straight to the terminal
    return new ControlProtocol.Response("", error);
  }

  private static int exec(
      Path home, Path data, List<String> features, Map<String, String> extra, String commands)
      throws Exception {
    try (ControlClient client = ControlClient.connect(data)) {
      if (client != null) {
        return report(client.execute(commands));
      }
    }
    System.setProperty("opentrail.console.level", "WARN");
    // a temporary instance runs shell commands only: unless told where, its HTTP API listens on a
    // free loopback port, so it cannot collide with an instance serving the usual port
    Map<String, String> props = new HashMap<>(extra);
    props.putIfAbsent("org.osgi.service.http.port", "0");
    try (Platform platform = Platform.start(home, data, features, props, Duration.ofSeconds(60))) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      try (PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
          GogoSession session =
              platform
                  .session(InputStream.nullInputStream(), sink, sink)
                  .channel("exec (temporary instance)")) {
        String error = session.run(commands, sink);
        return report(
            new ControlProtocol.Response(captured.toString(StandardCharsets.UTF_8), error));
      }
    }
  }

  private static int report(ControlProtocol.Response r) {
    OUT.print(r.output());
    OUT.flush();
    if (r.failed()) {
      ERR.println("Error: " + r.error());
      return 1;
    }
    return 0;
  }

  private static int attach(Path data) throws Exception {
    ControlClient client = ControlClient.connect(data);
    if (client == null) {
      throw new LaunchException(
          "No OpenTrail is running with data directory "
              + data.toAbsolutePath()
              + "; start one with: opentrail run --data "
              + data);
    }
    try (client) {
      if (System.console() == null) {
        // commands from a pipe, one per line
        java.io.BufferedReader in =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        int status = 0;
        for (String line; (line = in.readLine()) != null; ) {
          if (!line.isBlank()) {
            status = Math.max(status, report(client.execute(line)));
          }
        }
        return status;
      }
      Console.run(
          client::execute,
          data.toAbsolutePath().resolve("run/history"),
          "Attached to OpenTrail in " + data.toAbsolutePath() + ".",
          false);
      return 0;
    }
  }
}
