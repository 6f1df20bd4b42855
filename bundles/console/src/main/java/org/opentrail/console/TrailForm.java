package org.opentrail.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.SinkType;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailSpec;

/**
 * The Create Trail / edit form of ActionTrail's console: name, event read/write type, regions and
 * destinations of the installed sink types with their configuration as {@code key=value} lines.
 * Errors of the trail service are shown beside the field they name ({@code Name}, {@code EventRW},
 * {@code TrailRegion}, {@code Destinations}). Authorized and recorded as CreateTrail or
 * UpdateTrail; a secret is shown back only as {@link DestinationSpec#HIDDEN}, which keeps the
 * stored one.
 */
final class TrailForm {
  private static final int DESTINATION_ROWS = 2;

  private final TrailService trails;
  private final Access access;
  private final ConsoleAudit audit;

  TrailForm(TrailService trails, Access access, ConsoleAudit audit) {
    this.trails = trails;
    this.access = access;
    this.audit = audit;
  }

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

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
