package org.opentrail.sink.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Writes a batch as gzip JSON arrays, one file per region and UTC day of eventTime (and per {@value
 * #PART} events), named {@code Actiontrail_<region>_<YYYYMMDDHHMMSS>_<sequence>_<count>_<md5>.gz}
 * after the group's first event, first sequence number, size and content. The same batch delivered
 * again gets the same names and the same bytes (the gzip header holds no time: mtime 0, and the
 * JDK's fixed OS byte), and each file is written to a temporary file, forced and renamed over the
 * old, so a redelivered batch replaces itself and a reader never sees half a file. Digest files go
 * beside the logs, under the same directory (the destination's root: bucket and prefix), and never
 * outside it.
 */
final class FileSink implements ProvableSink, ReadableSink {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final Pattern SAFE_REGION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Most events in one file. */
  static final int PART = 2500;

  private final Path directory;
  private final DestinationRoot root;
  private final Path base;
  private final IntSupplier gzipLevel;

  /**
   * @param directory the destination's root (bucket and prefix): object names and digest paths are
   *     relative to it
   * @param gzipLevel the gzip level, read for each file (a configuration change applies at once)
   */
  FileSink(Path directory, IntSupplier gzipLevel) {
    this.directory = directory.toAbsolutePath().normalize();
    this.root = new DestinationRoot(this.directory);
    this.base = this.directory.resolve("AliyunLogs").resolve("Actiontrail");
    this.gzipLevel = gzipLevel;
  }

  /**
   * Writes the batch's files and answers them in order (by region and day in the order their first
   * events come, then by part), each with the SHA-256 and size of its gzip bytes as stored and its
   * name relative to the destination's root with {@code /} separators.
   */
  @Override
  public List<DeliveredObject> deliverObjects(DeliveryBatch batch) throws IOException {
    Map<String, List<StoredEvent>> groups = new LinkedHashMap<>();
    for (StoredEvent e : batch.events()) {
      String region = e.event().acsRegion();
      region = region != null && SAFE_REGION.matcher(region).matches() ? region : "unknown";
      groups
          .computeIfAbsent(
              region + "/" + DAY.format(Instant.ofEpochMilli(e.timeMillis())),
              k -> new ArrayList<>())
          .add(e);
    }
    // files of at most PART events each, compressed and written on all cores; the parts of a batch
    // are fixed by its events, so a redelivered batch writes the same files again
    List<Map.Entry<String, List<StoredEvent>>> parts = new ArrayList<>();
    for (Map.Entry<String, List<StoredEvent>> g : groups.entrySet()) {
      List<StoredEvent> events = g.getValue();
      for (int i = 0; i < events.size(); i += PART) {
        parts.add(Map.entry(g.getKey(), events.subList(i, Math.min(events.size(), i + PART))));
      }
    }
    DeliveredObject[] written = new DeliveredObject[parts.size()];
    try {
      IntStream.range(0, parts.size())
          .parallel()
          .forEach(
              i -> {
                try {
                  written[i] = write(parts.get(i).getKey(), parts.get(i).getValue());
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
  private DeliveredObject write(String regionDay, List<StoredEvent> events) throws IOException {
    String region = regionDay.substring(0, regionDay.indexOf('/'));
    int size = events.size() + 1;
    long oldest = Long.MAX_VALUE;
    long newest = Long.MIN_VALUE;
    for (StoredEvent e : events) {
      size += e.event().jsonSize();
      oldest = Math.min(oldest, e.timeMillis());
      newest = Math.max(newest, e.timeMillis());
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream(size);
    json.write('[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        json.write(',');
      }
      json.write(events.get(i).event().toJson());
    }
    json.write(']');
    byte[] content = json.toByteArray();
    StoredEvent first = events.get(0);
    String name =
        "Actiontrail_"
            + region
            + "_"
            + STAMP.format(Instant.ofEpochMilli(first.timeMillis()))
            + "_"
            + first.sequence()
            + "_"
            + events.size()
            + "_"
            + hex("MD5", content)
            + ".gz";
    ByteArrayOutputStream packed = new ByteArrayOutputStream(content.length / 4 + 64);
    try (LevelledGzip gz = new LevelledGzip(packed, gzipLevel.getAsInt())) {
      gz.write(content);
    }
    byte[] gzip = packed.toByteArray();
    Path dir = base.resolve(regionDay);
    DestinationRoot.createDurably(dir);
    DurableFiles.writeDeferringDirectorySync(dir.resolve(name), out -> out.write(gzip));
    return new DeliveredObject(
        "AliyunLogs/Actiontrail/" + regionDay + "/" + name,
        hex("SHA-256", gzip),
        gzip.length,
        events.size(),
        Instant.ofEpochMilli(oldest),
        Instant.ofEpochMilli(newest));
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

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** gzip at a chosen level. */
  private static final class LevelledGzip extends GZIPOutputStream {
    LevelledGzip(OutputStream out, int level) throws IOException {
      super(out, 64 << 10);
      def.setLevel(level);
    }
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
      try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
        batches.accept(org.opentrail.api.event.EventJson.parseEvents(in.readAllBytes()));
      } catch (IOException | RuntimeException e) {
        failed = new IOException("cannot read delivered file " + f + ": " + e.getMessage(), e);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
