package org.opentrail.logservice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.logsearch.SearchResult;
import org.opentrail.api.store.StoredEvent;

/**
 * ListLogStores, GetLogs and GetHistograms, answered as Log Service answers them (its API
 * reference): ListLogStores {@code {"count","total","logstores":[...]}}; GetLogs {@code
 * {"meta":{"progress","count","processedRows","elapsedMillisecond","hasSQL","whereQuery",
 * "aggQuery","keys"},"data":[{"__time__","__source__",...fields}]}} with the {@code
 * x-log-progress}, {@code x-log-count} and {@code x-log-processed-rows} headers; GetHistograms
 * {@code [{"from","to","count","progress"}]} (times in Unix seconds). Searches run through {@link
 * LogSearch}; a query with an analysis part ({@code search | SQL}) through {@link
 * LogSearch#analyze}.
 */
final class SearchOperations {
  /** Most logstore names one ListLogStores page answers (Log Service's limit). */
  static final int MAX_LIST = 500;

  /** GetLogs body keys the SDK may send that OpenTrail accepts without acting on them. */
  private static final Set<String> IGNORED =
      Set.of(
          "topic",
          "powerSql",
          "session",
          "shard",
          "accurate",
          "forward",
          "highlight",
          "fromNs",
          "toNs");

  private static final Set<String> KNOWN =
      Set.of("from", "to", "query", "line", "offset", "reverse");

  private final LogSearch search;
  private final Projects projects;

  SearchOperations(LogSearch search, Projects projects) {
    this.search = search;
    this.projects = projects;
  }

  Reply listLogStores(LogRequest r) {
    int offset = r.intParam("offset", 0, 0, Integer.MAX_VALUE);
    int size = r.intParam("size", MAX_LIST, 1, MAX_LIST);
    String filter = r.param("logstoreName");
    List<String> all = new ArrayList<>();
    for (String name : projects.logstores(r.principal.accountId())) {
      if (filter == null || filter.isEmpty() || name.contains(filter)) {
        all.add(name);
      }
    }
    int start = Math.min(offset, all.size());
    List<String> page = all.subList(start, (int) Math.min(all.size(), (long) start + size));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", page.size());
    out.put("total", all.size());
    out.put("logstores", page);
    return Reply.json(out);
  }

  Reply getLogs(LogRequest r) {
    Map<String, Object> body = JsonBody.object(r.body);
    for (String key : body.keySet()) {
      if (!KNOWN.contains(key) && !IGNORED.contains(key)) {
        throw LogErrors.invalid("GetLogs has no parameter " + LogRequest.printable(key, 64) + ".");
      }
    }
    String logstore = r.route.logstore();
    Instant from =
        Instant.ofEpochSecond(JsonBody.integer(body, "from", null, 0, Integer.MAX_VALUE));
    Instant to = Instant.ofEpochSecond(JsonBody.integer(body, "to", null, 0, Integer.MAX_VALUE));
    String query = JsonBody.string(body, "query", "");
    String account = r.principal.accountId();
    boolean none = !topicMatches(logstore, JsonBody.string(body, "topic", ""));
    Map<String, Object> meta = new LinkedHashMap<>();
    List<Map<String, String>> data = new ArrayList<>();
    Reply reply;
    if (none) {
      // a topic the logstore's logs do not have: nothing matches (the query is not run)
      meta.put("progress", "Complete");
      meta.put("count", 0);
      meta.put("processedRows", 0);
      meta.put("elapsedMillisecond", 0);
      meta.put("hasSQL", QueryText.hasAnalysis(query));
      meta.put("whereQuery", QueryText.search(query));
      meta.put("aggQuery", QueryText.analysis(query));
      meta.put("keys", List.of());
      r.auditNote = "no logs of that topic";
    } else if (QueryText.hasAnalysis(query)) {
      AnalysisResult a = search.analyze(account, logstore, from, to, query);
      for (List<String> row : a.rows()) {
        Map<String, String> log = new LinkedHashMap<>();
        for (int i = 0; i < a.columns().size(); i++) {
          log.put(a.columns().get(i), row.get(i));
        }
        log.putIfAbsent("__source__", "");
        data.add(log);
      }
      meta.put("progress", a.complete() ? "Complete" : "Incomplete");
      meta.put("count", data.size());
      meta.put("processedRows", a.processedRows());
      meta.put("elapsedMillisecond", a.elapsedMillis());
      meta.put("hasSQL", true);
      meta.put("whereQuery", QueryText.search(query));
      meta.put("aggQuery", QueryText.analysis(query));
      meta.put("keys", a.columns());
      r.auditNote = a.rows().size() + " rows";
    } else {
      int line = JsonBody.integer(body, "line", 100, 0, LogSearch.MAX_LINES);
      int offset = JsonBody.integer(body, "offset", 0, 0, Integer.MAX_VALUE);
      boolean reverse = JsonBody.bool(body, "reverse", false);
      // GetLogs answers no total: processedRows is what the search visited (a lower bound)
      SearchResult s =
          search.getLogs(
              account, logstore, from, to, query, offset, Math.max(1, line), reverse, false);
      List<StoredEvent> events = line == 0 ? List.of() : s.events();
      String topic = LogShape.topic(logstore);
      for (StoredEvent e : events) {
        Map<String, String> log = new LinkedHashMap<>();
        log.put("__time__", Integer.toString(LogShape.time(e.timeMillis())));
        log.put("__source__", "");
        if (!topic.isEmpty()) {
          log.put("__topic__", topic);
        }
        log.putAll(LogShape.contents(logstore, e.event()));
        data.add(log);
      }
      meta.put("progress", s.complete() ? "Complete" : "Incomplete");
      meta.put("count", data.size());
      meta.put("processedRows", s.count());
      meta.put("elapsedMillisecond", 0);
      meta.put("hasSQL", false);
      meta.put("whereQuery", query);
      meta.put("aggQuery", "");
      meta.put("keys", List.of());
      r.auditNote = data.size() + " logs";
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("meta", meta);
    out.put("data", data);
    reply = Reply.json(out);
    return reply
        .header("x-log-progress", meta.get("progress"))
        .header("x-log-count", data.size())
        .header("x-log-processed-rows", meta.get("processedRows"))
        .header("x-log-elapsed-millisecond", meta.get("elapsedMillisecond"))
        .header("x-log-has-sql", meta.get("hasSQL"))
        .header("x-log-query-info", EventJson.toString(Map.of("keys", meta.get("keys"))));
  }

  Reply getHistograms(LogRequest r) {
    Instant from = Instant.ofEpochSecond(seconds(r, "from"));
    Instant to = Instant.ofEpochSecond(seconds(r, "to"));
    String query = r.param("query") == null ? "" : r.param("query");
    boolean none = !topicMatches(r.route.logstore(), r.param("topic"));
    Histogram h =
        search.getHistograms(r.principal.accountId(), r.route.logstore(), from, to, query, null);
    String progress = h.complete() ? "Complete" : "Incomplete";
    List<Map<String, Object>> out = new ArrayList<>();
    for (Histogram.Bucket b : h.buckets()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", b.from().getEpochSecond());
      m.put("to", b.to().getEpochSecond());
      m.put("count", none ? 0 : b.count());
      m.put("progress", progress);
      out.add(m);
    }
    long total = none ? 0 : h.count();
    r.auditNote = total + " logs in " + out.size() + " buckets";
    return Reply.json(out).header("x-log-progress", progress).header("x-log-count", total);
  }

  /**
   * Whether a topic filter lets the logstore's logs through: none or empty does; otherwise it must
   * be the logstore's topic ({@code actiontrail_audit_event} in a trail's logstore, none
   * elsewhere).
   */
  static boolean topicMatches(String logstore, String topic) {
    return topic == null || topic.isEmpty() || topic.equals(LogShape.topic(logstore));
  }

  private static long seconds(LogRequest r, String name) {
    if (r.param(name) == null || r.param(name).isEmpty()) {
      throw LogErrors.invalid("The parameter " + name + " (Unix seconds) is required.");
    }
    return r.intParam(name, 0, 0, Integer.MAX_VALUE);
  }
}
