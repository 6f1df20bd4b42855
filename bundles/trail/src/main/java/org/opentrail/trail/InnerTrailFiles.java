package org.opentrail.trail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.internal.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inner trails on disk: {@code <directory>/<accountId>.json}, one JSON object per account ({@code
 * accountId, name, enabled, retentionDays, createTime, updateTime}), written durably and
 * owner-only. A damaged file is reported with its path at start and left as it is; that account's
 * inner trail does not collect until it is restored.
 */
final class InnerTrailFiles {
  private static final Logger LOG = LoggerFactory.getLogger(InnerTrailFiles.class);

  private final Path directory;

  InnerTrailFiles(Path directory) throws IOException {
    this.directory = directory;
    DurableFiles.createPrivateDirectories(directory);
  }

  List<InnerTrail> load() throws IOException {
    List<InnerTrail> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
      for (Path f : files) {
        try {
          out.add(parse(Files.readAllBytes(f)));
        } catch (IOException | RuntimeException e) {
          LOG.error(
              "Inner trail file {} is damaged ({}); that inner trail does not collect until the"
                  + " file is restored from a backup",
              f,
              e.getMessage());
        }
      }
    }
    return out;
  }

  void save(InnerTrail t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accountId", t.accountId());
    m.put("name", t.name());
    m.put("enabled", t.enabled());
    m.put("retentionDays", t.retentionDays());
    m.put("createTime", t.createTime().toString());
    m.put("updateTime", t.updateTime().toString());
    try {
      DurableFiles.write(file(t.accountId()), EventJson.write(m));
    } catch (IOException e) {
      throw new OpenTrailException(
          "ServiceUnavailable", "The inner trail could not be saved: " + e.getMessage(), 503, e);
    }
  }

  void delete(String accountId) {
    try {
      Files.deleteIfExists(file(accountId));
      DurableFiles.syncDirectory(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(String accountId) {
    return directory.resolve(accountId + ".json");
  }

  private static InnerTrail parse(byte[] json) throws IOException {
    if (!(EventJson.read(json) instanceof Map<?, ?> m)) {
      throw new IOException("not a JSON object");
    }
    try {
      return new InnerTrail(
          (String) m.get("accountId"),
          (String) m.get("name"),
          (Boolean) m.get("enabled"),
          ((Number) m.get("retentionDays")).intValue(),
          Instant.parse((String) m.get("createTime")),
          Instant.parse((String) m.get("updateTime")));
    } catch (ClassCastException | NullPointerException | java.time.DateTimeException e) {
      throw new IOException("a field is missing or has the wrong type: " + e, e);
    }
  }
}
