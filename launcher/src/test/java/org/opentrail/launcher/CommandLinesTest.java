package org.opentrail.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLinesTest {
  @TempDir Path dir;

  @Test
  void splitsAtTopLevelSemicolonsOnly() {
    assertEquals(List.of("a", "b c"), CommandLines.split("a; b c;"));
    assertEquals(List.of("echo 'x;y'", "b"), CommandLines.split("echo 'x;y'; b"));
    assertEquals(
        List.of("each [1 2] { echo $it; echo x }"),
        CommandLines.split("each [1 2] { echo $it; echo x }"));
    assertEquals(List.of("echo \"a\\\";b\""), CommandLines.split("echo \"a\\\";b\""));
    assertEquals(List.of("a", "b"), CommandLines.split("a\nb"));
    assertEquals(List.of(), CommandLines.split(" ; ;"));
  }

  @Test
  void featuresIncludeEachOtherAndNameMissingBundles() throws Exception {
    Path features = Files.createDirectories(dir.resolve("features"));
    Path bundles = Files.createDirectories(dir.resolve("bundles"));
    Files.writeString(bundles.resolve("a.jar"), "");
    Files.writeString(bundles.resolve("b.jar"), "");
    Files.writeString(features.resolve("base.feature"), "# base\ng:a\n");
    Files.writeString(features.resolve("top.feature"), "include base\n\ng:b\ng:a\n");
    Features f = new Features(features, bundles);
    assertEquals(
        List.of(bundles.resolve("a.jar"), bundles.resolve("b.jar")), f.bundles(List.of("top")));
    assertEquals(List.of("base", "top"), f.available());
    assertTrue(
        assertThrows(LaunchException.class, () -> f.bundles(List.of("nope")))
            .getMessage()
            .contains("base, top"));
    Files.writeString(features.resolve("broken.feature"), "g:missing\n");
    assertTrue(
        assertThrows(LaunchException.class, () -> f.bundles(List.of("broken")))
            .getMessage()
            .contains("missing.jar"));
    Files.writeString(features.resolve("loop.feature"), "include loop2\n");
    Files.writeString(features.resolve("loop2.feature"), "include loop\n");
    assertTrue(
        assertThrows(LaunchException.class, () -> f.bundles(List.of("loop")))
            .getMessage()
            .contains("includes itself"));
    Files.writeString(features.resolve("junk.feature"), "not a coordinate\n");
    assertTrue(
        assertThrows(LaunchException.class, () -> f.bundles(List.of("junk")))
            .getMessage()
            .contains("line 1"));
  }
}
