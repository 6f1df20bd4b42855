package org.opentrail.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.logsearch.LogExport.Format;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ExportLogs}: every event of a logstore (or {@code history}) matching a search, as the
 * streamed file itself, written by the logsearch bundle's one export writer ({@link
 * LogExport#write}). Authorized as {@code actiontrail:ExportLogs} on {@code
 * acs:actiontrail:<region>:<account>:logstore/<LogStoreName>}.
 *
 * <p>Parameters: {@code LogStoreName} (required), {@code Query} (Log Service search, default {@code
 * *}), {@code StartTime} (default 24 hours before EndTime), {@code EndTime} (default now), {@code
 * FileFormat} ({@code jsonl.gz}, the default, or {@code csv}; not {@code Format}, which is the RPC
 * common parameter for the answer's format), {@code Columns} (CSV columns, comma-separated, nested
 * keys by dots).
 *
 * <p>The answer: status 200, {@code Content-Type: application/gzip} or {@code text/csv;
 * charset=utf-8}, {@code Content-Disposition: attachment; filename="<logstore>.<ext>"}, {@code
 * x-opentrail-matched-count: <events matching when the export started>}, chunked. Any error before
 * the first byte is the usual JSON error; an error after it aborts the chunked stream (no final
 * chunk), so a client sees a truncated transfer, never a file that looks complete.
 */
final class ExportOperations {
  private static final Logger LOG = LoggerFactory.getLogger(ExportOperations.class);
  static final String MATCHED_COUNT = "x-opentrail-matched-count";

  private final Supplier<LogExport> export;

  ExportOperations(Supplier<LogExport> export) {
    this.export = export;
  }

  List<Operation> operations() {
    return List.of(
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "ExportLogs")
            .parameters("LogStoreName", "Query", "StartTime", "EndTime", "FileFormat", "Columns")
            .resource("logstore", "LogStoreName", "ACS::SLS::LogStore")
            .handler(this::export));
  }

  private Map<String, Object> export(ApiRequest r) {
    LogExport e = export.get();
    if (e == null) {
      throw new OpenTrailException(
          "ServiceUnavailable",
          "ExportLogs needs the logsearch feature, which is not installed on this server.",
          503);
    }
    String logstore = r.required("LogStoreName");
    String query = r.optional("Query") == null ? "*" : r.optional("Query");
    if (query.length() > 4096) {
      throw new InvalidParameterException(
          "Query", "The parameter Query is at most 4096 characters, not " + query.length() + ".");
    }
    Instant end = Times.parse(r, "EndTime", Instant.now());
    Instant start = Times.parse(r, "StartTime", end.minus(Duration.ofDays(1)));
    if (!start.isBefore(end)) {
      throw new InvalidParameterException(
          "StartTime", "The parameter StartTime must be before EndTime.");
    }
    Format format =
        Format.parse(r.optional("FileFormat") == null ? "jsonl.gz" : r.optional("FileFormat"));
    List<String> columns =
        r.optional("Columns") == null
            ? null
            : Arrays.stream(r.optional("Columns").split(",")).map(String::strip).toList();
    if (columns != null && columns.size() > 200) {
      throw new InvalidParameterException(
          "Columns", "At most 200 columns, not " + columns.size() + ".");
    }
    StreamedAnswer answer =
        (response, started) -> {
          long[] total = {-1};
          OutputStream[] out = {null};
          try {
            e.write(
                r.account(),
                logstore,
                start,
                end,
                query,
                new LazyOutput(() -> out[0]),
                format,
                columns,
                s -> {
                  if (total[0] < 0) {
                    total[0] = s.total();
                    r.auditNote = "streaming " + s.total() + " matching events";
                    started.run();
                    response.setStatus(200);
                    response.setContentType(
                        format == Format.CSV ? "text/csv;charset=utf-8" : "application/gzip");
                    response.setHeader(
                        "Content-Disposition",
                        "attachment; filename=\""
                            + fileName(logstore)
                            + "."
                            + format.label()
                            + "\"");
                    response.setHeader(MATCHED_COUNT, Long.toString(s.total()));
                    response.setHeader("x-acs-request-id", r.requestId);
                    try {
                      out[0] = response.getOutputStream();
                    } catch (IOException io) {
                      throw new java.io.UncheckedIOException(io);
                    }
                  }
                });
            response.flushBuffer();
          } catch (RuntimeException | IOException ex) {
            if (total[0] < 0) {
              throw ex; // nothing sent yet: the usual JSON error
            }
            LOG.error(
                "ExportLogs {} of {} (account {}) failed after streaming started; the stream is"
                    + " aborted: {}",
                r.requestId,
                logstore,
                r.account(),
                ex.toString());
            throw new IOException("export aborted after streaming started", ex);
          }
        };
    return Map.of(StreamedAnswer.KEY, answer);
  }

  /** A file name from a logstore name: its letters, digits, - and _ only. */
  static String fileName(String logstore) {
    String s = logstore.replaceAll("[^A-Za-z0-9_-]", "_");
    return s.length() > 64 ? s.substring(0, 64) : s;
  }

  /** Writes to a stream that exists only once the answer has started (after the headers). */
  private static final class LazyOutput extends OutputStream {
    private final Supplier<OutputStream> target;

    LazyOutput(Supplier<OutputStream> target) {
      this.target = target;
    }

    private OutputStream out() throws IOException {
      OutputStream o = target.get();
      if (o == null) {
        throw new IOException("written to before the answer started");
      }
      return o;
    }

    @Override
    public void write(int b) throws IOException {
      out().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      OutputStream o = target.get();
      if (o != null) {
        o.flush();
      }
    }
  }

  /** An answer that is a stream rather than JSON; the servlet calls {@link #send}. */
  @FunctionalInterface
  interface StreamedAnswer {
    String KEY = "(streamed answer)";

    /**
     * Sends the answer; {@code started} is run once just before the first header is set (the audit
     * event is recorded then). An exception before that is answered as usual; after it, the servlet
     * lets the stream abort.
     */
    void send(HttpServletResponse response, Runnable started) throws IOException;
  }
}
