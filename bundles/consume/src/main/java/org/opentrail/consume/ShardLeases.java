package org.opentrail.consume;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which consumer of a group holds shard 0 (Log Service's heartbeat-based assignment): the first to
 * beat gets it and keeps it while it beats within the group's timeout; then the next one to beat
 * takes it over. Kept in memory, as Log Service keeps consumers: after a restart they beat again.
 */
final class ShardLeases {
  private record Lease(String consumer, long lastBeatMillis) {}

  private final Map<String, Lease> leases = new ConcurrentHashMap<>();

  /** The shards {@code consumer} holds after this heartbeat at {@code nowMillis}. */
  List<Integer> beat(String key, String consumer, int timeoutSeconds, long nowMillis) {
    Lease l =
        leases.compute(
            key,
            (k, old) ->
                old == null
                        || old.consumer().equals(consumer)
                        || nowMillis - old.lastBeatMillis() > timeoutSeconds * 1000L
                    ? new Lease(consumer, nowMillis)
                    : old);
    return l.consumer().equals(consumer) ? List.of(0) : List.of();
  }

  /** Forgets a deleted group's consumers. */
  void forget(String key) {
    leases.remove(key);
  }
}
