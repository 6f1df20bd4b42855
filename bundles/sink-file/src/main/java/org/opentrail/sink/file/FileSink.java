package org.opentrail.sink.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.internal.durable.DurableFiles;
import org.opentrail.internal.osslayout.OssLayout;

/**
 * Writes a batch as gzip JSON arrays in ActionTrail's OSS layout ({@link OssLayout}: one file per
 * region and UTC day of eventTime and per {@value OssLayout#PART} events, named {@code
 * Actiontrail_<region>_<YYYYMMDDHHMMSS>_<sequence>_<count>_<md5>.gz}). The same batch delivered
 * again gets the same names and the same bytes, and each file is written to a temporary file,
 * forced and renamed over the old, so a redelivered batch replaces itself and a reader never sees
 * half a file. Digest files go beside the logs, under the same directory (the destination's root:
 * bucket and prefix), and never outside it.
 */
final class FileSink implements ProvableSink, ReadableSink {
  private final Path directory;
  private final DestinationRoot root;
  private final Path base;
  private final OssLayout layout;
  private final IntSupplier gzipLevel;

  /**
   * @param directory the destination's root (bucket and prefix): object names and digest paths are
   *     relative to it
   * @param layout the layout (its home region takes global events)
   * @param gzipLevel the gzip level, read for each file (a configuration change applies at once)
   */
  FileSink(Path directory, OssLayout layout, IntSupplier gzipLevel) {
    this.directory = directory.toAbsolutePath().normalize();
    this.root = new DestinationRoot(this.directory);
    this.base = this.directory.resolve(OssLayout.LOGS);
    this.layout = layout;
    this.gzipLevel = gzipLevel;
  }

  /**
   * Writes the batch's files and answers them in order (by region and day in the order their first
   * events come, then by part), each with the SHA-256 and size of its gzip bytes as stored and its
   * name relative to the destination's root with {@code /} separators.
   */
  @Override
  public List<DeliveredObject> deliverObjects(DeliveryBatch batch) throws IOException {
    // files compressed and written on all cores; the parts of a batch are fixed by its events, so a
    // redelivered batch writes the same files again
    List<OssLayout.Part> parts = layout.parts(batch.events());
    DeliveredObject[] written = new DeliveredObject[parts.size()];
    int level = gzipLevel.getAsInt();
    try {
      IntStream.range(0, parts.size())
          .parallel()
          .forEach(
              i -> {
                try {
                  written[i] = write(OssLayout.encode(parts.get(i), level));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Set<Path> dirs = new TreeSet<>();
    for (DeliveredObject o : written) {
      dirs.add(directory.resolve(o.name()).getParent());
    }
    for (Path dir : dirs) { // the renames made durable: once per directory
      DurableFiles.syncDirectory(dir);
    }
    return List.of(written);
  }

  /**
   * Writes one file, owner-only, forced and renamed into place (its directory not yet forced);
   * answers what it wrote.
   */
  private DeliveredObject write(OssLayout.OssObject object) throws IOException {
    Path dir = directory.resolve(object.directory());
    DestinationRoot.createDurably(dir);
    byte[] gzip = object.gzip();
    DurableFiles.writeDeferringDirectorySync(
        dir.resolve(object.fileName()), out -> out.write(gzip));
    return object.described();
  }

  /**
   * Writes a digest file durably at {@code path} under the destination's root ({@link
   * DestinationRoot#write}).
   *
   * @throws IllegalArgumentException if {@code path} would leave the root
   * @throws IOException if it cannot be written, or a directory on its way is a link out of the
   *     root
   */
  @Override
  public void writeDigest(String path, byte[] content) throws IOException {
    root.write(path, content);
  }

  @Override
  public void close() {}

  /**
   * Reads every delivered file of this destination back ({@code store:repair}): each {@code .gz}
   * under its {@code AliyunLogs/Actiontrail} directory, a gzip JSON array of events, is one batch.
   * A file that cannot be read is skipped with its name in the error of the last one.
   */
  @Override
  public void readBack(java.util.function.Consumer<List<org.opentrail.api.event.Event>> batches)
      throws IOException {
    if (!Files.isDirectory(base)) {
      return;
    }
    List<Path> files;
    try (java.util.stream.Stream<Path> s = Files.walk(base)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".gz")).sorted().toList();
    }
    IOException failed = null;
    for (Path f : files) {
      try {
        batches.accept(OssLayout.read(Files.readAllBytes(f)));
      } catch (IOException | RuntimeException e) {
        failed = new IOException("cannot read delivered file " + f + ": " + e.getMessage(), e);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
