package org.opentrail.api.consume;

import java.time.Instant;

/**
 * A consumer group of one account's logstore (Log Service's CreateConsumerGroup / ListConsumerGroup
 * entry).
 *
 * @param logstore the logstore as its owner names it ({@code actiontrail_<trail>}, {@code
 *     innertrail_<name>}, or {@code history})
 * @param name the group's name, unique in the logstore
 * @param timeoutSeconds how long a consumer holds shard 0 without a heartbeat, in seconds
 * @param inOrder Log Service's {@code order}: kept and shown; with one shard, always in order
 * @param createTime when it was created
 */
public record ConsumerGroup(
    String logstore, String name, int timeoutSeconds, boolean inOrder, Instant createTime) {}
