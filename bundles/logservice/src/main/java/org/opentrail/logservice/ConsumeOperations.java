package org.opentrail.logservice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.consume.Checkpoint;
import org.opentrail.api.consume.ConsumerGroup;
import org.opentrail.api.consume.CursorStart;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.consume.LostRange;
import org.opentrail.api.consume.PullResult;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.store.StoredEvent;

/**
 * ListShards, GetCursor, PullLogs and the consumer group operations over {@link LogConsumer}, in
 * Log Service's shapes (its API reference): one shard, 0, {@code readwrite}; a cursor as {@code
 * {"cursor"}}; PullLogs as a compressed LogGroupList ({@link LogGroupCodec}) with {@code
 * x-log-cursor} (the next cursor), {@code x-log-count} (log groups, one per event), {@code
 * x-log-bodyrawsize} and {@code x-log-compresstype}; checkpoints as {@code
 * [{"shard","checkpoint","updateTime" (microseconds),"consumer"}]}.
 *
 * <p>Events this API recorded for consumption calls ({@link #CONSUMPTION}) are passed over by
 * PullLogs, so that a consumer following the history (or a logstore a trail fills from it) is not
 * fed the records of its own pulls forever; they stay in the history and GetLogs finds them. A pull
 * that finds only such records (or, in the history, only other accounts' events) goes on, up to
 * {@value #MAX_ROUNDS} pulls, so an empty answer means the consumer has (almost always) reached the
 * end; its cursor still moves past them.
 */
final class ConsumeOperations {
  /** The event source of the audit events this API records. */
  static final String EVENT_SOURCE = "log.opentrail";

  /**
   * The start of {@code recordedBy.bundle} in the events this bundle records ({@code
   * "org.opentrail.logservice <version>"}), which the recorder sets from the framework and no
   * caller can: an event posted with PutEvents may claim any eventSource and eventName.
   */
  static final String RECORDED_BY_THIS_BUNDLE = "org.opentrail.logservice ";

  /** The operations whose audit events PullLogs passes over. */
  static final Set<String> CONSUMPTION =
      Set.of(
          LogOperation.LIST_SHARDS.eventName,
          LogOperation.GET_CURSOR.eventName,
          LogOperation.PULL_LOGS.eventName,
          LogOperation.HEARTBEAT.eventName,
          LogOperation.UPDATE_CHECKPOINT.eventName,
          LogOperation.GET_CHECKPOINT.eventName);

  /** Most pulls one PullLogs makes while it finds only records of consumption calls. */
  private static final int MAX_ROUNDS = 16;

  private static final String HASH_BEGIN = "00000000000000000000000000000000";
  private static final String HASH_END = "ffffffffffffffffffffffffffffffff";

  private final LogConsumer consumer;

  ConsumeOperations(LogConsumer consumer) {
    this.consumer = consumer;
  }

  Reply listShards(LogRequest r) {
    // the cursor checks that the logstore exists, as every other call does
    consumer.cursor(r.principal.accountId(), r.route.logstore(), CursorStart.end());
    Map<String, Object> shard = new LinkedHashMap<>();
    shard.put("shardID", LogConsumer.SHARD);
    shard.put("status", "readwrite");
    shard.put("inclusiveBeginKey", HASH_BEGIN);
    shard.put("exclusiveEndKey", HASH_END);
    shard.put("createTime", 0);
    return Reply.json(List.of(shard));
  }

  Reply getCursor(LogRequest r) {
    checkShard(r.route.shard());
    String from = r.param("from");
    CursorStart start = CursorStart.parse(from == null ? null : from.strip());
    String cursor = consumer.cursor(r.principal.accountId(), r.route.logstore(), start);
    return Reply.json(Map.of("cursor", cursor));
  }

  Reply pullLogs(LogRequest r) {
    checkShard(r.route.shard());
    String cursor = r.param("cursor");
    if (cursor == null || cursor.isEmpty()) {
      throw new OpenTrailException("InvalidCursor", "The parameter cursor is required.", 400);
    }
    for (String unsupported : List.of("end_cursor", "query")) {
      String v = r.param(unsupported);
      if (v != null && !v.isEmpty()) {
        throw LogErrors.invalid(
            "The parameter " + unsupported + " of PullLogs is not supported by OpenTrail.");
      }
    }
    int count = r.intParam("count", 100, 1, LogConsumer.MAX_PULL_EVENTS);
    String account = r.principal.accountId();
    String logstore = r.route.logstore();
    List<StoredEvent> events = new ArrayList<>();
    List<LostRange> lost = new ArrayList<>();
    PullResult p;
    String from = cursor;
    long bytes = 0;
    int rounds = 0;
    do {
      // a pull that found only records of consumption calls (or, in the history, only other
      // accounts' events) goes on, so that an empty answer means the consumer is at the end
      p = consumer.pull(account, logstore, from, count, LogConsumer.MAX_PULL_BYTES);
      for (StoredEvent e : p.events()) {
        if (!ownConsumption(e)) {
          events.add(e);
        }
      }
      lost.addAll(p.lost());
      bytes += p.bytes();
      from = p.nextCursor();
    } while (events.isEmpty()
        && lost.isEmpty()
        && !p.cursor().equals(p.nextCursor())
        && ++rounds < MAX_ROUNDS);
    byte[] raw = LogGroupCodec.logGroupList(r.route.logstore(), events);
    LogGroupCodec.Encoded enc = LogGroupCodec.compress(raw, r.headers.get("accept-encoding"));
    r.auditNote = events.size() + " logs";
    Reply reply =
        new Reply("application/x-protobuf", new LinkedHashMap<>(), enc.body())
            .header("x-log-cursor", from)
            .header("x-log-count", events.size())
            .header("x-log-bodyrawsize", enc.rawSize())
            .header("x-log-compresstype", enc.compressType())
            .header("x-log-rawdatacount", events.size())
            .header("x-log-rawdatasize", bytes);
    if (!lost.isEmpty()) {
      List<String> text = new ArrayList<>();
      lost.forEach(l -> text.add(l.text()));
      reply.header("x-log-lost-ranges", String.join("; ", text));
      r.auditNote += ", lost " + String.join("; ", text);
    }
    return reply;
  }

  /**
   * Whether an event is the record of a consumption call made through this API: recorded by this
   * bundle, not merely claiming its eventSource and a consumption call's eventName.
   */
  static boolean ownConsumption(StoredEvent e) {
    return EVENT_SOURCE.equals(e.event().get(EventFields.EVENT_SOURCE))
        && CONSUMPTION.contains(e.event().eventName())
        && e.event().get(EventFields.RECORDED_BY) instanceof Map<?, ?> by
        && by.get("bundle") instanceof String bundle
        && bundle.startsWith(RECORDED_BY_THIS_BUNDLE);
  }

  Reply createGroup(LogRequest r) {
    Map<String, Object> body = JsonBody.object(r.body);
    String name = JsonBody.string(body, "consumerGroup", null);
    if (name == null || name.isEmpty()) {
      throw LogErrors.invalid("The parameter consumerGroup is required.");
    }
    int timeout = JsonBody.integer(body, "timeout", null, 1, 86_400);
    boolean order = JsonBody.bool(body, "order", false);
    consumer.createGroup(r.principal.accountId(), r.route.logstore(), name, timeout, order);
    r.auditNote = "group " + LogRequest.printable(name, 128);
    return Reply.json(null);
  }

  Reply listGroups(LogRequest r) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ConsumerGroup g : consumer.groups(r.principal.accountId(), r.route.logstore())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", g.name());
      m.put("timeout", g.timeoutSeconds());
      m.put("order", g.inOrder());
      out.add(m);
    }
    return Reply.json(out);
  }

  Reply deleteGroup(LogRequest r) {
    consumer.deleteGroup(r.principal.accountId(), r.route.logstore(), r.route.group());
    return Reply.json(null);
  }

  Reply updateCheckpoint(LogRequest r) {
    Map<String, Object> body = JsonBody.object(r.body);
    int shard = JsonBody.integer(body, "shard", null, 0, Integer.MAX_VALUE);
    String cursor = JsonBody.string(body, "checkpoint", null);
    if (cursor == null || cursor.isEmpty()) {
      throw LogErrors.invalid("The parameter checkpoint is required.");
    }
    String who = r.param("consumer") == null ? "" : r.param("consumer");
    consumer.updateCheckpoint(
        r.principal.accountId(), r.route.logstore(), r.route.group(), shard, who, cursor);
    return Reply.json(null);
  }

  Reply heartbeat(LogRequest r) {
    String who = r.param("consumer");
    if (who == null || who.isEmpty()) {
      throw LogErrors.invalid("The parameter consumer is required.");
    }
    for (Object shard : JsonBody.array(r.body)) {
      if (!(shard instanceof Number)) {
        throw LogErrors.invalid("A heartbeat's body is a JSON array of shard numbers.");
      }
    }
    List<Integer> held =
        consumer.heartbeat(r.principal.accountId(), r.route.logstore(), r.route.group(), who);
    return Reply.json(held);
  }

  Reply checkpoints(LogRequest r) {
    int shard = r.intParam("shard", -1, -1, Integer.MAX_VALUE);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Checkpoint c :
        consumer.checkpoints(r.principal.accountId(), r.route.logstore(), r.route.group())) {
      if (shard >= 0 && c.shard() != shard) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shard", c.shard());
      m.put("checkpoint", c.cursor());
      m.put(
          "updateTime",
          c.updateTime() == null
              ? 0
              : c.updateTime().getEpochSecond() * 1_000_000 + c.updateTime().getNano() / 1000);
      m.put("consumer", c.consumer());
      out.add(m);
    }
    return Reply.json(out);
  }

  private static void checkShard(int shard) {
    if (shard != LogConsumer.SHARD) {
      throw new OpenTrailException("ShardNotExist", "The shard " + shard + " does not exist.", 404);
    }
  }
}
