package org.opentrail.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.logsearch.SearchResult;
import org.opentrail.api.store.StoredEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code log:*}: search a logstore ({@code actiontrail_<trail>}, {@code innertrail_<name>} or
 * {@code history}) with Log Service's search syntax, count per time bucket, and show or set its
 * index configuration. {@code log:query} with {@code search | SQL} prints the rows of the SQL
 * analysis.
 */
@Component(
    service = LogCommands.class,
    property = {
      "osgi.command.scope=log",
      "osgi.command.function=query",
      "osgi.command.function=histogram",
      "osgi.command.function=index",
      "osgi.command.function=export"
    })
public final class LogCommands {
  private final LogSearch search;
  private final IdentityService identities;
  private final LogExport exports;

  @Activate
  public LogCommands(
      @Reference LogSearch search,
      @Reference IdentityService identities,
      @Reference LogExport exports) {
    this.search = search;
    this.identities = identities;
    this.exports = exports;
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  /**
   * [from, to) from --since or --from/--to; default the last 15 minutes, as Log Service's console.
   */
  private static Instant[] range(String since, String from, String to) {
    Instant now = Instant.now();
    if (!since.isEmpty()) {
      if (!from.isEmpty() || !to.isEmpty()) {
        throw new IllegalArgumentException("--since cannot be combined with --from or --to");
      }
      return new Instant[] {now.minus(Durations.parse("--since", since)), now.plusMillis(1)};
    }
    if (from.isEmpty()) {
      if (!to.isEmpty()) {
        throw new IllegalArgumentException("--to needs --from (or use --since)");
      }
      return new Instant[] {now.minus(Duration.ofMinutes(15)), now.plusMillis(1)};
    }
    return new Instant[] {
      Durations.time("--from", from), to.isEmpty() ? now.plusMillis(1) : Durations.time("--to", to)
    };
  }

  @Descriptor(
      "Events of a logstore matching a Log Service search, newest first; with 'search | SQL', the"
          + " rows of the SQL analysis of the matching events")
  public String query(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("events of the last 90s, 30m, 1h, 7d, ... (default 15m)")
          @Parameter(
              names = {"--since"},
              absentValue = "")
          String since,
      @Descriptor("start of the range, ISO-8601 UTC (e.g. 2026-11-01T00:00:00Z)")
          @Parameter(
              names = {"--from"},
              absentValue = "")
          String from,
      @Descriptor("end of the range (exclusive), ISO-8601 UTC; default now")
          @Parameter(
              names = {"--to"},
              absentValue = "")
          String to,
      @Descriptor("events to show, 1 to 100 (default 20)")
          @Parameter(
              names = {"-m", "--max"},
              absentValue = "20")
          int max,
      @Descriptor("matching events to skip first (default 0)")
          @Parameter(
              names = {"--offset"},
              absentValue = "0")
          int offset,
      @Descriptor("oldest first")
          @Parameter(
              names = {"--oldest"},
              absentValue = "false",
              presentValue = "true")
          boolean oldest,
      @Descriptor("print the answer as JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history") String logstore,
      @Descriptor(
              "the search, e.g. \"eventName: Delete* and not errorCode: *\"; * for all; or"
                  + " 'search | SQL', e.g. \"* | SELECT eventName, count(*) GROUP BY eventName\"")
          String text) {
    Instant[] r = range(since, from, to);
    if (text.indexOf('|') >= 0) {
      try {
        return analysis(search.analyze(account(account), logstore, r[0], r[1], text), json);
      } catch (OpenTrailException e) {
        // a '|' only inside a quoted value: a plain search
        if (!e.getMessage().startsWith("The query has no analysis")) {
          throw e;
        }
      }
    }
    SearchResult res =
        search.getLogs(account(account), logstore, r[0], r[1], text, offset, max, !oldest);
    String progress = res.complete() ? "Complete" : "Incomplete";
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      List<Object> logs = new ArrayList<>();
      for (StoredEvent e : res.events()) {
        logs.add(e.event());
      }
      answer.put("Logs", logs);
      answer.put("Count", res.count());
      answer.put("Progress", progress);
      return EventJson.toString(answer);
    }
    Table t = new Table(48, "TIME", "EVENT NAME", "USER", "REGION", "ERROR", "EVENT ID");
    for (StoredEvent e : res.events()) {
      t.row(
          e.event().eventTime(),
          e.event().eventName(),
          e.event().userName(),
          e.event().acsRegion(),
          e.event().getString("errorCode"),
          e.event().eventId());
    }
    return (res.events().isEmpty() ? "" : t.toString())
        + res.events().size()
        + " shown of "
        + res.count()
        + " matching ("
        + progress
        + ")";
  }

  /** An analysis as a table of its rows, or as JSON (GetLogs' shape: one object per row). */
  private static String analysis(AnalysisResult res, boolean json) {
    String progress = res.complete() ? "Complete" : "Incomplete";
    if (json) {
      List<Object> logs = new ArrayList<>();
      for (List<String> row : res.rows()) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
          m.put(res.columns().get(i), row.get(i));
        }
        logs.add(m);
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("Columns", res.columns());
      answer.put("Logs", logs);
      answer.put("Count", res.rows().size());
      answer.put("ProcessedRows", res.processedRows());
      answer.put("ElapsedMillisecond", res.elapsedMillis());
      answer.put("Progress", progress);
      return EventJson.toString(answer);
    }
    Table t = new Table(48, res.columns().toArray(String[]::new));
    for (List<String> row : res.rows()) {
      t.row(row.toArray());
    }
    return t
        + (res.rows().size() + " rows from " + res.processedRows() + " events in ")
        + (res.elapsedMillis() + " ms (" + progress + ")");
  }

  @Descriptor("Counts of a logstore's events matching a Log Service search, per time bucket")
  public String histogram(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("events of the last 90s, 30m, 1h, 7d, ... (default 15m)")
          @Parameter(
              names = {"--since"},
              absentValue = "")
          String since,
      @Descriptor("start of the range, ISO-8601 UTC")
          @Parameter(
              names = {"--from"},
              absentValue = "")
          String from,
      @Descriptor("end of the range (exclusive), ISO-8601 UTC; default now")
          @Parameter(
              names = {"--to"},
              absentValue = "")
          String to,
      @Descriptor("bucket length: 10s, 1m, 1h, ... (default: at most 60 buckets)")
          @Parameter(
              names = {"-i", "--interval"},
              absentValue = "")
          String interval,
      @Descriptor("print the answer as JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history") String logstore,
      @Descriptor("the search; * for all") String text) {
    Instant[] r = range(since, from, to);
    Histogram h =
        search.getHistograms(
            account(account),
            logstore,
            r[0],
            r[1],
            text,
            interval.isEmpty() ? null : Durations.parse("--interval", interval));
    String progress = h.complete() ? "Complete" : "Incomplete";
    if (json) {
      List<Object> buckets = new ArrayList<>();
      for (Histogram.Bucket b : h.buckets()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", b.from().getEpochSecond());
        m.put("to", b.to().getEpochSecond());
        m.put("count", b.count());
        m.put("progress", progress);
        buckets.add(m);
      }
      return EventJson.toString(Map.of("Histograms", buckets, "Count", h.count()));
    }
    Table t = new Table(32, "FROM", "TO", "COUNT");
    for (Histogram.Bucket b : h.buckets()) {
      t.row(b.from(), b.to(), b.count());
    }
    return t + "" + h.count() + " matching (" + progress + ")";
  }

  @Descriptor("Show a logstore's index configuration, or replace it from a JSON file with --set")
  public String index(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor(
              "a JSON file: {\"fullText\":true,\"fields\":{\"event.eventName\":\"keyword\",...}}"
                  + " (types keyword, text, long, double); the logstore is re-indexed")
          @Parameter(
              names = {"-s", "--set"},
              absentValue = "")
          String set,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history") String logstore)
      throws IOException {
    String a = account(account);
    IndexConfig c;
    if (set.isEmpty()) {
      c = search.indexConfig(a, logstore);
    } else {
      Object json = EventJson.read(Files.readAllBytes(Path.of(set)));
      c = search.setIndexConfig(a, logstore, parse(json));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    c.fields().forEach((k, v) -> fields.put(k, v.name().toLowerCase(Locale.ROOT)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fullText", c.fullText());
    m.put("fields", fields);
    return EventJson.toPrettyString(m);
  }

  private static IndexConfig parse(Object json) {
    if (!(json instanceof Map<?, ?> m) || !(m.get("fields") instanceof Map<?, ?> f)) {
      throw new IllegalArgumentException(
          "the file must hold {\"fullText\":true|false,\"fields\":{name:type,...}}");
    }
    Map<String, IndexConfig.FieldType> fields = new LinkedHashMap<>();
    for (var e : f.entrySet()) {
      try {
        fields.put(
            String.valueOf(e.getKey()),
            IndexConfig.FieldType.valueOf(String.valueOf(e.getValue()).toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(
            "field " + e.getKey() + ": the type must be keyword, text, long or double");
      }
    }
    return new IndexConfig(!Boolean.FALSE.equals(m.get("fullText")), fields);
  }

  @Descriptor(
      "Export every event of a logstore matching a Log Service search to a file (gzip JSON lines or"
          + " CSV), oldest first, printing progress")
  public String export(
      CommandSession session,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("events of the last 90s, 30m, 1h, 7d, ... (default 15m)")
          @Parameter(
              names = {"--since"},
              absentValue = "")
          String since,
      @Descriptor("start of the range, ISO-8601 UTC (e.g. 2026-11-01T00:00:00Z)")
          @Parameter(
              names = {"--from"},
              absentValue = "")
          String from,
      @Descriptor("end of the range (exclusive), ISO-8601 UTC; default now")
          @Parameter(
              names = {"--to"},
              absentValue = "")
          String to,
      @Descriptor("jsonl.gz (one event JSON per line, gzip; the default) or csv")
          @Parameter(
              names = {"--format"},
              absentValue = "jsonl.gz")
          String format,
      @Descriptor(
              "CSV columns, comma-separated, nested keys by dots (default eventTime, eventName,"
                  + " eventRW, serviceName, userIdentity.userName, userIdentity.accessKeyId,"
                  + " sourceIpAddress, resourceType, resourceName, errorCode, eventId)")
          @Parameter(
              names = {"--columns"},
              absentValue = "")
          String columns,
      @Descriptor("replace the file if it exists")
          @Parameter(
              names = {"--force"},
              absentValue = "false",
              presentValue = "true")
          boolean force,
      @Descriptor("actiontrail_<trail>, innertrail_<name> or history") String logstore,
      @Descriptor("the search, e.g. \"eventName: Delete*\"; * for all") String text,
      @Descriptor("the file to write, on this machine (written whole or not at all, owner-only)")
          String file) {
    Instant[] r = range(since, from, to);
    LogExport.Format f = LogExport.Format.parse(format);
    List<String> cols = new ArrayList<>();
    for (String c : columns.split(",")) {
      if (!c.isBlank()) {
        cols.add(c.strip());
      }
    }
    java.io.PrintStream console = session == null ? System.out : session.getConsole();
    LogExport.Status s =
        exports.export(
            account(account),
            logstore,
            r[0],
            r[1],
            text,
            Path.of(file),
            f,
            cols,
            force,
            p ->
                console.println(
                    String.format(
                        Locale.ROOT,
                        "%,d of %,d events (%.0f%%), %,.0f events/s",
                        p.events(),
                        p.total(),
                        p.percent(),
                        p.eventsPerSecond())));
    double secs = s.millis() / 1000.0;
    return String.format(
        Locale.ROOT,
        "Exported %,d events to %s (%s): %,d bytes in %.1f s, %,.0f events/s",
        s.events(),
        s.file(),
        f.label(),
        s.bytes(),
        secs,
        s.eventsPerSecond());
  }
}
