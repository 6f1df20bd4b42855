package org.opentrail.store.journal;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a journal's hash chain back at open: every segment gets its anchor (a journal written
 * before chains existed, or a crash between a segment's anchor and its creation, leaves some
 * without), then the newest segment's records are hashed from its anchor to the newest record.
 */
final class ChainRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(ChainRecovery.class);

  private ChainRecovery() {}

  /**
   * The chain after {@code last}, anchors written where missing; from {@code point} (the writer's
   * own value, see {@link ChainPoint}) when it lies in the newest segment, else from its anchor.
   */
  static Journal.Chain run(Journal journal, long last, Journal.Chain point) throws IOException {
    List<Long> starts = journal.segmentStarts();
    byte[] value = null;
    long at = -1;
    for (int i = 0; i < starts.size(); i++) {
      long first = starts.get(i);
      byte[] anchor = anchor(journal, first);
      if (anchor == null) {
        if (i == 0) {
          anchor = HashChain.genesis(journal.streamName());
          if (first > 1) {
            LOG.warn(
                "Journal {}: its hash chain starts at sequence {} (no anchor for the events"
                    + " before it: written before chains existed, or removed)",
                journal.dir(),
                first);
          }
        } else {
          anchor = ChainWalker.walk(journal, at, value, first - 1, null).value();
          LOG.info(
              "Journal {}: chain anchor of the segment from sequence {} recomputed",
              journal.dir(),
              first);
        }
        HashChain.writeAnchor(journal.dir(), first - 1, anchor, false);
      }
      value = anchor;
      at = first - 1;
    }
    if (point != null && point.sequence() >= at && point.sequence() <= last) {
      at = point.sequence();
      value = point.value();
    } else if (last > at) {
      LOG.error(
          "Journal {}: its chain-point is {}; the chain is recomputed from the newest segment's"
              + " anchor, so records {} to {} read back from disk become part of it unproven",
          journal.dir(),
          point == null ? "missing or damaged" : "at sequence " + point.sequence(),
          at + 1,
          last);
    }
    if (last <= at) {
      return new Journal.Chain(at, value);
    }
    ChainWalker.Result r = ChainWalker.walk(journal, at, value, last, null);
    if (r.skipped()) {
      // the value misses unreadable records: anchor a new segment on it, so that a check resumes
      // there instead of calling the newest records altered
      LOG.warn(
          "Journal {}: its hash chain could not include {}; it goes on in a new segment",
          journal.dir(),
          r.breaks());
      journal.rollOnNextAppend();
    }
    return new Journal.Chain(last, r.value());
  }

  private static byte[] anchor(Journal journal, long first) throws IOException {
    try {
      HashChain.Anchor a = journal.chainAnchor(first);
      return a == null ? null : a.value();
    } catch (IOException damaged) {
      LOG.warn("Journal {}: {}; it is recomputed", journal.dir(), damaged.getMessage());
      return null;
    }
  }
}
