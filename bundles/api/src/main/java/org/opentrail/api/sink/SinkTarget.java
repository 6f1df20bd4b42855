package org.opentrail.api.sink;

import java.util.Map;
import java.util.Objects;

/**
 * The destination a sink is opened for.
 *
 * @param accountId the trail's account
 * @param trailName the trail
 * @param destinationId the destination within the trail
 * @param config its configuration, validated by the provider, with secrets in plain text (the trail
 *     engine stores them encrypted and decrypts them only to open the sink)
 * @param ownerAccountId the account that owns the resources the destination writes into: the
 *     trail's account, or the account of the role the destination delivers through (ActionTrail's
 *     "delivery to another account", {@code OssWriteRoleArn}, {@code SlsWriteRoleArn}, ...). Per
 *     trail resources a sink creates itself (a logstore, an index) belong to this account.
 * @since 1.3 ({@code ownerAccountId})
 */
public record SinkTarget(
    String accountId,
    String trailName,
    String destinationId,
    Map<String, String> config,
    String ownerAccountId) {
  public SinkTarget {
    Objects.requireNonNull(accountId, "accountId");
    config = Map.copyOf(config);
    ownerAccountId = ownerAccountId == null ? accountId : ownerAccountId;
  }

  /** A target whose resources belong to the trail's own account. */
  public SinkTarget(
      String accountId, String trailName, String destinationId, Map<String, String> config) {
    this(accountId, trailName, destinationId, config, accountId);
  }
}
