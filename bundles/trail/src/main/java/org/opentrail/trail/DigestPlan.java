package org.opentrail.trail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.event.EventJson;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * What a destination's digest chain needs beyond its last link ({@link
 * org.opentrail.internal.digest.DigestChain}), in one atomically replaced file: when the chain
 * began (the first digest starts there), and the digest being written, recorded before it is made,
 * so that after a crash or a failed write exactly that digest (same interval, same objects, same
 * path) is written again before any later one: digests are never skipped nor written out of order.
 */
final class DigestPlan {
  /**
   * A digest decided on and not yet known to be written.
   *
   * @param path its path relative to the destination's root
   * @param homeRegion the home region its path and content name
   * @param start its digestStartTime (the previous digest's end, or the chain's beginning)
   * @param end its digestEndTime, after {@code start}
   * @param isFinal whether it is written for a clean stop
   * @param receiptsThrough it lists the unlisted receipts up to this number
   * @param intervalSeconds the interval in force when it was decided
   */
  record Pending(
      String path,
      String homeRegion,
      Instant start,
      Instant end,
      boolean isFinal,
      long receiptsThrough,
      long intervalSeconds) {}

  private final Path file;
  private Instant begin;
  private Pending pending;

  /**
   * The plan kept in {@code file}, empty if there is none.
   *
   * @throws DamagedFileException naming the file if it cannot be read as a plan
   */
  DigestPlan(Path file) throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      Map<?, ?> m = (Map<?, ?>) EventJson.read(Files.readAllBytes(file));
      begin = m.get("begin") == null ? null : Instant.parse((String) m.get("begin"));
      if (m.get("pending") instanceof Map<?, ?> p) {
        pending =
            new Pending(
                (String) java.util.Objects.requireNonNull(p.get("path"), "path"),
                (String) java.util.Objects.requireNonNull(p.get("homeRegion"), "homeRegion"),
                Instant.parse((String) p.get("start")),
                Instant.parse((String) p.get("end")),
                (Boolean) p.get("final"),
                ((Number) p.get("receiptsThrough")).longValue(),
                ((Number) p.get("intervalSeconds")).longValue());
      }
    } catch (RuntimeException e) {
      throw new DamagedFileException(file, "it is not a digest plan (" + e + ")", e);
    }
  }

  /** When the chain began, or {@code null} before it did. */
  Instant begin() {
    return begin;
  }

  /** The digest to write before any other, or {@code null}. */
  Pending pending() {
    return pending;
  }

  /** Records, durably, that the chain begins at {@code t}. */
  void begin(Instant t) throws IOException {
    begin = t;
    save();
  }

  /** Records, durably, the digest about to be written, or none ({@code null}). */
  void pending(Pending p) throws IOException {
    pending = p;
    save();
  }

  private void save() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("begin", begin == null ? null : begin.toString());
    if (pending != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("path", pending.path());
      p.put("homeRegion", pending.homeRegion());
      p.put("start", pending.start().toString());
      p.put("end", pending.end().toString());
      p.put("final", pending.isFinal());
      p.put("receiptsThrough", pending.receiptsThrough());
      p.put("intervalSeconds", pending.intervalSeconds());
      m.put("pending", p);
    }
    DurableFiles.write(file, EventJson.write(m));
  }
}
