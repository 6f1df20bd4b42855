package org.opentrail.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.SinkType;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.api.trail.TrailStatus;

/**
 * Trails: the list with each destination's status (state, lag, last error in words), the Create
 * Trail form of ActionTrail (name, event read/write type, regions, destinations of the installed
 * sink types with their configuration as {@code key=value} lines), start and stop, and delete after
 * a confirmation page. Authorized and recorded as DescribeTrails, GetTrailStatus, CreateTrail,
 * UpdateTrail, StartLogging, StopLogging and DeleteTrail; secrets are never shown or recorded.
 */
final class TrailsPage {
  private static final int DESTINATION_ROWS = 2;

  private final TrailService trails;
  private final Access access;
  private final ConsoleAudit audit;

  TrailsPage(TrailService trails, Access access, ConsoleAudit audit) {
    this.trails = trails;
    this.access = access;
    this.audit = audit;
  }

  void list(Call c, String notice, OpenTrailException error) throws IOException {
    access.authorize(c, "DescribeTrails", false, "trail", null);
    boolean status = access.allowed(c, "GetTrailStatus");
    StringBuilder b = new StringBuilder();
    if (notice != null) {
      b.append("<p class=\"notice\" id=\"notice\" role=\"status\">")
          .append(Text.esc(notice))
          .append("</p>");
    }
    if (error != null) {
      b.append(Layout.error("error-action", error.code(), error.getMessage()));
    }
    b.append(
        "<p><a class=\"button\" id=\"create-trail\" href=\"/console/trails/edit\">Create trail</a></p>");
    b.append(
            "<div class=\"table-wrap\"><table id=\"trails\"><thead><tr><th>Name</th><th>Read/write</th>")
        .append(
            "<th>Regions</th><th>Logging</th><th>Destinations</th><th></th></tr></thead><tbody>");
    for (Trail t : trails.describe(c.account(), List.of())) {
      TrailStatus s = status ? trails.status(c.account(), t.name()) : null;
      String id = Text.esc(t.name());
      b.append("<tr id=\"trail-")
          .append(id)
          .append("\"><td>")
          .append(id)
          .append("</td><td>")
          .append(Text.esc(t.spec().eventRW()))
          .append("</td><td>")
          .append(Text.esc(String.join(", ", t.spec().regions())))
          .append("</td><td class=\"logging\">")
          .append(t.logging() ? "Logging" : "Stopped")
          .append("</td><td>");
      if (s == null) {
        b.append("(no permission for GetTrailStatus)");
      } else {
        for (DestinationStatus d : s.destinations()) {
          b.append("<div class=\"dest\" data-state=\"")
              .append(d.state())
              .append("\"><b>")
              .append(Text.esc(d.id()))
              .append("</b> (")
              .append(Text.esc(d.type()))
              .append("): ")
              .append(Text.esc(words(d.state())))
              .append(", ")
              .append(d.delivered())
              .append(" delivered, lag ")
              .append(d.lagEvents())
              .append(" events / ")
              .append(d.lagSeconds())
              .append(" s");
          if (d.lastError() != null) {
            b.append("<br><span class=\"error-text\">Last error: ")
                .append(Text.esc(d.lastError()))
                .append("</span>");
          }
          b.append("</div>");
        }
      }
      if (s != null && s.deliveryJob() != null) {
        DeliveryJob j = s.deliveryJob();
        long pct = j.eventsTotal() == 0 ? 100 : 100 * j.eventsDone() / j.eventsTotal();
        b.append("<div class=\"job\" id=\"job-")
            .append(id)
            .append("\">Backfill job ")
            .append(j.id())
            .append(": ")
            .append(j.state().name().toLowerCase(java.util.Locale.ROOT))
            .append(", ")
            .append(j.eventsDone())
            .append(" of ")
            .append(j.eventsTotal())
            .append(" events <progress max=\"100\" value=\"")
            .append(pct)
            .append("\"></progress>");
        if (j.error() != null) {
          b.append(" <span class=\"error-text\">").append(Text.esc(j.error())).append("</span>");
        }
        b.append("</div>");
      }
      b.append("</td><td class=\"actions\">");
      action(b, c, t.logging() ? "stop" : "start", t.name(), t.logging() ? "Stop" : "Start");
      b.append(' ');
      action(b, c, "backfill", t.name(), "Backfill");
      b.append(" <a href=\"/console/trails/edit?name=")
          .append(Text.esc(Text.url(t.name())))
          .append("\" id=\"edit-")
          .append(id)
          .append("\">Edit</a> <a href=\"/console/trails/delete?name=")
          .append(Text.esc(Text.url(t.name())))
          .append("\" id=\"delete-")
          .append(id)
          .append("\">Delete</a></td></tr>");
    }
    b.append("</tbody></table></div>");
    c.html(
        error == null ? 200 : error.httpStatus(), Layout.page(c, "Trails", "trails", b.toString()));
  }

  /** The create/edit form; {@code error} shown beside the field it names. */
  void form(Call c, InvalidParameterException error) throws IOException {
    String editing = c.value("name");
    boolean edit = editing != null && c.param("new") == null && !c.post();
    Trail existing = null;
    if (edit) {
      access.authorize(c, "DescribeTrails", false, "trail", editing);
      existing = trails.get(c.account(), editing);
    }
    boolean update = existing != null || "update".equals(c.param("mode"));
    StringBuilder b =
        new StringBuilder(
            "<form method=\"post\" action=\"/console/trails/save\" id=\"trail-form\">");
    b.append(Layout.csrf(c))
        .append("<input type=\"hidden\" name=\"mode\" value=\"")
        .append(update ? "update" : "create")
        .append("\">");
    if (error != null && field(error) == null) {
      b.append(Layout.error("error-form", error.code(), error.getMessage()));
    }
    String name = existing != null ? existing.name() : c.param("name");
    b.append("<label>Trail name <input id=\"trail-name\" name=\"name\" required")
        .append(update ? " readonly" : "")
        .append(" value=\"")
        .append(Text.esc(name == null ? "" : name))
        .append("\"></label>");
    b.append(
        "<p class=\"hint\">6 to 36 lowercase letters, digits, '-' and '_', starting with a letter.</p>");
    fieldError(b, error, "Name");
    String rw = existing != null ? existing.spec().eventRW() : c.param("eventRW");
    b.append("<label>Event type <select name=\"eventRW\" id=\"trail-rw\">");
    for (String v : List.of("All", "Write", "Read")) {
      b.append("<option value=\"")
          .append(v)
          .append("\"")
          .append(v.equals(rw) ? " selected" : "")
          .append(">")
          .append(v)
          .append("</option>");
    }
    b.append("</select></label>");
    fieldError(b, error, "EventRW");
    String regions =
        existing != null ? String.join(",", existing.spec().regions()) : c.param("regions");
    b.append(
            "<label>Regions <input id=\"trail-regions\" name=\"regions\" placeholder=\"All\" value=\"")
        .append(Text.esc(regions == null ? "All" : regions))
        .append("\"></label>");
    fieldError(b, error, "TrailRegion");
    List<SinkType> types = trails.sinkTypes();
    b.append("<fieldset><legend>Destinations</legend>");
    for (int i = 0; i < DESTINATION_ROWS; i++) {
      DestinationSpec d =
          existing != null && i < existing.spec().destinations().size()
              ? existing.spec().destinations().get(i)
              : null;
      String type = d != null ? d.type() : c.param("type" + i);
      b.append("<div class=\"dest-row\"><label>Id <input name=\"id")
          .append(i)
          .append("\" id=\"dest-id")
          .append(i)
          .append("\" value=\"")
          .append(Text.esc(d != null ? d.id() : nz(c.param("id" + i))))
          .append("\"></label>");
      b.append("<label>Sink type <select name=\"type")
          .append(i)
          .append("\" id=\"dest-type")
          .append(i)
          .append("\">")
          .append("<option value=\"\">(none)</option>");
      for (SinkType t : types) {
        b.append("<option value=\"")
            .append(Text.esc(t.type()))
            .append("\"")
            .append(t.type().equals(type) ? " selected" : "")
            .append(">")
            .append(Text.esc(t.type()))
            .append(" (")
            .append(Text.esc(t.bundle()))
            .append(")</option>");
      }
      b.append("</select></label><label>Configuration (key=value per line) <textarea name=\"config")
          .append(i)
          .append("\" id=\"dest-config")
          .append(i)
          .append("\" rows=\"3\">")
          .append(Text.esc(d != null ? config(d.config()) : nz(c.param("config" + i))))
          .append("</textarea></label></div>");
    }
    fieldError(b, error, "Destinations");
    b.append("</fieldset><button type=\"submit\" id=\"save-trail\">")
        .append(update ? "Save" : "Create")
        .append("</button></form>");
    c.html(
        error == null ? 200 : error.httpStatus(),
        Layout.page(c, update ? "Edit trail" : "Create trail", "trails", b.toString()));
  }

  void save(Call c) throws IOException {
    boolean update = "update".equals(c.param("mode"));
    String op = update ? "UpdateTrail" : "CreateTrail";
    String name = nz(c.value("name"));
    access.authorize(c, op, true, "trail", name);
    Map<String, Object> asked = c.auditParameters("name", "eventRW", "regions", "type0", "type1");
    try {
      List<DestinationSpec> dests = new ArrayList<>();
      for (int i = 0; i < DESTINATION_ROWS; i++) {
        String type = c.value("type" + i);
        if (type != null) {
          dests.add(
              new DestinationSpec(
                  nz(c.value("id" + i)), type, parseConfig(c.param("config" + i), i)));
        }
      }
      String regions = c.value("regions");
      TrailSpec spec =
          new TrailSpec(
              name,
              c.value("eventRW"),
              null,
              regions == null ? null : List.of(regions.split("\\s*,\\s*")),
              dests);
      if (update) {
        trails.update(c.account(), spec);
      } else {
        trails.create(c.account(), spec);
      }
      audit.operation(c.principal(), op, true, Access.TRAIL, name, asked, c.origin, null);
    } catch (OpenTrailException e) {
      audit.operation(c.principal(), op, true, Access.TRAIL, name, asked, c.origin, e);
      form(
          c,
          e instanceof InvalidParameterException ip
              ? ip
              : new InvalidParameterException(e.code(), null, e.getMessage()));
      return;
    }
    c.redirect("/trails");
  }

  /** Starts a delivery history job (backfill) of a trail, as CreateDeliveryHistoryJob. */
  void backfill(Call c) throws IOException {
    String name = nz(c.value("name"));
    access.authorize(c, "CreateDeliveryHistoryJob", true, "trail", name);
    try {
      trails.createDeliveryJob(c.account(), name);
      audit.operation(
          c.principal(),
          "CreateDeliveryHistoryJob",
          true,
          Access.TRAIL,
          name,
          Map.of("TrailName", name),
          c.origin,
          null);
    } catch (OpenTrailException e) {
      audit.operation(
          c.principal(),
          "CreateDeliveryHistoryJob",
          true,
          Access.TRAIL,
          name,
          Map.of("TrailName", name),
          c.origin,
          e);
      list(c, null, e);
      return;
    }
    c.redirect("/trails");
  }

  void logging(Call c, boolean start) throws IOException {
    String name = nz(c.value("name"));
    String op = start ? "StartLogging" : "StopLogging";
    access.authorize(c, op, true, "trail", name);
    try {
      if (start) {
        trails.startLogging(c.account(), name);
      } else {
        trails.stopLogging(c.account(), name);
      }
      audit.operation(
          c.principal(), op, true, Access.TRAIL, name, Map.of("Name", name), c.origin, null);
    } catch (OpenTrailException e) {
      audit.operation(
          c.principal(), op, true, Access.TRAIL, name, Map.of("Name", name), c.origin, e);
      list(c, null, e);
      return;
    }
    c.redirect("/trails");
  }

  void confirmDelete(Call c) throws IOException {
    String name = nz(c.value("name"));
    access.authorize(c, "DeleteTrail", true, "trail", name);
    Trail t = trails.get(c.account(), name);
    String body =
        "<p>Delete the trail <b id=\"delete-name\">"
            + Text.esc(t.name())
            + "</b>? Its destinations stop; what they delivered stays where it went.</p>"
            + "<form method=\"post\" action=\"/console/trails/delete\">"
            + Layout.csrf(c)
            + "<input type=\"hidden\" name=\"name\" value=\""
            + Text.esc(t.name())
            + "\">"
            + "<button type=\"submit\" id=\"confirm-delete\" class=\"danger\">Delete</button> "
            + "<a href=\"/console/trails\">Cancel</a></form>";
    c.html(Layout.page(c, "Delete trail", "trails", body));
  }

  void delete(Call c) throws IOException {
    String name = nz(c.value("name"));
    access.authorize(c, "DeleteTrail", true, "trail", name);
    try {
      trails.delete(c.account(), name);
      audit.operation(
          c.principal(),
          "DeleteTrail",
          true,
          Access.TRAIL,
          name,
          Map.of("Name", name),
          c.origin,
          null);
    } catch (OpenTrailException e) {
      audit.operation(
          c.principal(),
          "DeleteTrail",
          true,
          Access.TRAIL,
          name,
          Map.of("Name", name),
          c.origin,
          e);
      list(c, null, e);
      return;
    }
    list(c, "Trail " + name + " deleted.", null);
  }

  private void action(StringBuilder b, Call c, String what, String name, String label) {
    b.append("<form class=\"inline\" method=\"post\" action=\"/console/trails/")
        .append(what)
        .append("\">")
        .append(Layout.csrf(c))
        .append("<input type=\"hidden\" name=\"name\" value=\"")
        .append(Text.esc(name))
        .append("\"><button type=\"submit\" id=\"")
        .append(what)
        .append("-")
        .append(Text.esc(name))
        .append("\">")
        .append(label)
        .append("</button></form>");
  }

  /** The configuration of a destination row: {@code key=value} lines. */
  static Map<String, String> parseConfig(String text, int row) {
    Map<String, String> m = new LinkedHashMap<>();
    if (text == null) {
      return m;
    }
    String[] lines = text.split("\\R");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new InvalidParameterException(
            "Destinations",
            "Destination "
                + (row + 1)
                + ": configuration line "
                + (n + 1)
                + " is not key=value (it is not shown here: it may hold a secret).");
      }
      m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    return m;
  }

  private static String config(Map<String, String> config) {
    StringBuilder s = new StringBuilder();
    config.forEach(
        (k, v) ->
            s.append(k)
                .append('=')
                .append(DestinationSpec.secretKey(k) ? DestinationSpec.HIDDEN : v)
                .append('\n'));
    return s.toString();
  }

  private static String field(InvalidParameterException e) {
    String p = e.parameter();
    if (p == null) {
      return null;
    }
    if (p.startsWith("Destination")) {
      return "Destinations";
    }
    return List.of("Name", "EventRW", "TrailRegion").contains(p) ? p : null;
  }

  private static void fieldError(StringBuilder b, InvalidParameterException e, String f) {
    if (e != null && f.equals(field(e))) {
      b.append(Layout.error("error-" + f, e.code(), e.getMessage()));
    }
  }

  static String words(DestinationStatus.State s) {
    return switch (s) {
      case DELIVERING -> "delivering";
      case RETRYING -> "retrying after an error";
      case WAITING_FOR_SINK -> "waiting for its sink type to be installed";
      case INVALID_CONFIGURATION -> "configuration refused by its sink";
      case NO_PERMISSION -> "waiting for the delivery role to be granted";
      case STOPPED -> "stopped";
    };
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
