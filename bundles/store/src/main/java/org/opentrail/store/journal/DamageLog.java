package org.opentrail.store.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.opentrail.api.store.DamagedRange;

/**
 * The damaged ranges of one journal, kept in {@code damage.tsv} beside it so that damage found once
 * (at recovery, by a read or by a verify) is reported until it is repaired, across restarts. One
 * line per range: {@code first, last, file, offset, length, quarantine, detectedMillis, reason},
 * tab-separated; the reason is last and may hold anything but tabs and line breaks. How many of a
 * range's events were restored is not kept here: {@code repaired.blocks} itself says.
 */
final class DamageLog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Journal.class);
  static final String FILE = "damage.tsv";
  private static final String HEADER = "# OpenTrail damaged journal ranges v2";

  private final Path file;
  private final ConcurrentSkipListMap<Long, DamagedRange> ranges = new ConcurrentSkipListMap<>();

  /** Whether the file existed but could not be read (damage found before may be forgotten). */
  private final boolean unreadable;

  DamageLog(Path dir) throws IOException {
    this.file = dir.resolve(FILE);
    boolean bad = false;
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        bad = true;
      } else {
        for (String line : lines.subList(1, lines.size())) {
          DamagedRange r = parse(line);
          if (r == null) {
            bad = true;
            break;
          }
          ranges.put(r.firstSequence(), r);
        }
      }
    }
    this.unreadable = bad;
  }

  private static DamagedRange parse(String line) {
    String[] f = line.split("\t", 8);
    if (f.length != 8) {
      return null;
    }
    try {
      return new DamagedRange(
          Long.parseLong(f[0]),
          Long.parseLong(f[1]),
          f[2],
          Long.parseLong(f[3]),
          Long.parseLong(f[4]),
          f[7],
          f[5].isEmpty() ? null : f[5],
          Instant.ofEpochMilli(Long.parseLong(f[6])),
          0);
    } catch (RuntimeException e) {
      return null;
    }
  }

  boolean unreadable() {
    return unreadable;
  }

  Path file() {
    return file;
  }

  /** Every range, oldest first. */
  List<DamagedRange> all() {
    return new ArrayList<>(ranges.values());
  }

  /** The range holding {@code sequence}, or {@code null}. */
  DamagedRange at(long sequence) {
    Map.Entry<Long, DamagedRange> e = ranges.floorEntry(sequence);
    return e != null && e.getValue().contains(sequence) ? e.getValue() : null;
  }

  /** The highest sequence any range covers, 0 if none. */
  long highest() {
    return ranges.isEmpty()
        ? 0
        : ranges.values().stream().mapToLong(DamagedRange::lastSequence).max().getAsLong();
  }

  /**
   * Records acknowledged events of the journal in {@code dir} that cannot be read any more (the
   * parts not known yet), and says so in the log.
   */
  void lost(
      Path dir,
      long first,
      long last,
      String file,
      long offset,
      long length,
      String reason,
      String aside)
      throws IOException {
    for (DamagedRange r :
        add(new DamagedRange(first, last, file, offset, length, reason, aside, Instant.now(), 0))) {
      LOG.error(
          "Journal {}: events {} ({} events) cannot be read: {} in {} at byte {} ({} bytes){}",
          dir,
          r.span(),
          r.events(),
          reason,
          file,
          offset,
          length,
          aside == null ? "" : "; the damaged bytes are copied to " + aside);
    }
  }

  /**
   * Adds a range unless one with the same sequences is known; a range overlapping known ones keeps
   * only its new sequences. Answers the ranges added.
   */
  synchronized List<DamagedRange> add(DamagedRange r) throws IOException {
    List<DamagedRange> added = new ArrayList<>();
    long from = r.firstSequence();
    while (from <= r.lastSequence()) {
      DamagedRange known = at(from);
      if (known != null) {
        from = known.lastSequence() + 1;
        continue;
      }
      Map.Entry<Long, DamagedRange> next = ranges.higherEntry(from);
      long to = next == null ? r.lastSequence() : Math.min(r.lastSequence(), next.getKey() - 1);
      DamagedRange part =
          new DamagedRange(
              from,
              to,
              r.file(),
              r.offset(),
              r.length(),
              r.reason(),
              r.quarantine(),
              r.detectedAt(),
              0);
      ranges.put(from, part);
      added.add(part);
      from = to + 1;
    }
    if (!added.isEmpty()) {
      save();
    }
    return added;
  }

  /** Forgets ranges entirely before {@code sequence} (purged by retention). */
  synchronized void purgedThrough(long sequence) throws IOException {
    if (ranges.headMap(sequence, true).values().removeIf(r -> r.lastSequence() <= sequence)) {
      save();
    }
  }

  private void save() throws IOException {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    for (DamagedRange r : ranges.values()) {
      b.append(r.firstSequence())
          .append('\t')
          .append(r.lastSequence())
          .append('\t')
          .append(clean(r.file()))
          .append('\t')
          .append(r.offset())
          .append('\t')
          .append(r.length())
          .append('\t')
          .append(r.quarantine() == null ? "" : clean(r.quarantine()))
          .append('\t')
          .append(r.detectedAt().toEpochMilli())
          .append('\t')
          .append(clean(r.reason()))
          .append('\n');
    }
    org.opentrail.internal.durable.DurableFiles.write(
        file, b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
