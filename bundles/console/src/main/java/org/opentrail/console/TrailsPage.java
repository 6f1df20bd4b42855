package org.opentrail.console;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailStatus;

/**
 * Trails: the list with each destination's status (state, lag, last error in words) and the latest
 * backfill job's progress, start and stop, backfill, and delete after a confirmation page (the
 * create/edit form is {@link TrailForm}). Authorized and recorded as DescribeTrails,
 * GetTrailStatus, StartLogging, StopLogging, CreateDeliveryHistoryJob and DeleteTrail.
 */
final class TrailsPage {
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

  /** Starts a backfill job (CreateDeliveryHistoryJob) of the trail named in the form. */
  void backfill(Call c) throws IOException {
    String name = nz(c.value("name"));
    if (change(
        c,
        "CreateDeliveryHistoryJob",
        "TrailName",
        name,
        () -> trails.createDeliveryJob(c.account(), name))) {
      c.redirect("/trails");
    }
  }

  /** StartLogging or StopLogging of the trail named in the form. */
  void logging(Call c, boolean start) throws IOException {
    String name = nz(c.value("name"));
    boolean done =
        start
            ? change(c, "StartLogging", "Name", name, () -> trails.startLogging(c.account(), name))
            : change(c, "StopLogging", "Name", name, () -> trails.stopLogging(c.account(), name));
    if (done) {
      c.redirect("/trails");
    }
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
    if (change(c, "DeleteTrail", "Name", name, () -> trails.delete(c.account(), name))) {
      list(c, "Trail " + name + " deleted.", null);
    }
  }

  /**
   * Makes a change to trail {@code name} as the API operation {@code op} (authorized and recorded
   * as a ConsoleOperation under that name, {@code parameter} naming the trail in its
   * requestParameters); a refusal is shown on the trails page.
   *
   * @return whether it was made
   */
  private boolean change(Call c, String op, String parameter, String name, Runnable act)
      throws IOException {
    access.authorize(c, op, true, "trail", name);
    OpenTrailException failed = null;
    try {
      act.run();
    } catch (OpenTrailException e) {
      failed = e;
    }
    audit.operation(
        c.principal(), op, true, Access.TRAIL, name, Map.of(parameter, name), c.origin, failed);
    if (failed != null) {
      list(c, null, failed);
    }
    return failed == null;
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

  /** A destination's state in words. */
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
