package org.opentrail.sink.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opentrail.internal.durable.DurableFiles;
import org.opentrail.internal.osslayout.OssNames;

/**
 * A destination's root directory (bucket and prefix), into which files are written durably by paths
 * relative to it, and never outside it.
 */
final class DestinationRoot {
  private final Path directory;

  /**
   * @param directory absolute and normalized
   */
  DestinationRoot(Path directory) {
    this.directory = directory;
  }

  /**
   * Writes a file durably (forced, renamed into place, its directory forced, new directories forced
   * into their parents) at {@code path} under the root, replacing one of that name.
   *
   * @param path relative, {@code /}-separated, of letters, digits, {@code .}, {@code _} and {@code
   *     -}, with no empty, {@code .} or {@code ..} segment
   * @throws IllegalArgumentException if {@code path} is not such a path (it would leave the root)
   * @throws IOException if it cannot be written, or a directory on its way is a link out of the
   *     root
   */
  void write(String path, byte[] content) throws IOException {
    Path file = confined(path);
    Path dir = file.getParent();
    createDurably(dir);
    if (!dir.toRealPath().startsWith(directory.toRealPath())) {
      throw new IOException(
          "The digest path " + path + " leads out of the destination's directory " + directory);
    }
    DurableFiles.write(file, content);
  }

  /** {@code path} resolved under the root, if it is a plain relative path that stays there. */
  private Path confined(String path) {
    OssNames.checkRelativePath(path);
    Path file = directory.resolve(path).normalize();
    if (!file.startsWith(directory) || file.equals(directory)) {
      throw new IllegalArgumentException(
          "The digest path '" + path + "' leads out of the destination's directory");
    }
    return file;
  }

  /**
   * Creates {@code dir} and its missing parents owner-only, forcing the directory above each one it
   * creates, so that a new day's directory survives a power cut with the files in it.
   */
  static void createDurably(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path top = dir;
    while (top.getParent() != null && !Files.isDirectory(top.getParent())) {
      top = top.getParent();
    }
    DurableFiles.createPrivateDirectories(dir);
    for (Path p = dir; p != null; p = p.getParent()) {
      DurableFiles.syncDirectory(p.getParent());
      if (p.equals(top)) {
        break;
      }
    }
  }
}
