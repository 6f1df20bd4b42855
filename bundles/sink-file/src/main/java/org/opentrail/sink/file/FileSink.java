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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Writes a batch as gzip JSON arrays, one file per region and UTC day of eventTime (and per {@value
 * #PART} events), named {@code Actiontrail_<region>_<YYYYMMDDHHMMSS>_<sequence>_<count>_<md5>.gz}
 * after the group's first event, first sequence number, size and content. The same batch delivered
 * again gets the same names, and each file is written to a temporary file, forced and renamed over
 * the old, so a redelivered batch replaces itself and a reader never sees half a file.
 */
final class FileSink implements ReadableSink {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final Pattern SAFE_REGION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Most events in one file. */
  static final int PART = 2500;

  private final Path base;
  private final IntSupplier gzipLevel;

  /**
   * @param gzipLevel the gzip level, read for each file (a configuration change applies at once)
   */
  FileSink(Path directory, IntSupplier gzipLevel) {
    this.base = directory.resolve("AliyunLogs").resolve("Actiontrail");
    this.gzipLevel = gzipLevel;
  }

  @Override
  public void deliver(DeliveryBatch batch) throws IOException {
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
    Set<Path> dirs = ConcurrentHashMap.newKeySet();
    try {
      parts.parallelStream()
          .forEach(
              p -> {
                try {
                  dirs.add(write(p.getKey(), p.getValue()));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path dir : dirs) { // the renames made durable: once per directory
      DurableFiles.syncDirectory(dir);
    }
  }

  /**
   * Writes one file, owner-only, forced and renamed into place; answers its directory (not yet
   * forced).
   */
  private Path write(String regionDay, List<StoredEvent> events) throws IOException {
    String region = regionDay.substring(0, regionDay.indexOf('/'));
    int size = events.size() + 1;
    for (StoredEvent e : events) {
      size += e.event().jsonSize();
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
            + md5(content)
            + ".gz";
    Path dir = base.resolve(regionDay);
    DurableFiles.writeDeferringDirectorySync(
        dir.resolve(name),
        out -> {
          LevelledGzip gz = new LevelledGzip(out, gzipLevel.getAsInt());
          gz.write(content);
          gz.finish();
        });
    return dir;
  }

  private static String md5(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
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
