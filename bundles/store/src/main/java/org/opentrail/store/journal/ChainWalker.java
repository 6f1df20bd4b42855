package org.opentrail.store.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.opentrail.api.store.ChainBreak;

/**
 * Recomputes a journal's hash chain over a range of records, in sequence order, and compares it
 * with the anchor of each segment it enters. Damaged records cannot be hashed: they are reported as
 * {@link ChainBreak.Kind#DAMAGED} and the walk resynchronises at the next segment's anchor.
 */
final class ChainWalker {
  /**
   * Where a walk ended.
   *
   * @param sequence the last sequence covered
   * @param value the chain value recomputed there
   */
  record Result(long sequence, byte[] value, long events, long bytes, List<ChainBreak> breaks) {
    /** True if some records could not be hashed: {@link #value} is not the chain's. */
    boolean skipped() {
      return breaks.stream().anyMatch(b -> b.kind() == ChainBreak.Kind.DAMAGED);
    }
  }

  private static final long PROGRESS_NANOS = 5_000_000_000L;

  private final Journal journal;
  private final HashChain chain = new HashChain();
  private final List<ChainBreak> breaks = new ArrayList<>();
  private long events;
  private long bytes;

  private ChainWalker(Journal journal) {
    this.journal = journal;
  }

  /**
   * Walks records {@code from + 1 .. to} starting from chain value {@code value} at {@code from}.
   *
   * @param progress hears a line every few seconds, or {@code null}
   */
  static Result walk(Journal journal, long from, byte[] value, long to, Consumer<String> progress)
      throws IOException {
    return new ChainWalker(journal).run(from, value, to, progress);
  }

  private Result run(long from, byte[] value, long to, Consumer<String> progress)
      throws IOException {
    byte[] h = value;
    long s = from + 1;
    long first = journal.firstSequence();
    if (s < first && s <= to) {
      // only what retention recorded removing is retention; anything else below the oldest
      // segment is gone without a reason (a deleted segment)
      long purged = Math.min(Math.min(first - 1, to), journal.purgedThrough());
      if (s <= purged) {
        breaks.add(
            new ChainBreak(
                s, purged, ChainBreak.Kind.RETAINED_AWAY, "removed by the stream's retention"));
      }
      if (Math.max(s, purged + 1) <= Math.min(first - 1, to)) {
        breaks.add(
            new ChainBreak(
                Math.max(s, purged + 1),
                Math.min(first - 1, to),
                ChainBreak.Kind.MISSING,
                "gone from the journal, though retention removed only up to sequence " + purged));
      }
      HashChain.Anchor anchor = journal.chainAnchor(first);
      if (anchor == null) {
        throw new IOException("the oldest segment has no chain anchor");
      }
      h = anchor.value();
      s = first;
    }
    long segmentStart = s;
    boolean damageSince = false;
    long reportedAt = System.nanoTime();
    while (s <= to) {
      HashChain.Anchor anchor = journal.isSegmentStart(s) ? journal.chainAnchor(s) : null;
      // a restarted anchor is checked even where the walk starts: the value it was given
      // (a signed head) is not what the chain goes on from
      if (anchor != null && (s != from + 1 || anchor.restarted())) {
        if (!Arrays.equals(anchor.value(), h)) {
          if (anchor.restarted()) {
            breaks.add(
                new ChainBreak(
                    Math.min(segmentStart, s - 1),
                    s - 1,
                    ChainBreak.Kind.DAMAGED,
                    "a recovery could not read records before sequence "
                        + s
                        + " and restarted the chain there: the records before it are not"
                        + " proven"));
          } else if (!damageSince) {
            breaks.add(
                new ChainBreak(
                    segmentStart,
                    s - 1,
                    ChainBreak.Kind.ALTERED,
                    "the records recompute to "
                        + hex(h)
                        + " but the next segment's anchor, written when they were acknowledged,"
                        + " says "
                        + hex(anchor.value())));
          }
          h = anchor.value();
        }
        segmentStart = s;
        damageSince = false;
      }
      // restored (repaired) records are hashed like any other: put back with the bytes that were
      // acknowledged, they prove themselves; otherwise the range is found altered
      Block b;
      try {
        b = journal.block(s);
      } catch (DamagedEventsException d) {
        long end = Math.min(to, Math.max(s, d.resumeAt() - 1));
        damaged(s, end, d.range().reason());
        damageSince = true;
        s = end + 1;
        continue;
      } catch (DictionaryUnavailableException d) {
        long end = Math.min(to, journal.blockLast(s));
        damaged(s, end, "unreadable now: " + d.getMessage());
        damageSince = true;
        s = end + 1;
        continue;
      }
      if (b == null) {
        breaks.add(
            new ChainBreak(
                s, to, ChainBreak.Kind.MISSING, "the journal holds nothing from here on"));
        return new Result(s - 1, h, events, bytes, breaks);
      }
      long end = Math.min(b.lastSequence(), to);
      long next = journal.nextSegmentStart(s);
      if (next > 0) {
        end = Math.min(end, next - 1); // a restored block may not cross a segment's anchor
      }
      for (long q = s; q <= end; q++) {
        h = chain.next(h, q, b.leaf(q));
        events++;
        bytes += b.recordLength(q);
      }
      s = end + 1;
      if (progress != null && System.nanoTime() - reportedAt > PROGRESS_NANOS) {
        reportedAt = System.nanoTime();
        progress.accept("hash chain: " + events + " events checked, at sequence " + (s - 1));
      }
    }
    return new Result(to, h, events, bytes, breaks);
  }

  /** {@link Journal#checkChain}: walks, then compares the end with the writer's own value. */
  static org.opentrail.api.store.ChainCheck check(
      Journal journal, Journal.Chain from, long to, java.util.function.Consumer<String> progress)
      throws IOException {
    Journal.Chain c = journal.chain();
    long end = Math.min(to, c.sequence());
    Journal.Chain start = from;
    if (start == null) {
      long first = journal.firstSequence();
      HashChain.Anchor anchor = journal.chainAnchor(first);
      if (anchor == null) {
        throw new IOException("the oldest segment has no chain anchor");
      }
      start = new Journal.Chain(first - 1, anchor.value());
    }
    if (end <= start.sequence()) {
      return new org.opentrail.api.store.ChainCheck(
          journal.streamName(),
          new org.opentrail.api.store.ChainHead(start.sequence(), hex(start.value())),
          0,
          0,
          List.of());
    }
    ChainWalker.Result r = walk(journal, start.sequence(), start.value(), end, progress);
    List<org.opentrail.api.store.ChainBreak> breaks = new java.util.ArrayList<>(r.breaks());
    long segmentFirst = journal.segmentHolding(Math.max(end, journal.firstSequence()));
    if (end == c.sequence()
        && r.breaks().stream()
            .noneMatch(
                b ->
                    b.kind() != org.opentrail.api.store.ChainBreak.Kind.RETAINED_AWAY
                        && b.lastSequence() >= segmentFirst)
        && !java.util.Arrays.equals(r.value(), c.value())) {
      breaks.add(
          new org.opentrail.api.store.ChainBreak(
              Math.max(segmentFirst, start.sequence() + 1),
              end,
              org.opentrail.api.store.ChainBreak.Kind.ALTERED,
              "the records recompute to "
                  + hex(r.value())
                  + " but the writer chained "
                  + hex(c.value())
                  + " as it acknowledged them"));
    }
    return new org.opentrail.api.store.ChainCheck(
        journal.streamName(),
        new org.opentrail.api.store.ChainHead(r.sequence(), hex(r.value())),
        r.events(),
        r.bytes(),
        breaks);
  }

  private void damaged(long first, long last, String reason) {
    if (!breaks.isEmpty()) {
      ChainBreak p = breaks.get(breaks.size() - 1);
      if (p.kind() == ChainBreak.Kind.DAMAGED && p.lastSequence() + 1 == first) {
        breaks.set(
            breaks.size() - 1, new ChainBreak(p.firstSequence(), last, p.kind(), p.detail()));
        return;
      }
    }
    breaks.add(
        new ChainBreak(
            first,
            last,
            ChainBreak.Kind.DAMAGED,
            "cannot be read ("
                + reason
                + "): these events, and the rest of the range the chain is checked over, are not"
                + " proven"));
  }

  static String hex(byte[] v) {
    return HexFormat.of().formatHex(v);
  }
}
