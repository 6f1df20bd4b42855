package org.opentrail.store.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a journal after a stop or a crash. Segments are read in order; the recovery point tells a
 * torn write (after the acknowledged end: cut, after copying it aside) from damage (kept in place,
 * copied aside and recorded as a lost range). Segment files missing or cut short are lost ranges
 * too. The highest sequence ever acknowledged (the recovery point, the index's checkpoint, the
 * damage log, what the segments hold) is never handed out again; when the newest segment ends in
 * damage or lost sequences, a new segment takes over.
 */
final class JournalRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

  private JournalRecovery() {}

  /** What recovery found: the segments, the highest sequence ever acknowledged, the point read. */
  record Result(
      java.util.NavigableMap<Long, JournalSegment> segments,
      long lastSequence,
      RecoveryPoint.Point point) {}

  /**
   * Opens every segment of the journal in {@code dir}, records what is damaged or lost in {@code
   * damage}, and makes sure the newest segment can be appended to.
   *
   * @param knownLast the highest sequence something else knows was acknowledged (the index)
   */
  static Result run(Path dir, DamageLog damage, long knownLast) throws IOException {
    java.util.NavigableMap<Long, JournalSegment> segments = new java.util.TreeMap<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp")) {
          Files.delete(p);
        } else if (n.matches("\\d{20}\\.log") && firstSequenceOf(p) >= 1) {
          files.add(p);
        } else if (n.endsWith(JournalSegment.SUFFIX)) {
          LOG.warn("Journal {}: ignoring {}: not a journal segment name", dir, n);
        }
      }
    }
    files.sort(null);
    RecoveryPoint.Point rp = RecoveryPoint.read(dir);
    if (rp != null) {
      // a segment starting after everything ever acknowledged holds nothing acknowledged (a new
      // segment's first sequence is exactly one more): not ours, set aside
      for (Path f : List.copyOf(files)) {
        if (firstSequenceOf(f) > rp.lastSequence() + 1) {
          Path aside = f.resolveSibling(f.getFileName() + ".stray");
          Files.move(f, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          files.remove(f);
          LOG.warn(
              "Journal {}: {} starts after the last acknowledged sequence {}; moved aside to {}",
              dir,
              f.getFileName(),
              rp.lastSequence(),
              aside.getFileName());
        }
      }
    }
    if (rp == null && !files.isEmpty()) {
      LOG.warn(
          "Journal {}: no readable {} file; a damaged end of the newest segment cannot be told from a torn write",
          dir,
          RecoveryPoint.FILE);
    }
    if (damage.unreadable()) {
      LOG.error(
          "Journal {}: {} is damaged; every segment is read and verified again to find damage",
          dir,
          damage.file());
    }
    long purgedThrough = rp == null ? 0 : rp.purgedThrough();
    long covered = purgedThrough; // every sequence up to here is readable, purged or recorded
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      boolean newest = i == files.size() - 1;
      long first = firstSequenceOf(f);
      long acknowledgedEnd;
      if (!newest) {
        acknowledgedEnd = Long.MAX_VALUE;
      } else if (rp == null) {
        acknowledgedEnd = -1; // unknown
      } else if (rp.segment() == first) {
        acknowledgedEnd = rp.end();
      } else {
        acknowledgedEnd = rp.segment() > first ? Long.MAX_VALUE : 0;
      }
      // a lost damage log means re-reading sealed segments, which finds their damage again
      JournalSegment s = JournalSegment.open(f, !newest, acknowledgedEnd, !damage.unreadable());
      if (first > covered + 1 && (i > 0 || rp != null)) {
        // before the first segment only when a recovery point says what retention removed
        JournalSegment prev = segments.isEmpty() ? null : segments.lastEntry().getValue();
        if (prev != null && prev.lastSequence() == covered) {
          damage.lost(
              dir,
              covered + 1,
              first - 1,
              prev.path().getFileName().toString(),
              prev.size(),
              0,
              "journal segment cut short: it ends before its last acknowledged event",
              null);
        } else {
          damage.lost(
              dir, covered + 1, first - 1, "(none)", -1, 0, "journal segment file missing", null);
        }
      }
      for (JournalSegment.Damage d : s.damage()) {
        long last = d.lastLost() >= 0 ? d.lastLost() : -1;
        if (last < 0) {
          long nextFirst = i + 1 < files.size() ? firstSequenceOf(files.get(i + 1)) : 0;
          last =
              nextFirst > 0
                  ? nextFirst - 1
                  : Math.max(rp == null ? 0 : rp.lastSequence(), knownLast);
        }
        String aside = f.getFileName() + ".damaged-" + d.offset();
        if (d.length() > 0 && !Files.exists(dir.resolve(aside))) {
          s.copyAside(d.offset(), d.length(), dir.resolve(aside));
        }
        if (last >= d.firstLost()) {
          damage.lost(
              dir,
              d.firstLost(),
              last,
              f.getFileName().toString(),
              d.offset(),
              d.length(),
              "checksum mismatch (damaged bytes)",
              aside);
        } else {
          LOG.error(
              "Journal segment {}: {} damaged bytes at byte {} held no acknowledged event; copied to {}",
              f.getFileName(),
              d.length(),
              d.offset(),
              aside);
        }
        covered = Math.max(covered, last);
      }
      covered = Math.max(covered, s.lastSequence());
      segments.put(s.firstSequence(), s);
    }
    long highest =
        Math.max(
            covered,
            Math.max(rp == null ? 0 : rp.lastSequence(), Math.max(knownLast, damage.highest())));
    if (highest > covered) {
      JournalSegment newest = segments.isEmpty() ? null : segments.lastEntry().getValue();
      damage.lost(
          dir,
          covered + 1,
          highest,
          newest == null ? "(none)" : newest.path().getFileName().toString(),
          -1,
          0,
          "acknowledged events missing from the end of the journal (file cut or lost)",
          null);
    }
    JournalSegment active = segments.isEmpty() ? null : segments.lastEntry().getValue();
    if (active == null) {
      segments.put(highest + 1, JournalSegment.create(dir, highest + 1));
    } else if (active.damagedTail() || active.lastSequence() < highest) {
      // never append after damaged bytes or across lost sequences: a new segment takes over
      if (!active.isEmpty() || active.damagedTail()) {
        active.seal();
      } else {
        segments.remove(active.firstSequence());
        active.delete();
      }
      segments.put(highest + 1, JournalSegment.create(dir, highest + 1));
    }
    return new Result(segments, highest, rp);
  }

  static long firstSequenceOf(Path segment) {
    String n = segment.getFileName().toString();
    return Long.parseLong(n.substring(0, n.length() - JournalSegment.SUFFIX.length()));
  }
}
