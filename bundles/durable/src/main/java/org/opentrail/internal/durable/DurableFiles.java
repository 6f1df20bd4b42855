package org.opentrail.internal.durable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one way OpenTrail writes state that must survive a crash: owner-only files (0600, their
 * directories 0700) replaced atomically and durably. The content goes to a temporary file in the
 * same directory, created owner-only, every write checked until all bytes are out, forced to disk,
 * renamed over the target in one atomic step, and the directory forced so that the rename itself
 * survives a power cut. A crash leaves the old content or the new, never half, and nobody but the
 * owner can read the file at any moment.
 *
 * <p>Not exported by any bundle: each bundle that needs it copies this package in (bnd {@code
 * -conditionalpackage}).
 */
public final class DurableFiles {
  /** Temporary files end with this; readers of a directory skip them. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

  /** Writes the content of a file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private DurableFiles() {}

  /** Replaces {@code file} with {@code content}, creating its missing directories owner-only. */
  public static void write(Path file, byte[] content) throws IOException {
    write(file, bytes(content));
  }

  /** Replaces {@code file} with what {@code content} writes; if it throws, nothing changed. */
  public static void write(Path file, Content content) throws IOException {
    writeDeferringDirectorySync(file, content);
    syncDirectory(parent(file));
  }

  /**
   * Like {@link #write(Path, Content)} but leaves the directory unforced: the new content is on
   * disk but the rename survives a power cut only after {@link #syncDirectory(Path)} of its
   * directory. For writers of many files into one directory that force it once.
   */
  public static void writeDeferringDirectorySync(Path file, Content content) throws IOException {
    Path tmp = writeTemp(file, content);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /**
   * Creates {@code file} with {@code content} if it does not exist, and never replaces it (for
   * credentials and keys, made once).
   *
   * @return false, and nothing changed, if {@code file} exists already
   */
  public static boolean writeNew(Path file, byte[] content) throws IOException {
    if (Files.exists(file)) {
      return false;
    }
    Path tmp = writeTemp(file, bytes(content));
    try {
      try {
        Files.createLink(file, tmp); // atomic, and fails if the name is taken
      } catch (UnsupportedOperationException e) {
        Files.move(tmp, file); // no hard links here: refuses to replace, though not atomically
      }
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(parent(file));
    return true;
  }

  /** Creates a directory and its missing parents, owner-only (0700). */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir); // not a POSIX file system
    }
  }

  /**
   * Opens {@code file} with {@code options}; a file the call creates is owner-only (0600), as every
   * file OpenTrail writes (journal segments and logs written in place, not renamed into place).
   */
  public static FileChannel openPrivate(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> set = new java.util.HashSet<>(java.util.Arrays.asList(options));
    try {
      return FileChannel.open(file, set, PosixFilePermissions.asFileAttribute(FILE));
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, set); // not a POSIX file system
    }
  }

  /** Whether others than the owner may read, write or enter {@code path} (false where unknown). */
  public static boolean openToOthers(Path path) throws IOException {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
      p.removeAll(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
      return !p.isEmpty();
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /** Forces a directory's entries (creations, renames, deletions) to disk. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (UnsupportedOperationException e) {
      // a platform that cannot open directories (Windows): renames there are as durable as it
      // allows
    }
  }

  private static Path writeTemp(Path file, Content content) throws IOException {
    Path dir = parent(file);
    createPrivateDirectories(dir);
    Path tmp = createTemp(dir, "." + file.getFileName() + ".");
    boolean done = false;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      content.writeTo(new ChannelOut(ch));
      ch.force(true);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    return tmp;
  }

  private static Path createTemp(Path dir, String prefix) throws IOException {
    try {
      FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FILE);
      return Files.createTempFile(dir, prefix, TEMP_SUFFIX, attr);
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, prefix, TEMP_SUFFIX); // not a POSIX file system
    }
  }

  private static Content bytes(byte[] content) {
    return out -> out.write(content);
  }

  private static Path parent(Path file) {
    Path p = file.toAbsolutePath().getParent();
    if (p == null) {
      throw new IllegalArgumentException("No directory to hold " + file);
    }
    return p;
  }

  /** A stream onto a channel whose every write is repeated until all its bytes are out. */
  private static final class ChannelOut extends OutputStream {
    private final FileChannel ch;

    ChannelOut(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }
}
