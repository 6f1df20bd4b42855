package org.opentrail.api.sink;

import java.util.Map;

/**
 * The destination a sink is opened for.
 *
 * @param accountId the trail's account
 * @param trailName the trail
 * @param destinationId the destination within the trail
 * @param config its configuration, validated by the provider
 */
public record SinkTarget(
    String accountId, String trailName, String destinationId, Map<String, String> config) {
  public SinkTarget {
    config = Map.copyOf(config);
  }
}
