package org.opentrail.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;
import org.opentrail.api.store.EventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code event:*} commands: look up, fetch and record events. */
@Component(
    service = EventCommands.class,
    property = {
      "osgi.command.scope=event",
      "osgi.command.function=lookup",
      "osgi.command.function=get",
      "osgi.command.function=record"
    })
public final class EventCommands {
  /** Largest file event:record reads (the recorder refuses batches over 16 MiB anyway). */
  private static final long MAX_FILE_BYTES = 64L << 20;

  private final EventQuery query;
  private final EventRecorder recorder;
  private final IdentityService identities;

  @org.osgi.service.component.annotations.Reference(
      cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
      policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
  private volatile org.opentrail.api.store.EventStore store;

  /**
   * Read your writes: returns once lookups see everything recorded so far (at most a few seconds;
   * the index makes new events visible within index.refresh.millis), so a lookup right after a
   * record in the same shell finds what was recorded.
   */
  private void awaitVisible() {
    org.opentrail.api.store.EventStore s = store;
    if (s == null) {
      return;
    }
    String history = org.opentrail.api.store.EventStore.HISTORY;
    long recorded = s.lastSequence(history);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (s.stream(history).map(i -> i.indexedSequence() < recorded).orElse(false)) {
      if (System.nanoTime() > deadline) {
        System.out.println(
            "(the index is behind: lookups may not show every event recorded yet; store:status"
                + " shows how far)");
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Activate
  public EventCommands(
      @Reference EventQuery query,
      @Reference EventRecorder recorder,
      @Reference IdentityService identities) {
    this.identities = identities;
    this.query = query;
    this.recorder = recorder;
  }

  @Descriptor(
      "Look up events, newest first (ActionTrail LookupEvents); every attribute given must match")
  public String lookup(
      @Descriptor("events with this eventName")
          @Parameter(
              names = {"-n", "--event-name"},
              absentValue = "")
          String eventName,
      @Descriptor("events by this user (userIdentity.userName)")
          @Parameter(
              names = {"-u", "--user"},
              absentValue = "")
          String user,
      @Descriptor("events on this resource type, e.g. ACS::ECS::Instance")
          @Parameter(
              names = {"--resource-type"},
              absentValue = "")
          String resourceType,
      @Descriptor("events on this resource name")
          @Parameter(
              names = {"-r", "--resource-name"},
              absentValue = "")
          String resourceName,
      @Descriptor("Read or Write events")
          @Parameter(
              names = {"--rw"},
              absentValue = "")
          String rw,
      @Descriptor("events of this service, e.g. Ecs")
          @Parameter(
              names = {"-s", "--service"},
              absentValue = "")
          String service,
      @Descriptor("events signed with this access key id")
          @Parameter(
              names = {"-k", "--access-key"},
              absentValue = "")
          String accessKey,
      @Descriptor("the event with this eventId")
          @Parameter(
              names = {"-i", "--event-id"},
              absentValue = "")
          String eventId,
      @Descriptor("events of the last 90s, 30m, 1h, 7d, ...")
          @Parameter(
              names = {"--since"},
              absentValue = "")
          String since,
      @Descriptor("start of the range, ISO-8601 UTC (e.g. 2026-11-01T00:00:00Z)")
          @Parameter(
              names = {"--from"},
              absentValue = "")
          String from,
      @Descriptor("end of the range, ISO-8601 UTC; default now")
          @Parameter(
              names = {"--to"},
              absentValue = "")
          String to,
      @Descriptor("events per page, 1 to 50 (default 20)")
          @Parameter(
              names = {"-m", "--max"},
              absentValue = "")
          String max,
      @Descriptor("BACKWARD (newest first, default) or FORWARD")
          @Parameter(
              names = {"-d", "--direction"},
              absentValue = "BACKWARD")
          String direction,
      @Descriptor("the NextToken of the previous page")
          @Parameter(
              names = {"--next"},
              absentValue = "")
          String next,
      @Descriptor("look up in this logstore instead of the event history")
          @Parameter(
              names = {"--logstore"},
              absentValue = "")
          String logstore,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("print ActionTrail's JSON answer")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json) {
    LookupRequest.Builder b =
        LookupRequest.builder(account.isEmpty() ? identities.defaultAccountId() : account);
    if (!logstore.isEmpty()) {
      b.stream(logstore);
    }
    add(b, LookupKey.EVENT_NAME, eventName);
    add(b, LookupKey.USER, user);
    add(b, LookupKey.RESOURCE_TYPE, resourceType);
    add(b, LookupKey.RESOURCE_NAME, resourceName);
    add(b, LookupKey.EVENT_RW, rw);
    add(b, LookupKey.SERVICE_NAME, service);
    add(b, LookupKey.EVENT_ACCESS_KEY_ID, accessKey);
    add(b, LookupKey.EVENT_ID, eventId);
    if (!since.isEmpty()) {
      if (!from.isEmpty() || !to.isEmpty()) {
        throw new IllegalArgumentException("--since cannot be combined with --from or --to");
      }
      Instant now = Instant.now();
      b.startTime(now.minus(Durations.parse("--since", since))).endTime(now);
    } else if (!from.isEmpty()) {
      b.startTime(from).endTime(to.isEmpty() ? Instant.now().toString() : to);
    } else if (!to.isEmpty()) {
      throw new IllegalArgumentException("--to needs --from (or use --since)");
    }
    if (!max.isEmpty()) {
      b.maxResults(max);
    }
    b.direction(direction.toUpperCase(java.util.Locale.ROOT)).nextToken(next);
    LookupResult r = query.lookup(b.build());
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("StartTime", r.startTime().toString());
      answer.put("EndTime", r.endTime().toString());
      answer.put("Events", r.events());
      if (r.nextToken() != null) {
        answer.put("NextToken", r.nextToken());
      }
      if (r.unreadable() > 0) {
        answer.put("UnreadableEvents", r.unreadable());
      }
      if (!r.rebuilding().isEmpty()) {
        answer.put("RebuildingRanges", r.rebuilding());
      }
      return EventJson.toString(answer);
    }
    Table t = new Table(48, "TIME", "EVENT NAME", "USER", "SERVICE", "RW", "RESOURCE", "EVENT ID");
    for (Event e : r.events()) {
      t.row(
          e.eventTime(),
          e.eventName(),
          e.userName(),
          e.serviceName(),
          e.eventRW(),
          e.resourceName(),
          e.eventId());
    }
    StringBuilder out = new StringBuilder(t.toString());
    out.append(r.events().size()).append(r.events().size() == 1 ? " event" : " events");
    out.append(" between ").append(r.startTime()).append(" and ").append(r.endTime());
    out.append(missing(r));
    if (r.nextToken() != null) {
      out.append("\nmore: repeat with --next ").append(r.nextToken());
    }
    return out.toString();
  }

  /** Lines that say what a page could not show, or nothing. */
  static String missing(LookupResult r) {
    StringBuilder out = new StringBuilder();
    if (r.unreadable() > 0) {
      out.append('\n')
          .append(r.unreadable())
          .append(
              r.unreadable() == 1
                  ? " matching event could not be read"
                  : " matching events could not be read")
          .append(" (damaged in store; see store:status)");
    }
    for (String range : r.rebuilding()) {
      out.append("\nthe index of ")
          .append(range)
          .append(" is being rebuilt: matching events in it may be missing until it is done");
    }
    return out.toString();
  }

  private static void add(LookupRequest.Builder b, LookupKey key, String value) {
    if (!value.isEmpty()) {
      b.attribute(key, value);
    }
  }

  @Descriptor("Show one event as JSON")
  public String get(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("look in this logstore instead of the event history")
          @Parameter(
              names = {"--logstore"},
              absentValue = "")
          String logstore,
      @Descriptor("the eventId") String eventId) {
    String acct = account.isEmpty() ? identities.defaultAccountId() : account;
    String stream = logstore.isEmpty() ? EventStore.HISTORY : logstore;
    return query
        .get(stream, acct, eventId)
        .map(EventJson::toPrettyString)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "No event " + eventId + " in " + stream + " of account " + acct));
  }

  @Descriptor(
      "Record a batch of events from a JSON file (an array of events, or {\"Events\": [...]}); fails if any is rejected")
  public String record(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("refused: logstores are written only by OpenTrail (trails, the inner trail)")
          @Parameter(
              names = {"--logstore"},
              absentValue = "")
          String logstore,
      @Descriptor("the JSON file") String file)
      throws IOException {
    if (!logstore.isEmpty()) {
      throw new IllegalArgumentException(
          "The logstore "
              + logstore
              + " is written only by OpenTrail (a trail's delivery or the inner trail);"
              + " event:record records into the event history. Nothing was stored.");
    }
    Path path = Paths.get(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("No such file: " + path.toAbsolutePath());
    }
    if (Files.size(path) > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          path
              + " is larger than "
              + (MAX_FILE_BYTES >> 20)
              + " MiB; split it into batches of at most 10,000 events and 16 MiB");
    }
    List<Event> events = EventJson.parseEvents(Files.readAllBytes(path));
    RecordResult r =
        recorder.record(account.isEmpty() ? identities.defaultAccountId() : account, events);
    awaitVisible();
    List<String> lines = new ArrayList<>();
    for (EventOutcome o : r.outcomes()) {
      lines.add(
          o.stored()
              ? o.index() + " " + o.status() + " " + o.eventId()
              : o.index() + " REJECTED " + o.errorCode() + ": " + o.errorMessage());
    }
    String summary =
        r.accepted() + " accepted, " + r.duplicates() + " duplicate, " + r.rejected() + " rejected";
    String report = String.join("\n", lines) + "\n" + summary;
    if (r.rejected() > 0) {
      PrintStream out =
          System.out; // the session's output: the report stays visible above the failure
      out.println(report);
      throw new IllegalArgumentException(
          r.rejected()
              + " of "
              + events.size()
              + " events were rejected"
              + (r.rejected() < events.size() ? " (the others were stored)" : "; none was stored"));
    }
    return report;
  }
}
