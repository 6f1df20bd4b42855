package org.opentrail.console;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupResult;

/**
 * The event history: the filter form, one page of LookupEvents (newest first; NextToken in the URL,
 * the tokens of the pages before it in {@code b} parameters, so reloading or going back keeps the
 * place), an event's detail panel ({@code open=<eventId>}: its pretty JSON with a copy button) and
 * the export buttons. Authorized as {@code actiontrail:LookupEvents}.
 */
final class HistoryPage {
  /**
   * Most LookupEvents pages read for one page filtered by error code (which LookupEvents lacks).
   */
  private static final int MAX_PAGES_PER_ERROR_CODE_PAGE = 40;

  private final EventQuery query;
  private final Access access;

  HistoryPage(EventQuery query, Access access) {
    this.query = query;
    this.access = access;
  }

  void page(Call c) throws IOException {
    access.authorize(c, "LookupEvents", false, null, null);
    StringBuilder b = new StringBuilder();
    Filters f;
    try {
      f = Filters.parse(c::param, Instant.now());
    } catch (InvalidParameterException e) {
      form(b, c, null, e);
      c.html(400, Layout.page(c, "Event history", "history", b.toString()));
      return;
    }
    form(b, c, f, null);
    int size = "20".equals(c.param("size")) ? 20 : 50;
    String token = c.value("token");
    String[] back = Optional.ofNullable(c.req.getParameterValues("b")).orElse(new String[0]);
    List<Event> events = new ArrayList<>();
    String next = token;
    int pages = 0;
    try {
      do {
        LookupResult r =
            query.lookup(f.lookup(c.account()).maxResults(size).nextToken(next).build());
        for (Event e : r.events()) {
          if (f.errorCode == null || f.errorCode.equals(e.getString("errorCode"))) {
            events.add(e);
          }
        }
        next = r.nextToken();
        pages++;
      } while (f.errorCode != null
          && next != null
          && events.size() < size
          && pages < MAX_PAGES_PER_ERROR_CODE_PAGE);
    } catch (InvalidParameterException e) {
      b.append(Layout.error("error-token", e.code(), e.getMessage()));
      c.html(400, Layout.page(c, "Event history", "history", b.toString()));
      return;
    }
    String open = c.value("open");
    if (open != null) {
      detail(b, c, open);
    }
    String here = f.pinned() + "&size=" + size;
    b.append("<p class=\"summary\" id=\"summary\">")
        .append(events.size())
        .append(events.size() == 1 ? " event" : " events")
        .append(" on page ")
        .append(back.length + 1)
        .append(", newest first. <a id=\"charts-link\" href=\"/console/charts?")
        .append(Text.esc(f.query()))
        .append("\">Charts of these events</a></p>");
    b.append("<div class=\"table-wrap\"><table id=\"events\"><thead><tr><th>Time (UTC)</th>")
        .append("<th>What happened</th><th>Event name</th><th>User</th><th>Resource</th>")
        .append("<th>Error</th><th></th></tr></thead><tbody>");
    for (Event e : events) {
      b.append("<tr id=\"event-").append(Text.esc(e.eventId())).append("\">");
      cell(b, e.eventTime());
      b.append("<td class=\"plain\">").append(Text.esc(Plain.describe(e))).append("</td>");
      cell(b, e.eventName());
      cell(b, e.userName());
      cell(b, join(e.resourceType(), e.resourceName()));
      cell(b, e.getString("errorCode"));
      b.append("<td><a class=\"open\" href=\"/console/history?")
          .append(Text.esc(here + tokens(token, back) + "&open=" + Text.url(e.eventId())))
          .append("\">Details</a></td></tr>");
    }
    b.append("</tbody></table></div><nav class=\"pager\">");
    if (token != null) {
      String prev = back.length == 0 ? null : back[back.length - 1];
      String[] before = java.util.Arrays.copyOf(back, Math.max(0, back.length - 1));
      b.append("<a id=\"newer\" href=\"/console/history?")
          .append(Text.esc(here + tokens(prev, before)))
          .append("\">Newer</a> ");
    }
    if (next != null) {
      String[] after = java.util.Arrays.copyOf(back, back.length + 1);
      after[back.length] = token == null ? "" : token;
      b.append("<a id=\"older\" href=\"/console/history?")
          .append(Text.esc(here + tokens(next, after)))
          .append("\">Older</a>");
    }
    b.append("</nav>");
    pickers(b, events);
    exportForm(b, c, f);
    c.html(Layout.page(c, "Event history", "history", b.toString()));
  }

  /** Filter fields offered a picker of the values this page's events hold. */
  private static final java.util.Map<String, java.util.function.Function<Event, String>> PICKED =
      java.util.Map.of(
          "EventName", Event::eventName,
          "User", Event::userName,
          "ResourceType", Event::resourceType,
          "ServiceName", Event::serviceName,
          "EventAccessKeyId", Event::accessKeyId,
          "ErrorCode", e -> e.getString("errorCode"));

  /** One {@code <datalist>} per picked field, of the distinct values on this page (sorted). */
  private static void pickers(StringBuilder b, List<Event> events) {
    PICKED.forEach(
        (field, value) -> {
          java.util.TreeSet<String> values = new java.util.TreeSet<>();
          for (Event e : events) {
            String v = value.apply(e);
            if (v != null && !v.isEmpty() && v.length() <= 256) {
              values.add(v);
            }
          }
          b.append("<datalist id=\"pick-").append(field).append("\">");
          for (String v : values) {
            b.append("<option value=\"").append(Text.esc(v)).append("\"></option>");
          }
          b.append("</datalist>");
        });
  }

  private void detail(StringBuilder b, Call c, String eventId) {
    Optional<Event> e = query.get(c.account(), eventId);
    b.append("<section class=\"detail\" id=\"detail\">");
    if (e.isEmpty()) {
      b.append(
          Layout.error(
              "error-open",
              "EventNotFound",
              "There is no event " + Text.quote(eventId) + " in this account's history."));
    } else {
      b.append("<h2>").append(Text.esc(Plain.describe(e.get()))).append("</h2>");
      b.append(
          "<button type=\"button\" class=\"copy\" data-copy=\"event-json\">Copy JSON</button>");
      b.append("<pre id=\"event-json\">")
          .append(Text.esc(EventJson.toPrettyString(e.get().fields())))
          .append("</pre>");
    }
    b.append("</section>");
  }

  private static void form(StringBuilder b, Call c, Filters f, InvalidParameterException error) {
    b.append("<form method=\"get\" action=\"/console/history\" id=\"filters\" class=\"filters\">");
    String range = f != null ? f.range : Optional.ofNullable(c.param("range")).orElse("7d");
    b.append("<label>Time range <select name=\"range\" id=\"range\">");
    for (String p : Filters.PRESETS.keySet()) {
      option(b, p, "Last " + p, range);
    }
    option(b, "custom", "Custom (below)", range);
    b.append("</select></label>");
    input(b, c, "start", "From (UTC)", "2026-11-30T08:00", error);
    input(b, c, "end", "To (UTC)", "2026-11-30T09:00", error);
    for (String field : Filters.fields()) {
      if (field.equals("EventRW")) {
        String v = Optional.ofNullable(c.param(field)).orElse("");
        b.append("<label>Read/write <select name=\"EventRW\" id=\"EventRW\">");
        option(b, "", "Any", v);
        option(b, "Read", "Read", v);
        option(b, "Write", "Write", v);
        b.append("</select></label>");
        fieldError(b, field, error);
      } else {
        input(b, c, field, field, "", error);
      }
    }
    b.append("<label>Per page <select name=\"size\" id=\"size\">");
    String size = Optional.ofNullable(c.param("size")).orElse("50");
    option(b, "50", "50", size);
    option(b, "20", "20", size);
    b.append("</select></label>");
    b.append("<button type=\"submit\" id=\"search\">Search</button></form>");
    if (error != null
        && error.parameter() != null
        && !Filters.fields().contains(error.parameter())
        && !List.of("start", "end").contains(error.parameter())) {
      b.append(Layout.error("error-" + error.parameter(), error.code(), error.getMessage()));
    }
  }

  private static void input(
      StringBuilder b,
      Call c,
      String name,
      String label,
      String placeholder,
      InvalidParameterException error) {
    b.append("<label>")
        .append(Text.esc(label))
        .append(" <input name=\"")
        .append(name)
        .append("\" id=\"")
        .append(name)
        .append(PICKED.containsKey(name) ? "\" list=\"pick-" + name : "")
        .append("\" placeholder=\"")
        .append(Text.esc(placeholder))
        .append("\" value=\"")
        .append(Text.esc(Optional.ofNullable(c.param(name)).orElse("")))
        .append("\"></label>");
    fieldError(b, name, error);
  }

  private static void fieldError(StringBuilder b, String name, InvalidParameterException error) {
    if (error != null && name.equals(error.parameter())) {
      b.append(Layout.error("error-" + name, error.code(), error.getMessage()));
    }
  }

  private static void exportForm(StringBuilder b, Call c, Filters f) {
    b.append("<form id=\"export\" class=\"export\" method=\"post\" action=\"/console/api/export\">")
        .append(Layout.csrf(c))
        .append("<input type=\"hidden\" name=\"filters\" value=\"")
        .append(Text.esc(f.query()))
        .append("\">")
        .append("<button type=\"submit\" name=\"format\" value=\"csv\" id=\"export-csv\">")
        .append("Export all to CSV</button> ")
        .append("<button type=\"submit\" name=\"format\" value=\"jsonl\" id=\"export-jsonl\">")
        .append("Export all to JSON lines (gzip)</button>")
        .append("<progress id=\"export-progress\" max=\"100\" value=\"0\" hidden></progress>")
        .append("<span id=\"export-status\" role=\"status\"></span></form>");
  }

  private static void option(StringBuilder b, String value, String label, String selected) {
    b.append("<option value=\"")
        .append(Text.esc(value))
        .append("\"")
        .append(value.equals(selected) ? " selected" : "")
        .append(">")
        .append(Text.esc(label))
        .append("</option>");
  }

  private static void cell(StringBuilder b, String v) {
    b.append("<td>").append(Text.esc(v == null ? "" : v)).append("</td>");
  }

  private static String join(String type, String name) {
    if (name == null || name.isEmpty()) {
      return type == null ? "" : type;
    }
    return type == null ? name : type + " " + name;
  }

  private static String tokens(String token, String[] back) {
    StringBuilder s = new StringBuilder();
    for (String t : back) {
      s.append("&b=").append(Text.url(t));
    }
    if (token != null && !token.isEmpty()) {
      s.append("&token=").append(Text.url(token));
    }
    return s.toString();
  }
}
