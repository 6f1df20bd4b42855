package org.opentrail.consume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.consume.Checkpoint;
import org.opentrail.api.consume.ConsumerGroup;
import org.opentrail.api.consume.CursorStart;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.consume.PullResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.Logstores;
import org.opentrail.consume.CursorCodec.Cursor;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogConsumer} over the event store: cursors signed with a key kept in {@code
 * <data>/consume/cursor.key}, pulls by sequence number that report lost ranges, and consumer groups
 * in {@code <data>/consume/groups/} (see {@link GroupFiles}).
 */
@Component(service = LogConsumer.class)
public final class LogConsumerService implements LogConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(LogConsumerService.class);
  private static final Pattern ACCOUNT = org.opentrail.api.auth.IdentityService.ACCOUNT_ID;

  /** Log Service's resource names: letters, digits, '_' and '-', 2 to 128, no edge '_' or '-'. */
  static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,126}[A-Za-z0-9]");

  private static final int KEY_BYTES = 32;

  private final EventStore store;
  private final StreamReader reader;
  private final CursorCodec cursors;
  private final ConsumerGroups groups;

  @Activate
  public LogConsumerService(@Reference EventStore store, BundleContext context) throws IOException {
    this(store, dataDir(context));
  }

  /** A consumer service outside OSGi (tests, benchmarks) keeping its state in {@code dir}. */
  public LogConsumerService(EventStore store, Path dir) throws IOException {
    this.store = store;
    this.reader = new StreamReader(store);
    this.cursors = new CursorCodec(key(dir.resolve("cursor.key")));
    this.groups = new ConsumerGroups(new GroupFiles(dir.resolve("groups")));
    LOG.info("Stream consumption ready, state in {}", dir);
  }

  private static Path dataDir(BundleContext context) {
    String data = context.getProperty("opentrail.data");
    return data != null ? Paths.get(data, "consume") : context.getDataFile("consume").toPath();
  }

  /** The cursor key, made once; one of the wrong size is refused, never replaced. */
  static byte[] key(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] key = new byte[KEY_BYTES];
      new SecureRandom().nextBytes(key);
      DurableFiles.createPrivateDirectories(file.getParent());
      if (DurableFiles.writeNew(file, key)) {
        return key;
      }
    }
    byte[] key = Files.readAllBytes(file);
    if (key.length != KEY_BYTES) {
      throw new DamagedFileException(
          file,
          "the cursor key must be "
              + KEY_BYTES
              + " bytes, not "
              + key.length
              + "; delete it to make a new one (every cursor and checkpoint handed out stops"
              + " working)");
    }
    return key;
  }

  @Override
  public String cursor(String accountId, String logstore, CursorStart from) {
    String stream = stream(accountId, logstore);
    long[] at =
        switch (from.kind()) {
          case BEGIN -> {
            var first = reader.oldest(stream);
            yield first == null ? reader.end(stream) : new long[] {first.sequence() - 1, -1};
          }
          case END -> reader.end(stream);
          case TIME -> reader.at(stream, from.time().toEpochMilli());
        };
    return cursors.encode(new Cursor(accountId, logstore, at[0], at[1]));
  }

  @Override
  public PullResult pull(
      String accountId, String logstore, String cursor, int maxEvents, long maxBytes) {
    String stream = stream(accountId, logstore);
    if (maxEvents < 1 || maxEvents > MAX_PULL_EVENTS) {
      throw new InvalidParameterException(
          "Count", "The parameter Count must be from 1 to " + MAX_PULL_EVENTS + ".");
    }
    if (maxBytes < 1 || maxBytes > MAX_PULL_BYTES) {
      throw new InvalidParameterException(
          "MaxBytes", "The parameter MaxBytes must be from 1 to " + MAX_PULL_BYTES + ".");
    }
    Cursor c = checked(accountId, logstore, cursor);
    long end = store.lastSequence(stream);
    if (c.sequence() > end) {
      throw CursorCodec.invalid("it is beyond the end of logstore " + logstore);
    }
    String filter = EventStore.HISTORY.equals(stream) ? accountId : null;
    StreamReader.Read r =
        reader.pull(stream, c.sequence(), c.timeMillis(), maxEvents, maxBytes, filter);
    for (var lost : r.lost()) {
      LOG.warn(
          "Account {} logstore {}: a consumer passed over events it can no longer read: {}",
          accountId,
          logstore,
          lost.text());
    }
    String next =
        r.sequence() == c.sequence()
            ? cursor
            : cursors.encode(new Cursor(accountId, logstore, r.sequence(), r.timeMillis()));
    return new PullResult(r.events(), cursor, next, r.bytes(), r.lost(), end);
  }

  /** The cursor, if it is valid and was made for this account's logstore. */
  Cursor checked(String accountId, String logstore, String cursor) {
    Cursor c = cursors.decode(cursor);
    if (!c.accountId().equals(accountId) || !c.logstore().equals(logstore)) {
      throw CursorCodec.invalid("it was made for another logstore");
    }
    return c;
  }

  @Override
  public ConsumerGroup createGroup(
      String accountId, String logstore, String group, int timeoutSeconds, boolean inOrder) {
    stream(accountId, logstore);
    name(group);
    if (timeoutSeconds < 1 || timeoutSeconds > 86_400) {
      throw new InvalidParameterException(
          "Timeout", "The parameter Timeout must be from 1 to 86400 seconds.");
    }
    return groups.create(accountId, logstore, group, timeoutSeconds, inOrder, Instant.now());
  }

  @Override
  public List<ConsumerGroup> groups(String accountId, String logstore) {
    account(accountId);
    if (logstore != null) {
      stream(accountId, logstore);
    }
    return groups.list(accountId, logstore);
  }

  @Override
  public void deleteGroup(String accountId, String logstore, String group) {
    account(accountId);
    name(group);
    groups.delete(accountId, logstore, group);
  }

  @Override
  public Checkpoint updateCheckpoint(
      String accountId, String logstore, String group, int shard, String consumer, String cursor) {
    stream(accountId, logstore);
    name(group);
    if (shard != SHARD) {
      throw new OpenTrailException(
          "ShardNotExist", "The shard " + shard + " does not exist; the only shard is 0.", 404);
    }
    Cursor c = checked(accountId, logstore, cursor);
    return groups.checkpoint(
        accountId, logstore, group, consumer == null ? "" : consumer, cursor, c.sequence());
  }

  @Override
  public List<Checkpoint> checkpoints(String accountId, String logstore, String group) {
    stream(accountId, logstore);
    name(group);
    return List.of(groups.get(accountId, logstore, group).checkpoint());
  }

  @Override
  public List<Integer> heartbeat(String accountId, String logstore, String group, String consumer) {
    stream(accountId, logstore);
    name(group);
    if (consumer == null || consumer.isEmpty() || consumer.length() > 128) {
      throw new InvalidParameterException("Consumer", "A consumer name has 1 to 128 characters.");
    }
    return groups.heartbeat(accountId, logstore, group, consumer, System.currentTimeMillis());
  }

  /**
   * The store stream behind an account's logstore: its own {@code actiontrail_*} or {@code
   * innertrail_*} ({@link Logstores#stream}) or the history; anything else, or one it has none of,
   * is {@code LogStoreNotExist} (404), naming the logstore as the caller did.
   */
  String stream(String accountId, String logstore) {
    return Logstores.readableStream(store, accountId, logstore);
  }

  private static void account(String accountId) {
    if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
      throw new InvalidParameterException(
          "AccountId", "An account id is 12 to 16 digits, not '" + accountId + "'.");
    }
  }

  private static void name(String group) {
    if (group == null || !GROUP_NAME.matcher(group).matches()) {
      throw new InvalidParameterException(
          "ConsumerGroup",
          "A consumer group name has 2 to 128 letters, digits, '_' or '-', and starts and ends"
              + " with a letter or digit, not '"
              + group
              + "'.");
    }
  }
}
