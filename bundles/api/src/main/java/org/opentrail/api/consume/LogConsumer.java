package org.opentrail.api.consume;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads an account's logstore (or its events in the event history) in sequence order, from opaque
 * cursors, and keeps consumer groups' checkpoints: Log Service's GetCursor, PullLogs and consumer
 * group operations over OpenTrail's store, shaped so that a Log Service-compatible HTTP layer can
 * answer them.
 *
 * <p>Every call names the account and the logstore as the account's users do: {@code
 * actiontrail_<trail>}, {@code innertrail_<name>} (each account's own, see {@code
 * org.opentrail.api.trail.Logstores}), or {@code history} (the account's events in the event
 * history). A logstore the account does not have is {@code LogStoreNotExist} (404), whoever else
 * has one of that name, as LookupEvents answers. A cursor names its account and logstore and is
 * signed; it is checked on every pull, and one that was altered, forged or made for another account
 * or logstore is {@code InvalidCursor} (400).
 *
 * <p>Consumer group checkpoints do not hold retention (as in Log Service): a consumer that falls
 * behind is told, in {@link PullResult#lost()}, exactly which sequence range it lost.
 *
 * <p>Errors are {@link org.opentrail.api.OpenTrailException}s with Log Service's codes: {@code
 * LogStoreNotExist} (404), {@code InvalidCursor} (400), {@code ConsumerGroupNotExist} (404), {@code
 * ConsumerGroupAlreadyExist} (409), {@code ConsumerGroupQuotaExceed} (400), {@code ShardNotExist}
 * (404), {@code InvalidParameter} (400) naming the parameter; {@code CheckpointDamaged} (500) when
 * a group's checkpoint file cannot be read (it is never reset silently).
 */
@ProviderType
public interface LogConsumer {
  /** The only shard of an OpenTrail logstore. */
  int SHARD = 0;

  /** Most events one pull returns (Log Service's PullLogs {@code count} limit). */
  int MAX_PULL_EVENTS = 1000;

  /** Most bytes of event JSON one pull returns, unless its first event alone is larger. */
  long MAX_PULL_BYTES = 10L * 1024 * 1024;

  /** Most consumer groups per logstore (Log Service's quota of 30). */
  int MAX_GROUPS_PER_LOGSTORE = 30;

  /** The logstore name that means the account's events in the event history. */
  String HISTORY = "history";

  /**
   * A cursor on a logstore (GetCursor).
   *
   * @return an opaque base64url string
   * @throws org.opentrail.api.OpenTrailException {@code LogStoreNotExist} (404)
   */
  String cursor(String accountId, String logstore, CursorStart from);

  /**
   * Up to {@code maxEvents} events after {@code cursor}, in sequence order, no more than {@code
   * maxBytes} of JSON (but at least one event if there is one), and the cursor to go on from
   * (PullLogs). Passes over ranges that cannot be read any more and reports each in {@link
   * PullResult#lost()}. On the history, only the account's own events are returned; the cursor
   * still moves over the others.
   *
   * @param maxEvents 1 to {@link #MAX_PULL_EVENTS}
   * @param maxBytes 1 to {@link #MAX_PULL_BYTES}
   * @throws org.opentrail.api.OpenTrailException {@code LogStoreNotExist} (404), {@code
   *     InvalidCursor} (400), {@code InvalidParameter} (400)
   */
  PullResult pull(String accountId, String logstore, String cursor, int maxEvents, long maxBytes);

  /**
   * Creates a consumer group (CreateConsumerGroup). Names follow Log Service's resource naming: 2
   * to 128 characters, letters, digits, {@code _} and {@code -}, starting and ending with a letter
   * or digit.
   *
   * @param timeoutSeconds 1 to 86400
   * @throws org.opentrail.api.OpenTrailException {@code ConsumerGroupAlreadyExist} (409), {@code
   *     ConsumerGroupQuotaExceed} (400), {@code InvalidParameter} (400), {@code LogStoreNotExist}
   */
  ConsumerGroup createGroup(
      String accountId, String logstore, String group, int timeoutSeconds, boolean inOrder);

  /**
   * The account's consumer groups of a logstore (ListConsumerGroup), by name; with {@code logstore}
   * {@code null}, of all its logstores, by logstore then name.
   */
  List<ConsumerGroup> groups(String accountId, String logstore);

  /**
   * Deletes a consumer group and its checkpoints (DeleteConsumerGroup).
   *
   * @throws org.opentrail.api.OpenTrailException {@code ConsumerGroupNotExist} (404)
   */
  void deleteGroup(String accountId, String logstore, String group);

  /**
   * Saves a group's checkpoint on a shard durably (ConsumerGroupUpdateCheckPoint): the cursor must
   * be one this service made for this account and logstore.
   *
   * @param consumer the consumer saving it (Log Service's {@code consumer}), may be empty
   * @throws org.opentrail.api.OpenTrailException {@code ConsumerGroupNotExist} (404), {@code
   *     ShardNotExist} (404), {@code InvalidCursor} (400)
   */
  Checkpoint updateCheckpoint(
      String accountId, String logstore, String group, int shard, String consumer, String cursor);

  /**
   * A group's checkpoints, one per shard (GetCheckPoint); a shard never checkpointed has an empty
   * cursor.
   *
   * @throws org.opentrail.api.OpenTrailException {@code ConsumerGroupNotExist} (404), {@code
   *     CheckpointDamaged} (500)
   */
  List<Checkpoint> checkpoints(String accountId, String logstore, String group);

  /**
   * A consumer's heartbeat (ConsumerGroupHeartBeat): the shards it holds from now on. Shard 0 goes
   * to one consumer at a time, until it misses heartbeats for the group's timeout.
   *
   * @throws org.opentrail.api.OpenTrailException {@code ConsumerGroupNotExist} (404)
   */
  List<Integer> heartbeat(String accountId, String logstore, String group, String consumer);
}
