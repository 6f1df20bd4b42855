package org.opentrail.internal.durable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
  @TempDir Path dir;

  @Test
  void writeCreatesAndReplacesTheContent() throws IOException {
    Path f = dir.resolve("state.json");
    DurableFiles.write(f, "one".getBytes(UTF_8));
    assertEquals("one", Files.readString(f));
    DurableFiles.write(f, "two, longer".getBytes(UTF_8));
    assertEquals("two, longer", Files.readString(f));
    DurableFiles.write(f, "3".getBytes(UTF_8));
    assertEquals("3", Files.readString(f));
    assertEquals(List.of(f), entries(dir), "no temporary file is left behind");
  }

  @Test
  void filesAre0600AndNewDirectories0700() throws IOException {
    assumeTrue(posix());
    Path f = dir.resolve("a").resolve("b").resolve("key");
    DurableFiles.write(f, new byte[] {1, 2, 3});
    assertEquals("rw-------", perms(f));
    assertEquals("rwx------", perms(dir.resolve("a")));
    assertEquals("rwx------", perms(dir.resolve("a").resolve("b")));
    Path g = dir.resolve("open");
    Files.writeString(g, "old");
    Files.setPosixFilePermissions(g, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(DurableFiles.openToOthers(g));
    DurableFiles.write(g, "new".getBytes(UTF_8));
    assertEquals("rw-------", perms(g), "a replaced file is owner-only too");
    assertFalse(DurableFiles.openToOthers(g));
  }

  @Test
  void largeContentIsWrittenCompletely() throws IOException {
    byte[] big = new byte[5 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Path f = dir.resolve("big");
    DurableFiles.write(f, big);
    assertArrayEquals(big, Files.readAllBytes(f));
  }

  @Test
  void writeNewNeverReplaces() throws IOException {
    Path f = dir.resolve("credentials");
    assertTrue(DurableFiles.writeNew(f, "first".getBytes(UTF_8)));
    assertFalse(DurableFiles.writeNew(f, "second".getBytes(UTF_8)));
    assertEquals("first", Files.readString(f));
    assertEquals(List.of(f), entries(dir));
    if (posix()) {
      assertEquals("rw-------", perms(f));
    }
  }

  @Test
  void aFailingContentWriterLeavesTheOldContentAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("state.json");
    DurableFiles.write(f, "old".getBytes(UTF_8));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                DurableFiles.write(
                    f,
                    out -> {
                      out.write("half of the new".getBytes(UTF_8));
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(List.of(f), entries(dir));
  }

  @Test
  void aDirectoryThatCannotBeMadeFailsTheWrite() throws IOException {
    Path notADir = dir.resolve("plain");
    Files.writeString(notADir, "a file, not a directory");
    assertThrows(IOException.class, () -> DurableFiles.write(notADir.resolve("x"), new byte[] {1}));
    assertThrows(
        IOException.class, () -> DurableFiles.writeNew(notADir.resolve("x"), new byte[] {1}));
    assertEquals("a file, not a directory", Files.readString(notADir));
  }

  @Test
  void aReadOnlyDirectoryFailsTheWriteAndKeepsTheOldContent() throws IOException {
    assumeTrue(posix());
    Path ro = dir.resolve("ro");
    Files.createDirectory(ro);
    Path f = ro.resolve("state.json");
    DurableFiles.write(f, "old".getBytes(UTF_8));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
    try {
      assumeTrue(!Files.isWritable(ro), "root writes into read-only directories");
      assertThrows(IOException.class, () -> DurableFiles.write(f, "new".getBytes(UTF_8)));
      assertEquals("old", Files.readString(f));
      assertEquals(List.of(f), entries(ro));
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void deferredDirectorySyncStillReplacesAtomically() throws IOException {
    Path f = dir.resolve("part.gz");
    DurableFiles.writeDeferringDirectorySync(f, out -> out.write(new byte[] {9, 8}));
    DurableFiles.syncDirectory(dir);
    assertArrayEquals(new byte[] {9, 8}, Files.readAllBytes(f));
    assertEquals(List.of(f), entries(dir));
  }

  @Test
  void damagedFileNamesTheFile() {
    Path f = dir.resolve("trail.json");
    DamagedFileException e = new DamagedFileException(f, "not JSON");
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertEquals(f, e.file());
  }

  private static boolean posix() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<Path> entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }
}
