package org.opentrail.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupResult;
import org.opentrail.api.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the charts show, for a range and filters of the history: events over time (Log Service's
 * GetHistograms over the history), and the top event names, users, source IPs and error codes —
 * from SQL analysis ({@link LogSearch#analyze}) when it answers, else counted from a scan of the
 * matching events (at most {@value #SAMPLE} of them), else, without the logsearch feature, from the
 * newest LookupEvents pages (at most 1000 events). Every bucket and every row carries the link to
 * the history of the events behind it. The shape: {@code {Source, Time: [{From, Count, Href}],
 * Tops: [{Title, Rows: [{Value, Count, Href}]}]}}.
 */
final class ChartData {
  private static final Logger LOG = LoggerFactory.getLogger(ChartData.class);
  static final int SAMPLE = 20_000;
  private static final int TOP = 10;

  /** A top chart: title, history filter field, search/SQL column. */
  record Top(String title, String filter, String column) {}

  static final List<Top> TOPS =
      List.of(
          new Top("Top event names", "EventName", "eventName"),
          new Top("Top users", "User", "userIdentity.userName"),
          new Top("Top source IPs", null, "sourceIpAddress"),
          new Top("Top error codes", "ErrorCode", "errorCode"));

  private final Supplier<LogSearch> search;
  private final EventQuery query;

  ChartData(Supplier<LogSearch> search, EventQuery query) {
    this.search = search;
    this.query = query;
  }

  Map<String, Object> compute(String account, Filters f) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Map<String, Object>> time = new ArrayList<>();
    List<Map<String, Long>> counts = new ArrayList<>();
    LogSearch s = search.get();
    String source;
    String q = null;
    try {
      q = f.search();
    } catch (InvalidParameterException e) {
      s = null; // a value the search cannot hold: count from LookupEvents
    }
    if (s != null) {
      Histogram h = s.getHistograms(account, EventStore.HISTORY, f.start, f.end, q, null);
      for (Histogram.Bucket bk : h.buckets()) {
        time.add(bucket(bk.from(), bk.to(), bk.count(), f));
      }
      source = "SQL analysis";
      try {
        for (Top t : TOPS) {
          counts.add(analyze(s, account, f, q, t.column()));
        }
      } catch (RuntimeException e) {
        // not installed yet (InvalidQuery), timed out, or an answer not of the shape asked for
        LOG.debug("SQL analysis unavailable for the console's charts: {}", e.toString());
        counts.clear();
        counts.addAll(scan(s, account, f, q));
        source = "counted from the matching events (at most " + SAMPLE + ")";
      }
    } else {
      source = "counted from the newest LookupEvents pages (at most 1000 events)";
      counts.addAll(lookup(account, f, time));
    }
    out.put("Source", source);
    out.put("Time", time);
    List<Map<String, Object>> tops = new ArrayList<>();
    for (int i = 0; i < TOPS.size(); i++) {
      tops.add(top(TOPS.get(i), counts.get(i), f));
    }
    out.put("Tops", tops);
    return out;
  }

  private static Map<String, Long> analyze(
      LogSearch s, String account, Filters f, String q, String column) {
    String col = "\"" + column + "\"";
    AnalysisResult r =
        s.analyze(
            account,
            EventStore.HISTORY,
            f.start,
            f.end,
            q
                + " | SELECT "
                + col
                + " AS v, count(*) AS n FROM log GROUP BY "
                + col
                + " ORDER BY n DESC LIMIT "
                + TOP);
    Map<String, Long> m = new LinkedHashMap<>();
    for (List<String> row : r.rows()) {
      if (!"null".equals(row.get(0)) && !row.get(0).isEmpty()) {
        m.put(row.get(0), Long.parseLong(row.get(1)));
      }
    }
    return m;
  }

  private List<Map<String, Long>> scan(LogSearch s, String account, Filters f, String q) {
    List<Map<String, Long>> counts = empty();
    long[] seen = {0};
    s.scan(
        account,
        EventStore.HISTORY,
        f.start,
        f.end,
        q,
        (chunk, done, total) -> {
          for (var e : chunk) {
            count(counts, e.event());
          }
          seen[0] = done;
          return done < SAMPLE;
        });
    return counts;
  }

  private List<Map<String, Long>> lookup(
      String account, Filters f, List<Map<String, Object>> time) {
    List<Map<String, Long>> counts = empty();
    Map<Instant, Long> hours = new java.util.TreeMap<>();
    String token = null;
    int n = 0;
    do {
      LookupResult r = query.lookup(f.lookup(account).maxResults(50).nextToken(token).build());
      for (Event e : r.events()) {
        if (f.errorCode == null || f.errorCode.equals(e.getString("errorCode"))) {
          count(counts, e);
          hours.merge(
              Instant.ofEpochMilli(e.eventTimeMillis())
                  .truncatedTo(java.time.temporal.ChronoUnit.HOURS),
              1L,
              Long::sum);
        }
      }
      token = r.nextToken();
    } while (token != null && ++n < 20);
    hours.forEach((h, c) -> time.add(bucket(h, h.plusSeconds(3600), c, f)));
    return counts;
  }

  private static List<Map<String, Long>> empty() {
    List<Map<String, Long>> counts = new ArrayList<>();
    for (int i = 0; i < TOPS.size(); i++) {
      counts.add(new HashMap<>());
    }
    return counts;
  }

  private static void count(List<Map<String, Long>> counts, Event e) {
    String[] values = {
      e.eventName(), e.userName(), e.getString("sourceIpAddress"), e.getString("errorCode")
    };
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null && !values[i].isEmpty()) {
        counts.get(i).merge(values[i], 1L, Long::sum);
      }
    }
  }

  private static Map<String, Object> bucket(Instant from, Instant to, long count, Filters f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("From", from.toString());
    m.put("Count", count);
    m.put("Href", "/console/history?" + withRange(f, from, to));
    return m;
  }

  private static Map<String, Object> top(Top t, Map<String, Long> counts, Filters f) {
    List<Map<String, Object>> rows = new ArrayList<>();
    counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP)
        .forEach(
            e -> {
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("Value", e.getKey());
              r.put("Count", e.getValue());
              if (t.filter() != null) {
                r.put(
                    "Href",
                    "/console/history?"
                        + f.query()
                        + "&"
                        + t.filter()
                        + "="
                        + Text.url(e.getKey()));
              }
              rows.add(r);
            });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Title", t.title());
    m.put("Rows", rows);
    return m;
  }

  private static String withRange(Filters f, Instant from, Instant to) {
    String q = f.query().replaceFirst("^range=[^&]*(&start=[^&]*&end=[^&]*)?", "");
    return "range=custom&start="
        + Text.url(from.toString())
        + "&end="
        + Text.url(to.toString())
        + q;
  }
}
