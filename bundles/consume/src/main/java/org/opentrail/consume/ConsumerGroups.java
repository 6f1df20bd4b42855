package org.opentrail.consume;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.consume.Checkpoint;
import org.opentrail.api.consume.ConsumerGroup;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.internal.durable.DamagedFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer groups of every account, with Log Service's rules (unique names per logstore, at
 * most 30 per logstore) and errors, kept by {@link GroupFiles}. Changes are serialized: each one
 * reads the group's file, changes it and writes it back durably before it answers.
 */
final class ConsumerGroups {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroups.class);

  private final GroupFiles files;
  private final ShardLeases leases = new ShardLeases();

  ConsumerGroups(GroupFiles files) {
    this.files = files;
  }

  synchronized ConsumerGroup create(
      String account, String logstore, String name, int timeout, boolean inOrder, Instant now) {
    try {
      if (files.read(account, logstore, name) != null) {
        throw new OpenTrailException(
            "ConsumerGroupAlreadyExist",
            "The consumer group " + name + " of logstore " + logstore + " already exists.",
            409);
      }
      if (files.list(account, logstore).size() >= LogConsumer.MAX_GROUPS_PER_LOGSTORE) {
        throw new OpenTrailException(
            "ConsumerGroupQuotaExceed",
            "The logstore "
                + logstore
                + " has "
                + LogConsumer.MAX_GROUPS_PER_LOGSTORE
                + " consumer groups, the most it may have.",
            400);
      }
      ConsumerGroup g = new ConsumerGroup(logstore, name, timeout, inOrder, now);
      files.write(account, new GroupFiles.Group(g, new Checkpoint(0, "", 0, "", null)));
      LOG.info("Account {}: consumer group {} of logstore {} created", account, name, logstore);
      return g;
    } catch (IOException e) {
      throw failure(e);
    }
  }

  synchronized List<ConsumerGroup> list(String account, String logstore) {
    try {
      return files.list(account, logstore).stream().map(GroupFiles.Group::group).toList();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  synchronized void delete(String account, String logstore, String name) {
    safe(logstore);
    try {
      if (!files.delete(account, logstore, name)) {
        throw notFound(logstore, name);
      }
      leases.forget(account + "/" + logstore + "/" + name);
      LOG.info("Account {}: consumer group {} of logstore {} deleted", account, name, logstore);
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** The group, or {@code ConsumerGroupNotExist}. */
  synchronized GroupFiles.Group get(String account, String logstore, String name) {
    try {
      GroupFiles.Group g = files.read(account, logstore, name);
      if (g == null) {
        throw notFound(logstore, name);
      }
      return g;
    } catch (IOException e) {
      throw failure(e);
    }
  }

  synchronized Checkpoint checkpoint(
      String account, String logstore, String name, String consumer, String cursor, long seq) {
    GroupFiles.Group g = get(account, logstore, name);
    Checkpoint p = new Checkpoint(0, cursor, seq, consumer, Instant.now());
    try {
      files.write(account, new GroupFiles.Group(g.group(), p));
    } catch (IOException e) {
      throw failure(e);
    }
    return p;
  }

  List<Integer> heartbeat(String account, String logstore, String name, String consumer, long now) {
    GroupFiles.Group g = get(account, logstore, name);
    return leases.beat(
        account + "/" + logstore + "/" + name, consumer, g.group().timeoutSeconds(), now);
  }

  private static void safe(String logstore) {
    if (logstore == null || !logstore.matches("[a-z0-9][a-z0-9_-]{0,95}")) {
      throw new OpenTrailException(
          "LogStoreNotExist", "The logstore " + logstore + " does not exist.", 404);
    }
  }

  private static OpenTrailException notFound(String logstore, String name) {
    return new OpenTrailException(
        "ConsumerGroupNotExist",
        "The consumer group " + name + " of logstore " + logstore + " does not exist.",
        404);
  }

  private static OpenTrailException failure(IOException e) {
    if (e instanceof DamagedFileException d) {
      LOG.error("A consumer group file is damaged; it is left as it is: {}", d.getMessage());
      return new OpenTrailException(
          "CheckpointDamaged",
          d.getMessage()
              + " Restore it from a backup, or delete the group and create it again knowingly.",
          500,
          e);
    }
    return new OpenTrailException(
        "InternalError", "Consumer group state could not be read or written: " + e, 500, e);
  }
}
