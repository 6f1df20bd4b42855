package org.opentrail.api.store;

import java.util.List;

/**
 * What {@link EventStore#verify} found in one stream.
 *
 * @param stream the stream
 * @param blocks journal blocks read and checked
 * @param bytes journal bytes read
 * @param events events in the blocks that passed
 * @param damaged every damaged range, those found now and those known before
 * @param indexProblems index partitions that are missing, fail Lucene's checksums or disagree with
 *     the journal, in words (each is rebuilt in the background)
 * @param millis how long the check took
 */
public record VerifyReport(
    String stream,
    long blocks,
    long bytes,
    long events,
    List<DamagedRange> damaged,
    List<String> indexProblems,
    long millis) {
  public VerifyReport {
    damaged = List.copyOf(damaged);
    indexProblems = List.copyOf(indexProblems);
  }

  /** True if nothing is damaged: no range, or every event of each range was repaired. */
  public boolean clean() {
    return indexProblems.isEmpty()
        && damaged.stream().allMatch(d -> d.repairedEvents() >= d.events());
  }
}
