package org.opentrail.alerts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.EventJson;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Rules on disk: {@code <dir>/<accountId>/<rule>.json}, one {@link RuleRecord} each, replaced
 * atomically and durably (owner-only files) after every change and every evaluation.
 */
final class RuleFiles {
  private final Path dir;

  RuleFiles(Path dir) throws IOException {
    this.dir = dir;
    DurableFiles.createPrivateDirectories(dir);
  }

  /** Every stored rule; a damaged file is an error naming it, never skipped silently. */
  @SuppressWarnings("unchecked")
  List<RuleRecord> loadAll() throws IOException {
    List<RuleRecord> all = new ArrayList<>();
    try (Stream<Path> accounts = Files.list(dir)) {
      for (Path a : accounts.filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.list(a)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
            try {
              all.add(
                  RuleRecord.fromJson((Map<String, Object>) EventJson.read(Files.readAllBytes(f))));
            } catch (RuntimeException e) {
              throw new DamagedFileException(f, "not an alert rule: " + e.getMessage());
            }
          }
        }
      }
    }
    return all;
  }

  /** Stores the record durably. */
  void save(RuleRecord r) {
    try {
      Path a = dir.resolve(r.accountId);
      DurableFiles.createPrivateDirectories(a);
      DurableFiles.write(a.resolve(r.rule.name() + ".json"), EventJson.write(r.toJson()));
    } catch (IOException e) {
      throw new OpenTrailException(
          "InternalError",
          "The alert rule " + r.rule.name() + " could not be stored: " + e,
          500,
          e);
    }
  }

  void delete(String accountId, String name) {
    try {
      Files.deleteIfExists(dir.resolve(accountId).resolve(name + ".json"));
      DurableFiles.syncDirectory(dir.resolve(accountId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
