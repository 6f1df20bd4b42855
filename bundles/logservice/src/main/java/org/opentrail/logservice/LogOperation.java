package org.opentrail.logservice;

import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;

/**
 * The Log Service operations this API answers, with the RAM action each is authorized with (Log
 * Service's RAM actions, "Authorization rules"), and how a request's method and path name one.
 */
enum LogOperation {
  LIST_LOGSTORES("ListLogStores", "log:ListLogStores", false),
  GET_LOGS("GetLogs", "log:GetLogStoreLogs", false),
  GET_HISTOGRAMS("GetHistograms", "log:GetLogStoreHistogram", false),
  LIST_SHARDS("ListShards", "log:ListShards", false),
  GET_CURSOR("GetCursor", "log:GetCursorOrData", false),
  PULL_LOGS("PullLogs", "log:GetCursorOrData", false),
  CREATE_CONSUMER_GROUP("CreateConsumerGroup", "log:CreateConsumerGroup", true),
  LIST_CONSUMER_GROUP("ListConsumerGroup", "log:ListConsumerGroup", false),
  DELETE_CONSUMER_GROUP("DeleteConsumerGroup", "log:DeleteConsumerGroup", true),
  UPDATE_CHECKPOINT("ConsumerGroupUpdateCheckPoint", "log:ConsumerGroupUpdateCheckPoint", true),
  HEARTBEAT("ConsumerGroupHeartBeat", "log:ConsumerGroupHeartBeat", true),
  GET_CHECKPOINT("GetCheckPoint", "log:GetConsumerGroupCheckPoint", false);

  /** Log Service's logstore and consumer group names. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{1,126}[a-z0-9]");

  private static final Pattern GROUP =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,126}[A-Za-z0-9]");

  final String eventName;
  final String ramAction;
  final boolean write;

  LogOperation(String eventName, String ramAction, boolean write) {
    this.eventName = eventName;
    this.ramAction = ramAction;
    this.write = write;
  }

  /**
   * An operation and what its path names.
   *
   * @param logstore the logstore, or {@code null} for ListLogStores
   * @param shard the shard of a shard path, else -1
   * @param group the consumer group of a group path, else {@code null}
   */
  record Route(LogOperation op, String logstore, int shard, String group) {}

  /**
   * The operation a request names: Log Service's REST paths under {@code /logstores}.
   *
   * @param type the {@code type} query parameter, or {@code null}
   * @throws OpenTrailException {@code Unauthorized} (403) for writes (PutLogs, creating or changing
   *     logstores: OpenTrail's logstores are written only by its trails), {@code ParameterInvalid}
   *     (400) for a malformed name, {@code RequestURINotFound} (404) for any other path
   */
  static Route route(String method, String path, String type) {
    String[] s = path.equals("/logstores") ? new String[0] : segments(path);
    boolean get = method.equals("GET");
    boolean post = method.equals("POST");
    if (s.length == 0) {
      if (get) {
        return new Route(LIST_LOGSTORES, null, -1, null);
      }
      throw readOnly("creating logstores");
    }
    String logstore = name(s[0], NAME, "logstore");
    if (s.length == 1) {
      throw get ? notFound(path) : readOnly("changing logstores");
    }
    String what = s[1];
    if (s.length == 2 && what.equals("logs") && post) {
      return new Route(GET_LOGS, logstore, -1, null);
    }
    if (s.length == 2 && what.equals("index") && get && "histogram".equals(type)) {
      return new Route(GET_HISTOGRAMS, logstore, -1, null);
    }
    if (s.length == 2 && what.equals("shards") && get) {
      return new Route(LIST_SHARDS, logstore, -1, null);
    }
    if (s.length == 3 && what.equals("shards")) {
      if (!get) {
        throw readOnly("PutLogs");
      }
      int shard = shard(s[2]);
      if ("cursor".equals(type)) {
        return new Route(GET_CURSOR, logstore, shard, null);
      }
      if ("logs".equals(type) || "log".equals(type)) {
        return new Route(PULL_LOGS, logstore, shard, null);
      }
      throw LogErrors.invalid("The parameter type of a shard request must be cursor or logs.");
    }
    if (what.equals("consumergroups")) {
      if (s.length == 2) {
        if (post) {
          return new Route(CREATE_CONSUMER_GROUP, logstore, -1, null);
        }
        if (get) {
          return new Route(LIST_CONSUMER_GROUP, logstore, -1, null);
        }
      } else if (s.length == 3) {
        String group = name(s[2], GROUP, "consumer group");
        if (method.equals("DELETE")) {
          return new Route(DELETE_CONSUMER_GROUP, logstore, -1, group);
        }
        if (get) {
          return new Route(GET_CHECKPOINT, logstore, -1, group);
        }
        if (post && "checkpoint".equals(type)) {
          return new Route(UPDATE_CHECKPOINT, logstore, -1, group);
        }
        if (post && "heartbeat".equals(type)) {
          return new Route(HEARTBEAT, logstore, -1, group);
        }
      }
    }
    if (what.equals("shards") && post) {
      throw readOnly("PutLogs");
    }
    throw notFound(path);
  }

  private static String[] segments(String path) {
    String rest = path.substring("/logstores/".length());
    if (rest.isEmpty() || rest.endsWith("/") || rest.contains("//")) {
      throw notFound(path);
    }
    return rest.split("/");
  }

  private static String name(String s, Pattern p, String what) {
    if (!p.matcher(s).matches()) {
      throw LogErrors.invalid(
          "The " + what + " name '" + LogRequest.printable(s, 64) + "' is not a valid name.");
    }
    return s;
  }

  private static int shard(String s) {
    if (!s.matches("[0-9]{1,9}")) {
      throw LogErrors.invalid("The shard '" + LogRequest.printable(s, 64) + "' is not a number.");
    }
    return Integer.parseInt(s);
  }

  private static OpenTrailException readOnly(String what) {
    return new OpenTrailException(
        "Unauthorized",
        "OpenTrail's logstores are read-only through this API ("
            + what
            + " is not allowed): trails write them.",
        403);
  }

  private static OpenTrailException notFound(String path) {
    return new OpenTrailException(
        "RequestURINotFound",
        "No Log Service operation answers "
            + LogRequest.printable(path, 128)
            + " here; see docs/logservice-api.md for the operations OpenTrail serves.",
        404);
  }
}
