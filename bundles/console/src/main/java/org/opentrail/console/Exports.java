package org.opentrail.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports of the whole history result a page shows, through the {@link LogExport} service (so its
 * CSV cells are guarded against formula injection as that service does, OWASP "CSV Injection"):
 * started by a POST, written in the background to a private file, polled for progress, downloaded
 * once (streamed from the file, never held in memory) and then removed. One export at a time per
 * session; a file not downloaded within an hour is removed, and so is every file when the console
 * starts or stops (no export outlives the console's memory of it).
 */
final class Exports {
  private static final Logger LOG = LoggerFactory.getLogger(Exports.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.util.regex.Pattern FILE_NAME =
      java.util.regex.Pattern.compile("[0-9a-f]{32}\\.(csv|jsonl\\.gz)");

  /** One export. */
  private static final class Job {
    final String session;
    final Path file;
    final String format;
    final Instant started = Instant.now();
    volatile LogExport.Status status;
    volatile OpenTrailException error;
    volatile boolean done;

    Job(String session, Path file, String format) {
      this.session = session;
      this.file = file;
      this.format = format;
    }
  }

  private final Supplier<LogExport> export;
  private final Access access;
  private final ConsoleAudit audit;
  private final Path dir;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "opentrail-console-export");
            t.setDaemon(true);
            return t;
          });

  Exports(Supplier<LogExport> export, Access access, ConsoleAudit audit, Path dir) {
    this.export = export;
    this.access = access;
    this.audit = audit;
    this.dir = dir;
    removeFiles();
  }

  /** Starts an export of the filters in the form field {@code filters}; answers its id. */
  void start(Call c) throws IOException {
    access.authorize(c, "LookupEvents", false, null, null);
    LogExport ex = export.get();
    if (ex == null) {
      throw new OpenTrailException(
          "ServiceUnavailable", "Exports need the logsearch feature, which is not installed.", 503);
    }
    String format = "csv".equals(c.param("format")) ? "csv" : "jsonl";
    Map<String, String> params = parseQuery(c.param("filters"));
    Filters f = Filters.parse(params::get, Instant.now());
    String search = f.search();
    expire();
    for (Job j : jobs.values()) {
      if (j.session.equals(c.session.id()) && !j.done) {
        throw new OpenTrailException(
            "ExportRunning",
            "An export of this session is still running; wait for it to end.",
            409);
      }
    }
    String id = random();
    Files.createDirectories(dir);
    Path file = dir.resolve(id + (format.equals("csv") ? ".csv" : ".jsonl.gz"));
    Job job = new Job(c.session.id(), file, format);
    jobs.put(id, job);
    String account = c.account();
    Map<String, Object> asked = new LinkedHashMap<>();
    asked.put("Export", format);
    asked.put("Query", search);
    audit.operation(c.principal(), "LookupEvents", false, null, null, asked, c.origin, null);
    pool.execute(
        () -> {
          try {
            job.status =
                ex.export(
                    account,
                    EventStore.HISTORY,
                    f.start,
                    f.end,
                    search,
                    file,
                    format.equals("csv") ? LogExport.Format.CSV : LogExport.Format.JSONL_GZ,
                    null,
                    false,
                    s -> job.status = s);
          } catch (OpenTrailException e) {
            job.error = e;
          } catch (RuntimeException e) {
            LOG.error("Console export {} failed", id, e);
            job.error = new OpenTrailException("ExportFailed", "The export failed.", 500);
          } finally {
            job.done = true;
          }
        });
    c.json(200, Map.of("ExportId", id));
  }

  /** How an export is going: events, total, percent, done, and its error if it failed. */
  void status(Call c) throws IOException {
    Job j = own(c);
    Map<String, Object> m = new LinkedHashMap<>();
    LogExport.Status s = j.status;
    m.put("Events", s == null ? 0 : s.events());
    m.put("Total", s == null ? 0 : s.total());
    m.put("Percent", s == null ? 0 : (int) Math.floor(s.percent()));
    m.put("Done", j.done);
    if (j.error != null) {
      m.put("Code", j.error.code());
      m.put("Message", j.error.getMessage());
    }
    c.json(200, m);
  }

  /** The finished file, once; removed after. */
  void download(Call c) throws IOException {
    Job j = own(c);
    if (!j.done || j.error != null || !Files.exists(j.file)) {
      throw new OpenTrailException("ExportNotReady", "This export is not ready to download.", 409);
    }
    jobs.values().remove(j);
    boolean csv = j.format.equals("csv");
    c.resp.setContentType(csv ? "text/csv;charset=utf-8" : "application/gzip");
    c.resp.setHeader(
        "Content-Disposition",
        "attachment; filename=\"opentrail-events." + (csv ? "csv" : "jsonl.gz") + "\"");
    c.resp.setContentLengthLong(Files.size(j.file));
    try (InputStream in = Files.newInputStream(j.file);
        OutputStream out = c.resp.getOutputStream()) {
      in.transferTo(out);
    } finally {
      Files.deleteIfExists(j.file);
    }
  }

  void close() {
    pool.shutdownNow();
    jobs.clear();
    removeFiles();
  }

  /**
   * Removes every export file (named as {@link #start} names them; nothing else in the directory,
   * which the operator may choose): those of a console that stopped are nobody's to download.
   */
  private void removeFiles() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (FILE_NAME.matcher(f.getFileName().toString()).matches()) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not remove the exports left in {}: {}", dir, e.toString());
    }
  }

  private Job own(Call c) {
    String id = c.value("id");
    Job j = id == null ? null : jobs.get(id);
    if (j == null || !j.session.equals(c.session.id())) {
      throw new OpenTrailException(
          "ExportNotFound", "There is no such export of this session.", 404);
    }
    return j;
  }

  private void expire() {
    Instant limit = Instant.now().minusSeconds(3600);
    jobs.entrySet()
        .removeIf(
            e -> {
              if (e.getValue().done && e.getValue().started.isBefore(limit)) {
                try {
                  Files.deleteIfExists(e.getValue().file);
                } catch (IOException x) {
                  LOG.warn(
                      "Could not remove the old export {}: {}", e.getValue().file, x.toString());
                }
                return true;
              }
              return false;
            });
  }

  /** The parameters of a query string ({@code a=1&b=2}, URL-encoded). */
  static Map<String, String> parseQuery(String q) {
    Map<String, String> m = new HashMap<>();
    if (q == null) {
      return m;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  private static String random() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }
}
