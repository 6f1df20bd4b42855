package org.opentrail.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.api.trail.TrailStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code trail:*} commands: manage trails, see how they deliver, run delivery history jobs. */
@Component(
    service = TrailCommands.class,
    property = {
      "osgi.command.scope=trail",
      "osgi.command.function=create",
      "osgi.command.function=update",
      "osgi.command.function=delete",
      "osgi.command.function=list",
      "osgi.command.function=status",
      "osgi.command.function=start",
      "osgi.command.function=stop",
      "osgi.command.function=gapack",
      "osgi.command.function=backfill",
      "osgi.command.function=jobs"
    })
public final class TrailCommands {
  private final TrailService trails;
  private final IdentityService identities;

  @org.osgi.service.component.annotations.Reference(
      cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
      policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
  private volatile org.opentrail.api.store.EventStore store;

  /** Why recording is refused now (a full disk), or {@code null}. */
  private String storageAlarm() {
    org.opentrail.api.store.EventStore s = store;
    return s == null ? null : s.storageAlarm();
  }

  @Activate
  public TrailCommands(@Reference TrailService trails, @Reference IdentityService identities) {
    this.trails = trails;
    this.identities = identities;
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  @Descriptor(
      "Create a trail (it starts stopped unless --start); destinations are [id@]type[:key=value,...], e.g. file:bucket=audit-log,prefix=team-a or logstore")
  public String create(
      @Descriptor("deliver All (default), Read or Write events")
          @Parameter(
              names = {"--rw"},
              absentValue = "All")
          String rw,
      @Descriptor("event categories, comma separated: Management (default), Data, Insight")
          @Parameter(
              names = {"--categories"},
              absentValue = "Management")
          String categories,
      @Descriptor("All (default) or the regions to deliver, comma separated")
          @Parameter(
              names = {"--regions"},
              absentValue = "All")
          String regions,
      @Descriptor("start logging at once")
          @Parameter(
              names = {"--start"},
              absentValue = "false",
              presentValue = "true")
          boolean start,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor(
              "the trail's name: 6 to 36 lowercase letters, digits, '-' and '_', starting with a letter")
          String name,
      @Descriptor("one or more destinations") String... destinations) {
    Trail t = trails.create(account(account), spec(name, rw, categories, regions, destinations));
    if (start) {
      t = trails.startLogging(account(account), name);
    }
    return "Trail "
        + t.name()
        + " created"
        + (t.logging() ? " and logging" : " (stopped: trail:start " + t.name() + " to deliver)");
  }

  @Descriptor(
      "Replace a trail's filter and destinations (a destination keeping its id and type keeps its place)")
  public String update(
      @Descriptor("deliver All, Read or Write events")
          @Parameter(
              names = {"--rw"},
              absentValue = "All")
          String rw,
      @Descriptor("event categories, comma separated")
          @Parameter(
              names = {"--categories"},
              absentValue = "Management")
          String categories,
      @Descriptor("All or the regions to deliver, comma separated")
          @Parameter(
              names = {"--regions"},
              absentValue = "All")
          String regions,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the trail") String name,
      @Descriptor("one or more destinations") String... destinations) {
    return "Trail "
        + trails.update(account(account), spec(name, rw, categories, regions, destinations)).name()
        + " updated";
  }

  private static TrailSpec spec(
      String name, String rw, String categories, String regions, String[] destinations) {
    List<DestinationSpec> dests = new ArrayList<>();
    for (String d : destinations) {
      dests.add(Destinations.parse(d));
    }
    return new TrailSpec(
        name,
        rw,
        Set.copyOf(Arrays.asList(categories.split(","))),
        Arrays.asList(regions.split(",")),
        dests);
  }

  @Descriptor("Delete a trail (what it delivered stays where it went)")
  public String delete(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the trail") String name) {
    trails.delete(account(account), name);
    return "Trail " + name + " deleted";
  }

  @Descriptor("List the account's trails")
  public String list(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    Table t = new Table(60, "NAME", "LOGGING", "RW", "CATEGORIES", "REGIONS", "DESTINATIONS");
    for (Trail trail : trails.describe(account(account), List.of())) {
      List<String> dests = trail.spec().destinations().stream().map(Destinations::format).toList();
      t.row(
          trail.name(),
          trail.logging() ? "yes" : "no",
          trail.spec().eventRW(),
          String.join(",", trail.spec().categories()),
          String.join(",", trail.spec().regions()),
          String.join(" ", dests));
    }
    return t.toString().stripTrailing();
  }

  @Descriptor(
      "Show how a trail delivers: logging, each destination's state, delivered count and lag, the latest delivery history job")
  public String status(
      @Descriptor("print JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the trail") String name) {
    TrailStatus s = trails.status(account(account), name);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("IsLogging", s.isLogging());
      m.put("LatestDeliveryTime", text(s.latestDeliveryTime()));
      m.put("LatestDeliveryError", s.latestDeliveryError());
      m.put("StartLoggingTime", text(s.startLoggingTime()));
      m.put("StopLoggingTime", text(s.stopLoggingTime()));
      List<Object> dests = new ArrayList<>();
      for (DestinationStatus d : s.destinations()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("Id", d.id());
        dm.put("Type", d.type());
        dm.put("State", d.state().name());
        dm.put("Detail", d.detail());
        dm.put("Delivered", d.delivered());
        dm.put("LagEvents", d.lagEvents());
        dm.put("LagSeconds", d.lagSeconds());
        dm.put("LastDeliveryTime", text(d.lastDeliveryTime()));
        dm.put("LastError", d.lastError());
        dm.put("Gaps", d.gaps());
        dests.add(dm);
      }
      m.put("Destinations", dests);
      m.put("RetentionAlarm", s.retentionAlarm());
      m.put("StorageAlarm", storageAlarm());
      m.put("DeliveryJob", s.deliveryJob() == null ? null : job(s.deliveryJob()));
      return EventJson.toString(m);
    }
    StringBuilder b = new StringBuilder();
    b.append("Trail ")
        .append(name)
        .append(s.isLogging() ? ": logging" : ": not logging")
        .append(", started ")
        .append(shown(s.startLoggingTime()))
        .append(", stopped ")
        .append(shown(s.stopLoggingTime()))
        .append("\nlatest delivery ")
        .append(shown(s.latestDeliveryTime()))
        .append(s.latestDeliveryError() == null ? "" : "\nlatest error: " + s.latestDeliveryError())
        .append('\n');
    Table t =
        new Table(60, "DESTINATION", "TYPE", "STATE", "DELIVERED", "LAG", "LAG (s)", "DETAIL");
    for (DestinationStatus d : s.destinations()) {
      t.row(
          d.id(),
          d.type(),
          d.state(),
          String.format("%,d", d.delivered()),
          String.format("%,d", d.lagEvents()),
          d.lagSeconds(),
          d.detail());
    }
    b.append(t);
    for (DestinationStatus d : s.destinations()) {
      for (String g : d.gaps()) {
        b.append(d.id()).append(": ").append(g).append('\n');
      }
    }
    if (s.destinations().stream().anyMatch(d -> !d.gaps().isEmpty())) {
      b.append(
          "(events in a gap could not be read from the store: see store:status; trail:gapack"
              + " acknowledges them)\n");
    }
    if (s.retentionAlarm() != null) {
      b.append("ALARM: ").append(s.retentionAlarm()).append('\n');
    }
    if (storageAlarm() != null) {
      b.append("ALARM: recording is refused: ").append(storageAlarm()).append('\n');
    }
    if (s.deliveryJob() != null) {
      DeliveryJob j = s.deliveryJob();
      b.append("delivery history job ")
          .append(j.id())
          .append(": ")
          .append(j.state())
          .append(", ")
          .append(String.format("%,d of %,d events", j.eventsDone(), j.eventsTotal()))
          .append('\n');
    }
    return b.toString().stripTrailing();
  }

  @Descriptor("Start delivering events recorded from now on")
  public String start(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the trail") String name) {
    trails.startLogging(account(account), name);
    return "Trail " + name + " is logging";
  }

  @Descriptor(
      "Stop delivering (events recorded before this are still delivered; those recorded while stopped are not)")
  public String stop(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the trail") String name) {
    trails.stopLogging(account(account), name);
    return "Trail " + name + " stopped logging";
  }

  @Descriptor(
      "Acknowledge a trail's gaps (events the store could not read, shown by trail:status): they are"
          + " no longer shown, and what is repaired in them later is not delivered")
  public String gapack(
      @Descriptor("only this destination (default: every destination of the trail)")
          @Parameter(
              names = {"-d", "--destination"},
              absentValue = "")
          String destination,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the trail") String name) {
    int n =
        trails.acknowledgeGaps(account(account), name, destination.isEmpty() ? null : destination);
    return n
        + (n == 1 ? " gap" : " gaps")
        + " of trail "
        + name
        + (destination.isEmpty() ? "" : " destination " + destination)
        + " acknowledged";
  }

  @Descriptor(
      "Start a delivery history job: deliver the trail's events recorded before it first started, as far back as the history keeps them")
  public String backfill(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the trail") String name) {
    DeliveryJob j = trails.createDeliveryJob(account(account), name);
    return "Delivery history job "
        + j.id()
        + " started for trail "
        + name
        + ": "
        + String.format("%,d", j.eventsTotal())
        + " events to go through (trail:jobs shows progress)";
  }

  @Descriptor("List delivery history jobs and their progress, or delete one (stopping it)")
  public String jobs(
      @Descriptor("delete this job")
          @Parameter(
              names = {"--delete"},
              absentValue = "")
          String delete,
      @Descriptor("print JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    if (!delete.isEmpty()) {
      long id;
      try {
        id = Long.parseLong(delete);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--delete takes a job id (a number), not '" + delete + "'");
      }
      trails.deleteDeliveryJob(account(account), id);
      return "Delivery history job " + id + " deleted";
    }
    List<DeliveryJob> all = trails.listDeliveryJobs(account(account));
    if (json) {
      return EventJson.toString(
          Map.of("DeliveryHistoryJobs", all.stream().map(TrailCommands::job).toList()));
    }
    Table t = new Table(60, "JOB", "TRAIL", "STATE", "DONE", "TOTAL", "UPDATED", "ERROR");
    for (DeliveryJob j : all) {
      t.row(
          j.id(),
          j.trailName(),
          j.state(),
          String.format("%,d", j.eventsDone()),
          String.format("%,d", j.eventsTotal()),
          j.updateTime(),
          j.error());
    }
    return t.toString().stripTrailing();
  }

  private static Map<String, Object> job(DeliveryJob j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("JobId", j.id());
    m.put("TrailName", j.trailName());
    m.put("JobStatus", j.state().name());
    m.put("EventsDone", j.eventsDone());
    m.put("EventsTotal", j.eventsTotal());
    m.put("CreatedTime", text(j.createTime()));
    m.put("UpdatedTime", text(j.updateTime()));
    m.put("Error", j.error());
    return m;
  }

  private static String shown(Object o) {
    return o == null ? "-" : o.toString();
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }
}
