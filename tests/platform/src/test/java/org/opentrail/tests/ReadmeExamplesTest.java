package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ./opentrail ...} example in a shell block of the README and of the documents under
 * {@code docs/}, run as written (by bash, quoting and all) in order, in a fresh directory whose
 * {@code ./opentrail} is the built distribution: each must exit 0 and print no error, and a lookup
 * right after a record in the same line must find events. Examples that need input files get them
 * here ({@code events.json}). When a command changes, this test makes the documents change too.
 *
 * <p>Not run: {@code run} (it serves until stopped; LauncherTest starts and stops it) and {@code
 * shell} (it attaches a terminal to a running instance; LauncherTest covers it).
 */
class ReadmeExamplesTest {
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

  @TempDir Path dir;

  /** The {@code ./opentrail} lines of the {@code sh} blocks of a Markdown file, in order. */
  static List<String> examples(Path markdown) throws IOException {
    List<String> out = new ArrayList<>();
    boolean inShell = false;
    for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (t.startsWith("```")) {
        inShell = !inShell && (t.equals("```sh") || t.equals("```bash") || t.equals("```shell"));
        continue;
      }
      if (inShell && t.startsWith("./opentrail ")) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void everyDocumentedExampleRunsAsWritten() throws Exception {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    Path wrapper = dir.resolve("opentrail");
    Files.writeString(
        wrapper,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -cp '"
            + Instance.HOME.resolve("lib").toAbsolutePath()
            + "/*' org.opentrail.launcher.Main \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(dir.resolve("events.json"), PlatformTest.events("alice", 5));

    int ran = 0;
    for (Path doc : documents) {
      for (String example : examples(doc)) {
        String command = example.substring("./opentrail ".length()).strip();
        if (command.startsWith("run") || command.startsWith("shell")) {
          continue;
        }
        Process p =
            new ProcessBuilder("bash", "-c", example)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), example + " did not end");
        String where = ROOT.relativize(doc) + ": " + example + "\n" + out;
        assertEquals(0, p.exitValue(), where);
        assertFalse(out.contains("Error:") || out.contains(" ERROR "), where);
        if (example.contains("event:record") && example.contains("event:lookup")) {
          assertFalse(out.contains("\n0 events"), "read your writes: " + where);
        }
        ran++;
      }
    }
    assertTrue(ran >= 8, "only " + ran + " examples found");
  }
}
