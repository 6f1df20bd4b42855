package org.opentrail.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.consume.Checkpoint;
import org.opentrail.api.consume.ConsumerGroup;
import org.opentrail.api.consume.CursorStart;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.consume.LostRange;
import org.opentrail.api.consume.PullResult;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.store.StoredEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code consume:*}: read a logstore ({@code actiontrail_<trail>}, {@code innertrail_<name>} or
 * {@code history}) in order from a cursor, as Log Service's GetCursor and PullLogs do, and keep
 * consumer groups' checkpoints. Gogo command names cannot hold a '-', so Log Service's group
 * operations are {@code groupcreate} and {@code groupdelete}, like {@code auth:useradd}.
 */
@Component(
    service = ConsumeCommands.class,
    property = {
      "osgi.command.scope=consume",
      "osgi.command.function=cursor",
      "osgi.command.function=pull",
      "osgi.command.function=groups",
      "osgi.command.function=groupcreate",
      "osgi.command.function=groupdelete",
      "osgi.command.function=checkpoint"
    })
public final class ConsumeCommands {
  private final LogConsumer consumer;
  private final IdentityService identities;

  @Activate
  public ConsumeCommands(@Reference LogConsumer consumer, @Reference IdentityService identities) {
    this.consumer = consumer;
    this.identities = identities;
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  @Descriptor("A cursor on a logstore: before its oldest event, after its newest, or at a time")
  public String cursor(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("begin (default), end, an ISO-8601 time or a Unix time in seconds")
          @Parameter(
              names = {"-f", "--from"},
              absentValue = "begin")
          String from,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history") String logstore) {
    return consumer.cursor(account(account), logstore, CursorStart.parse(from));
  }

  @Descriptor(
      "Up to --max events after a cursor, in order, and the cursor to go on from; ranges lost to"
          + " retention are reported, never skipped silently")
  public String pull(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the cursor (consume:cursor, or a previous pull's next cursor)")
          @Parameter(
              names = {"-c", "--cursor"},
              absentValue = "")
          String cursor,
      @Descriptor("most events, 1 to 1000 (default 100)")
          @Parameter(
              names = {"-m", "--max"},
              absentValue = "100")
          int max,
      @Descriptor("print the answer as JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history") String logstore) {
    if (cursor.isEmpty()) {
      throw new IllegalArgumentException("--cursor is required (see consume:cursor)");
    }
    PullResult r =
        consumer.pull(account(account), logstore, cursor, max, LogConsumer.MAX_PULL_BYTES);
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      List<Object> events = new ArrayList<>();
      for (StoredEvent e : r.events()) {
        events.add(Map.of("sequence", e.sequence(), "event", e.event()));
      }
      answer.put("Events", events);
      answer.put("Count", r.events().size());
      answer.put("Bytes", r.bytes());
      answer.put("NextCursor", r.nextCursor());
      answer.put("EndSequence", r.endSequence());
      List<Object> lost = new ArrayList<>();
      for (LostRange l : r.lost()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("FirstSequence", l.firstSequence());
        m.put("LastSequence", l.lastSequence());
        m.put("Events", l.events());
        m.put("After", l.after() == null ? null : l.after().toString());
        m.put("Before", l.before() == null ? null : l.before().toString());
        m.put("Reason", l.reason());
        lost.add(m);
      }
      answer.put("Lost", lost);
      return EventJson.toString(answer);
    }
    Table t = new Table(48, "SEQ", "TIME", "EVENT NAME", "USER", "EVENT ID");
    for (StoredEvent e : r.events()) {
      t.row(
          e.sequence(),
          e.event().eventTime(),
          e.event().eventName(),
          e.event().userName(),
          e.event().eventId());
    }
    StringBuilder out = new StringBuilder(r.events().isEmpty() ? "" : t.toString());
    for (LostRange l : r.lost()) {
      out.append("LOST ").append(l.events()).append(" events: ").append(l.text()).append('\n');
    }
    out.append(r.events().size()).append(r.events().size() == 1 ? " event" : " events");
    out.append(", newest sequence ").append(r.endSequence());
    out.append("\nNext cursor: ").append(r.nextCursor());
    return out.toString();
  }

  @Descriptor("The account's consumer groups, of one logstore or of all")
  public String groups(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("only this logstore's groups")
          @Parameter(
              names = {"-l", "--logstore"},
              absentValue = "")
          String logstore) {
    String a = account(account);
    Table t =
        new Table(64, "LOGSTORE", "GROUP", "TIMEOUT", "IN ORDER", "CHECKPOINT SEQ", "UPDATED");
    List<ConsumerGroup> list = consumer.groups(a, logstore.isEmpty() ? null : logstore);
    for (ConsumerGroup g : list) {
      Checkpoint c = consumer.checkpoints(a, g.logstore(), g.name()).get(0);
      t.row(
          g.logstore(),
          g.name(),
          g.timeoutSeconds() + "s",
          g.inOrder(),
          c.sequence(),
          c.updateTime());
    }
    return t + "" + list.size() + (list.size() == 1 ? " consumer group" : " consumer groups");
  }

  @Descriptor("Create a consumer group on a logstore (at most 30 per logstore)")
  public String groupcreate(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("seconds a consumer keeps shard 0 without a heartbeat (default 300)")
          @Parameter(
              names = {"-t", "--timeout"},
              absentValue = "300")
          int timeout,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history") String logstore,
      @Descriptor("2 to 128 letters, digits, '_' or '-'") String group) {
    ConsumerGroup g = consumer.createGroup(account(account), logstore, group, timeout, true);
    return "Consumer group " + g.name() + " of logstore " + g.logstore() + " created";
  }

  @Descriptor("Delete a consumer group and its checkpoint")
  public String groupdelete(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the logstore") String logstore,
      @Descriptor("the group") String group) {
    consumer.deleteGroup(account(account), logstore, group);
    return "Consumer group " + group + " of logstore " + logstore + " deleted";
  }

  @Descriptor("Show a consumer group's checkpoint, or save one with --set")
  public String checkpoint(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("save this cursor as the group's checkpoint of shard 0")
          @Parameter(
              names = {"-s", "--set"},
              absentValue = "")
          String set,
      @Descriptor("the consumer saving it")
          @Parameter(
              names = {"--consumer"},
              absentValue = "shell")
          String who,
      @Descriptor("the logstore") String logstore,
      @Descriptor("the group") String group) {
    String a = account(account);
    Checkpoint c =
        set.isEmpty()
            ? consumer.checkpoints(a, logstore, group).get(0)
            : consumer.updateCheckpoint(a, logstore, group, LogConsumer.SHARD, who, set);
    return "Shard:      "
        + c.shard()
        + "\nCursor:     "
        + (c.cursor().isEmpty() ? "-" : c.cursor())
        + "\nSequence:   "
        + c.sequence()
        + "\nConsumer:   "
        + (c.consumer().isEmpty() ? "-" : c.consumer())
        + "\nUpdated:    "
        + (c.updateTime() == null ? "-" : c.updateTime());
  }
}
