package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as operators use it: separate processes, exit codes, the control socket, SIGTERM.
 */
class LauncherTest {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  private ProcessBuilder launcher(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Instance.HOME.resolve("lib").toAbsolutePath() + "/*",
                "org.opentrail.launcher.Main"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile());
  }

  private Result launch(String stdin, String... args) throws Exception {
    Process p = launcher(args).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out, err);
  }

  @Test
  void execAnswersWithTheExitStatusOfItsCommands() throws Exception {
    Files.writeString(dir.resolve("e.json"), PlatformTest.events("dora", 2));
    Result ok = launch(null, "exec", "event:record e.json; store:status", "--data", "d");
    assertEquals(0, ok.status(), ok.err());
    assertTrue(
        ok.out().contains("2 accepted") && ok.out().contains("history"),
        "each command's output: " + ok.out());
    Result failed = launch(null, "exec", "event:lookup --max 99; store:status", "--data", "d");
    assertEquals(1, failed.status());
    assertTrue(failed.err().contains("InvalidParameter: The parameter MaxResults"), failed.err());
    assertFalse(failed.out().contains("history"), "commands after a failure do not run");
    Result mistyped = launch(null, "exec", "auth:keyadd alice", "--data", "d");
    assertEquals(1, mistyped.status(), "wrong arguments fail through exec");
    assertTrue(
        mistyped
            .err()
            .contains(
                "auth:keyadd: unexpected argument 'alice'; usage: auth:keyadd [-u user] [-a account]"),
        mistyped.err());
    assertEquals(2, launch(null, "exec", "lb", "--bogus").status());
    Result noFeature = launch(null, "exec", "lb", "--features", "core,nope", "--data", "d");
    assertEquals(2, noFeature.status());
    assertTrue(noFeature.err().contains("no feature 'nope'"), noFeature.err());
    assertEquals(2, launch(null, "shell", "--data", "d").status(), "nothing to attach to");
  }

  @Test
  void aRunningInstanceIsAdministeredByItsOwnerOnlyAndStopsCleanlyOnSigterm() throws Exception {
    Process run = launcher("run", "--headless", "--data", "d").redirectErrorStream(true).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertTrue(first != null && first.startsWith("OpenTrail ready in "), first);
      Path data = dir.resolve("d");
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("run"))));
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(data.resolve("run/control.sock"))));

      Files.writeString(dir.resolve("e.json"), PlatformTest.events("erin", 3));
      Result rec = launch(null, "exec", "event:record e.json", "--data", "d");
      assertEquals(0, rec.status(), rec.err());
      Instance.await(
          Duration.ofSeconds(10),
          () -> {
            try {
              return launch(null, "exec", "event:lookup --user erin", "--data", "d")
                  .out()
                  .contains("3 events");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          "the running instance to answer the lookup");

      Result shell =
          launch(
              "store:status\nevent:lookup --max 0\nevent:lookup --user erin --max 1\n",
              "shell",
              "--data",
              "d");
      assertEquals(1, shell.status(), "a failed line makes the piped shell fail");
      assertTrue(shell.out().contains("history") && shell.out().contains("1 event"), shell.out());
      assertTrue(shell.err().contains("MaxResults"), shell.err());

      Result second = launch(null, "run", "--headless", "--data", "d");
      assertEquals(2, second.status());
      assertTrue(second.err().contains("already running"), second.err());

      run.destroy(); // SIGTERM
      assertTrue(run.waitFor(60, TimeUnit.SECONDS), "stopped after SIGTERM");
      assertFalse(Files.exists(data.resolve("run/control.sock")), "the control socket is removed");
      String log = Files.readString(data.resolve("log/opentrail.log"));
      assertTrue(log.contains("Event store closed"), "the store was closed cleanly");
    } finally {
      run.destroyForcibly();
    }
  }
}
