package org.opentrail.console;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.Event;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.source.SourceInfo;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.api.trail.InnerTrailStatus;
import org.opentrail.api.trail.SinkType;
import org.opentrail.api.trail.TrailService;

/**
 * The inner trail (create, enable, disable; its status with what keeps it from collecting: the
 * entitlement, the delivery role; the newest events of its logstore) and the sinks and sources
 * installed, with their bundles and versions. Authorized and recorded as DescribeInnerTrail,
 * GetInnerTrailStatus, CreateInnerTrail, EnableInnerTrail, DisableInnerTrail and
 * ListSupportedServices.
 */
final class InnerTrailPage {
  /** An installed source and the bundle it came from. */
  record Installed(SourceInfo info, String bundle, String version) {}

  private static final String TYPE = "ACS::ActionTrail::InnerTrail";

  private final InnerTrailService inner;
  private final TrailService trails;
  private final IdentityService identities;
  private final EventQuery query;
  private final Supplier<List<Installed>> sources;
  private final Access access;
  private final ConsoleAudit audit;

  InnerTrailPage(
      InnerTrailService inner,
      TrailService trails,
      IdentityService identities,
      EventQuery query,
      Supplier<List<Installed>> sources,
      Access access,
      ConsoleAudit audit) {
    this.inner = inner;
    this.trails = trails;
    this.identities = identities;
    this.query = query;
    this.sources = sources;
    this.access = access;
    this.audit = audit;
  }

  void page(Call c, OpenTrailException error) throws IOException {
    access.authorize(c, "DescribeInnerTrail", false, null, null);
    StringBuilder b = new StringBuilder();
    if (error != null) {
      b.append(Layout.error("error-innertrail", error.code(), error.getMessage()));
    }
    Optional<InnerTrail> t = inner.get(c.account());
    if (t.isEmpty()) {
      boolean entitled = identities.entitled(c.account(), InnerTrailService.ENTITLEMENT);
      b.append("<p id=\"innertrail-state\">This account has no inner trail.</p>");
      if (!entitled) {
        b.append(
                "<p class=\"missing\" id=\"missing-entitlement\">Missing: the operator has not granted")
            .append(
                " this account the InnerTrail entitlement (<code>auth:entitle InnerTrail</code>).</p>");
      }
      b.append("<form method=\"post\" action=\"/console/innertrail/save\">")
          .append(Layout.csrf(c))
          .append(
              "<input type=\"hidden\" name=\"do\" value=\"create\"><label>Name <input name=\"name\"")
          .append(
              " id=\"innertrail-name\"></label><button type=\"submit\" id=\"innertrail-create\">")
          .append("Enable inner trail</button></form>");
    } else {
      access.authorize(c, "GetInnerTrailStatus", false, null, null);
      InnerTrailStatus s = inner.status(c.account());
      b.append("<dl id=\"innertrail-state\"><dt>Name</dt><dd>")
          .append(Text.esc(t.get().name()))
          .append("</dd><dt>Logstore</dt><dd>")
          .append(Text.esc(t.get().logstore()))
          .append("</dd><dt>Collecting</dt><dd id=\"collecting\">")
          .append(s.collecting() ? "yes" : "no")
          .append("</dd><dt>Entitled</dt><dd>")
          .append(s.entitled() ? "yes" : "no")
          .append("</dd><dt>Delivery role granted</dt><dd>")
          .append(s.roleGranted() ? "yes" : "no")
          .append("</dd><dt>Stored events</dt><dd>")
          .append(s.storedEvents())
          .append("</dd></dl>");
      for (String p : s.problems()) {
        b.append("<p class=\"missing\">Missing: ").append(Text.esc(p)).append("</p>");
      }
      String what = t.get().enabled() ? "disable" : "enable";
      b.append("<form method=\"post\" action=\"/console/innertrail/save\">")
          .append(Layout.csrf(c))
          .append("<input type=\"hidden\" name=\"do\" value=\"")
          .append(what)
          .append("\">")
          .append("<button type=\"submit\" id=\"innertrail-")
          .append(what)
          .append("\">")
          .append(t.get().enabled() ? "Disable" : "Enable")
          .append("</button></form>");
      b.append("<h2>Newest events of its logstore</h2>");
      if (!access.allowed(c, "LookupEvents")) {
        b.append("<p id=\"innertrail-events-refused\">(no permission for LookupEvents)</p>");
      } else {
        events(b, c, t.get());
      }
    }
    c.html(
        error == null ? 200 : error.httpStatus(),
        Layout.page(c, "Inner trail", "innertrail", b.toString()));
  }

  /** The newest events of the inner trail's logstore, which LookupEvents reads. */
  private void events(StringBuilder b, Call c, InnerTrail t) {
    b.append("<ul id=\"innertrail-events\">");
    for (Event e :
        query
            .lookup(LookupRequest.builder(c.account()).stream(t.logstore()).maxResults(20).build())
            .events()) {
      b.append("<li>")
          .append(Text.esc(e.eventTime()))
          .append(" ")
          .append(Text.esc(Plain.describe(e)))
          .append("</li>");
    }
    b.append("</ul>");
  }

  void save(Call c) throws IOException {
    String what = String.valueOf(c.param("do"));
    String op =
        switch (what) {
          case "create" -> "CreateInnerTrail";
          case "enable" -> "EnableInnerTrail";
          case "disable" -> "DisableInnerTrail";
          default ->
              throw new OpenTrailException("InvalidParameter", "Unknown inner trail action.", 400);
        };
    String name = c.value("name");
    access.authorize(c, op, true, what.equals("create") ? "innertrail" : null, name);
    Map<String, Object> asked = c.auditParameters("name");
    try {
      switch (what) {
        case "create" -> inner.create(c.account(), name == null ? "" : name);
        case "enable" -> inner.enable(c.account());
        default -> inner.disable(c.account());
      }
      audit.operation(c.principal(), op, true, TYPE, name, asked, c.origin, null);
    } catch (OpenTrailException e) {
      audit.operation(c.principal(), op, true, TYPE, name, asked, c.origin, e);
      page(c, e);
      return;
    }
    c.redirect("/innertrail");
  }

  void installed(Call c) throws IOException {
    access.authorize(c, "ListSupportedServices", false, null, null);
    StringBuilder b =
        new StringBuilder("<h2>Sink types</h2><table id=\"sinks\"><thead><tr>")
            .append("<th>Type</th><th>Bundle</th><th>Version</th></tr></thead><tbody>");
    for (SinkType t : trails.sinkTypes()) {
      b.append("<tr><td>")
          .append(Text.esc(t.type()))
          .append("</td><td>")
          .append(Text.esc(t.bundle()))
          .append("</td><td>")
          .append(Text.esc(t.version()))
          .append("</td></tr>");
    }
    b.append("</tbody></table><h2>Sources</h2><table id=\"sources\"><thead><tr><th>Source</th>")
        .append("<th>Service</th><th>Bundle</th><th>Version</th></tr></thead><tbody>");
    for (Installed s : sources.get()) {
      b.append("<tr><td>")
          .append(Text.esc(s.info().displayName()))
          .append("</td><td>")
          .append(Text.esc(s.info().serviceName()))
          .append("</td><td>")
          .append(Text.esc(s.bundle()))
          .append("</td><td>")
          .append(Text.esc(s.version()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    c.html(Layout.page(c, "Sinks and sources", "installed", b.toString()));
  }
}
