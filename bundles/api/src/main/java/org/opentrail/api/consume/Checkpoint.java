package org.opentrail.api.consume;

import java.time.Instant;

/**
 * A consumer group's checkpoint on one shard (Log Service's GetCheckPoint entry).
 *
 * @param shard the shard, always 0 here
 * @param cursor the cursor consumption resumes from, or {@code ""} if the group never saved one
 * @param sequence the sequence number the cursor stands after (0 if none)
 * @param consumer the consumer that saved it, or {@code ""}
 * @param updateTime when it was saved, or {@code null} if never
 */
public record Checkpoint(
    int shard, String cursor, long sequence, String consumer, Instant updateTime) {}
