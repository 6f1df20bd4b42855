package org.opentrail.console;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.query.EventQuery;

/**
 * Charts of the history for a range and filters ({@link ChartData}): drawn with ECharts from the
 * data in an attribute of the page, and listed as tables of links too (so the page works, and can
 * be read, without its script). Authorized as {@code actiontrail:LookupEvents}.
 */
final class ChartsPage {
  private final ChartData charts;
  private final Access access;

  ChartsPage(Supplier<LogSearch> search, EventQuery query, Access access) {
    this.charts = new ChartData(search, query);
    this.access = access;
  }

  void page(Call c) throws IOException {
    access.authorize(c, "LookupEvents", false, null, null);
    Filters f;
    try {
      f = Filters.parse(c::param, Instant.now());
    } catch (InvalidParameterException e) {
      c.html(
          400,
          Layout.page(
              c,
              "Charts",
              "charts",
              Layout.error("error-" + e.parameter(), e.code(), e.getMessage())));
      return;
    }
    Map<String, Object> data = charts.compute(c.account(), f);
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"summary\">Range ")
        .append(Text.esc(f.start))
        .append(" to ")
        .append(Text.esc(f.end))
        .append(", search <code id=\"chart-query\">")
        .append(Text.esc(search(f)))
        .append("</code>; source: <span id=\"chart-source\">")
        .append(Text.esc(data.get("Source")))
        .append("</span>. <a href=\"/console/history?")
        .append(Text.esc(f.query()))
        .append("\">Back to the events</a></p>");
    b.append("<div id=\"charts\" data-charts=\"")
        .append(
            Text.esc(new String(EventJson.write(data), java.nio.charset.StandardCharsets.UTF_8)))
        .append("\"><div class=\"chart wide\" id=\"chart-time\"></div>");
    for (int i = 0; i < ChartData.TOPS.size(); i++) {
      b.append("<div class=\"chart\" id=\"chart-top").append(i).append("\"></div>");
    }
    b.append("</div>");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tops = (List<Map<String, Object>>) data.get("Tops");
    b.append("<div class=\"tops\">");
    for (int i = 0; i < tops.size(); i++) {
      Map<String, Object> t = tops.get(i);
      b.append("<table class=\"top\" id=\"top")
          .append(i)
          .append("\"><caption>")
          .append(Text.esc(t.get("Title")))
          .append("</caption><tbody>");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = (List<Map<String, Object>>) t.get("Rows");
      for (Map<String, Object> r : rows) {
        b.append("<tr><td>");
        Object href = r.get("Href");
        if (href != null) {
          b.append("<a href=\"")
              .append(Text.esc(href))
              .append("\">")
              .append(Text.esc(r.get("Value")))
              .append("</a>");
        } else {
          b.append(Text.esc(r.get("Value")));
        }
        b.append("</td><td class=\"n\">").append(r.get("Count")).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("</div>");
    c.html(Layout.page(c, "Charts", "charts", b.toString()));
  }

  void data(Call c) throws IOException {
    access.authorize(c, "LookupEvents", false, null, null);
    c.json(200, charts.compute(c.account(), Filters.parse(c::param, Instant.now())));
  }

  private static String search(Filters f) {
    try {
      return f.search();
    } catch (InvalidParameterException e) {
      return "(not searchable: " + e.getMessage() + ")";
    }
  }
}
