package org.opentrail.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Owner-only files written atomically and durably: a crash leaves the old content or the new, never
 * half, and nobody but the owner can read them at any moment (the temporary file is created 0600).
 */
final class AtomicFiles {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

  private AtomicFiles() {}

  /** Replaces {@code file} with {@code content}. */
  static void write(Path file, byte[] content) throws IOException {
    Path tmp = writeTemp(file, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(file);
  }

  /**
   * Creates {@code file} with {@code content}; false, and nothing changed, if it exists already.
   */
  static boolean writeNew(Path file, byte[] content) throws IOException {
    if (Files.exists(file)) {
      return false;
    }
    Path tmp = writeTemp(file, content);
    try {
      Files.move(tmp, file); // refuses to replace an existing file
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
      return false;
    }
    syncDirectory(file);
    return true;
  }

  /** Creates a directory and its missing parents, owner-only. */
  static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir); // not a POSIX file system
    }
  }

  /** Whether others than the owner may read or write the file (false where unknown). */
  static boolean openToOthers(Path file) throws IOException {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      p.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      p.remove(PosixFilePermission.OWNER_EXECUTE);
      return !p.isEmpty();
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static Path writeTemp(Path file, byte[] content) throws IOException {
    createPrivateDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (FileChannel ch = open(tmp, options)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    return tmp;
  }

  private static FileChannel open(Path file, Set<StandardOpenOption> options) throws IOException {
    try {
      FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FILE);
      return FileChannel.open(file, options, attr);
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, options); // not a POSIX file system
    }
  }

  private static void syncDirectory(Path file) throws IOException {
    try (FileChannel dir =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
