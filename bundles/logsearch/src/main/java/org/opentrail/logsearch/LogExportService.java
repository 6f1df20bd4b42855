package org.opentrail.logsearch;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.internal.durable.DurableFiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogExport} over {@link LogSearch#scan}, one writer for files and streams: each chunk of
 * events is written and dropped, so memory holds one chunk and the output buffers whatever the
 * number of events. The file is written as {@code .<name>.<random>.part} next to the final one
 * (0600), forced to disk, then linked to its final name (which fails if a file appeared there
 * meanwhile) or, with {@code overwrite}, renamed over it.
 */
@Component(service = LogExport.class)
public final class LogExportService implements LogExport {
  private static final Logger LOG = LoggerFactory.getLogger(LogExportService.class);
  private static final byte[] CRLF = {'\r', '\n'};

  private final LogSearch search;
  private final long progressMillis;

  @Activate
  public LogExportService(@Reference LogSearch search) {
    this(search, 1000);
  }

  /** An export service telling progress every {@code progressMillis} (0: after every chunk). */
  public LogExportService(LogSearch search, long progressMillis) {
    this.search = search;
    this.progressMillis = progressMillis;
  }

  @Override
  public Status export(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      Path file,
      Format format,
      List<String> columns,
      boolean overwrite,
      Consumer<Status> progress) {
    if (file == null) {
      throw InvalidParameterException.missing("File");
    }
    if (format == null) {
      throw InvalidParameterException.missing("Format");
    }
    Path target = file.toAbsolutePath().normalize();
    List<String> cols = columns(columns);
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidParameterException(
          "File", "The directory of " + target + " does not exist or is not a directory.");
    }
    if (Files.isDirectory(target)) {
      throw new InvalidParameterException("File", target + " is a directory; give a file name.");
    }
    if (!overwrite && Files.exists(target)) {
      throw alreadyExists(target);
    }
    Path temp =
        dir.resolve(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".part");
    long start = System.nanoTime();
    long[] bytes = {0};
    long[] written = {0};
    long[] totalSeen = {0};
    boolean done = false;
    FileChannel channel;
    try {
      channel =
          DurableFiles.openPrivate(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (AccessDeniedException e) {
      throw new InvalidParameterException("File", "No permission to write in " + dir + ".");
    } catch (IOException e) {
      throw failed(target, e);
    }
    try {
      Status w =
          stream(
              accountId,
              logstore,
              from,
              to,
              query,
              Channels.newOutputStream(channel),
              format,
              cols,
              target,
              progress);
      written[0] = w.events();
      totalSeen[0] = w.total();
      bytes[0] = w.bytes();
      channel.force(true);
      channel.close();
      publish(temp, target, overwrite);
      done = true;
      Status s = status(target, written[0], totalSeen[0], bytes[0], start);
      LOG.info(
          "Exported {} events of logstore {} (account {}) to {} as {}: {} bytes in {} ms",
          s.events(),
          logstore,
          accountId,
          target,
          format.label(),
          s.bytes(),
          s.millis());
      return s;
    } catch (IOException e) {
      if (e instanceof java.nio.channels.ClosedByInterruptException
          || Thread.currentThread().isInterrupted()) {
        throw new OpenTrailException(
            "ExportCancelled",
            "The export to " + target + " was cancelled after " + written[0] + " events.",
            499);
      }
      throw failed(target, e);
    } finally {
      if (!done) {
        try {
          channel.close();
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          LOG.warn("Could not delete the partial export {}: {}", temp, e.toString());
        }
      }
    }
  }

  @Override
  public Status write(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      OutputStream out,
      Format format,
      List<String> columns,
      Consumer<Status> progress) {
    if (out == null || progress == null) {
      throw new IllegalArgumentException("write needs an output stream and a progress consumer");
    }
    if (format == null) {
      throw InvalidParameterException.missing("Format");
    }
    List<String> cols = columns(columns);
    try {
      return stream(accountId, logstore, from, to, query, out, format, cols, null, progress);
    } catch (IOException e) {
      if (e instanceof java.io.InterruptedIOException || Thread.currentThread().isInterrupted()) {
        throw new OpenTrailException("ExportCancelled", "The export was cancelled.", 499);
      }
      throw new OpenTrailException(
          "ExportFailed",
          "The export stream failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()),
          500,
          e);
    }
  }

  /** The columns of a CSV export: {@code columns}, or the default ones; each checked. */
  private static List<String> columns(List<String> columns) {
    List<String> cols = columns == null || columns.isEmpty() ? DEFAULT_COLUMNS : columns;
    for (String c : cols) {
      if (c == null || c.isBlank() || c.startsWith(".") || c.endsWith(".")) {
        throw new InvalidParameterException(
            "Columns", "A column is a field name, nested keys by dots, not '" + c + "'.");
      }
    }
    return cols;
  }

  /**
   * The one writer of both a file export and a stream: scans the matches and writes them to {@code
   * sink} (flushed, not closed) in {@code format}. {@code progress} is told first, with 0 events
   * and the total, before any byte reaches {@code sink} (the formatting buffers hold the gzip
   * header until the first chunk), then about every {@code progressMillis}.
   *
   * @param file the file named in the statuses, or {@code null} for a stream
   */
  private Status stream(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      OutputStream sink,
      Format format,
      List<String> cols,
      Path file,
      Consumer<Status> progress)
      throws IOException {
    long start = System.nanoTime();
    long[] bytes = {0};
    long[] written = {0};
    long[] totalSeen = {0};
    boolean[] started = {false};
    OutputStream counted =
        new FilterOutputStream(sink) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes[0] += len;
          }

          @Override
          public void write(int b) throws IOException {
            out.write(b);
            bytes[0]++;
          }

          @Override
          public void close() throws IOException {
            flush(); // the sink belongs to the caller
          }
        };
    try (OutputStream out =
        format == Format.JSONL_GZ
            ? fastGzip(new BufferedOutputStream(counted, 1 << 16))
            : new BufferedOutputStream(counted, 1 << 16)) {
      long[] lastTold = {start};
      String[] row = new String[cols.size()];
      IOException[] failure = {null};
      search.scan(
          accountId,
          logstore,
          from,
          to,
          query,
          (chunk, n, total) -> {
            totalSeen[0] = total;
            try {
              if (!started[0]) {
                started[0] = true;
                if (file == null) { // a stream: told before its first byte
                  progress.accept(status(file, 0, total, 0, start));
                }
                if (format == Format.CSV) {
                  writeRow(out, cols);
                }
              }
              for (StoredEvent e : chunk) {
                if (format == Format.CSV) {
                  for (int i = 0; i < row.length; i++) {
                    row[i] = cell(e.event().fields(), cols.get(i));
                  }
                  writeRow(out, java.util.Arrays.asList(row));
                } else {
                  out.write(e.event().toJson());
                  out.write('\n');
                }
              }
            } catch (IOException ex) {
              failure[0] = ex;
              return false;
            }
            written[0] = n;
            long now = System.nanoTime();
            if (progress != null && (now - lastTold[0]) / 1_000_000 >= progressMillis) {
              lastTold[0] = now;
              progress.accept(status(file, written[0], total, bytes[0], start));
            }
            return !Thread.currentThread().isInterrupted();
          });
      if (failure[0] != null) {
        throw failure[0];
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new OpenTrailException(
            "ExportCancelled",
            "The export"
                + (file == null ? "" : " to " + file)
                + " was cancelled after "
                + written[0]
                + " events.",
            499);
      }
      if (!started[0]) {
        started[0] = true;
        if (file == null) {
          progress.accept(status(file, 0, 0, 0, start));
        }
        if (format == Format.CSV) {
          writeRow(out, cols);
        }
      }
    }
    return status(file, written[0], totalSeen[0], bytes[0], start);
  }

  /**
   * Gzip at the fastest deflate level (1): default level 6 made compression the bottleneck of an
   * export (about 64k events/s on 2 vCPUs, see docs/PERFORMANCE.md).
   */
  private static GZIPOutputStream fastGzip(OutputStream out) throws IOException {
    return new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
      }
    };
  }

  private static Status status(Path file, long events, long total, long bytes, long start) {
    return new Status(file, events, total, bytes, (System.nanoTime() - start) / 1_000_000);
  }

  /** Gives the complete temporary file its final name; without overwrite never replaces one. */
  private static void publish(Path temp, Path target, boolean overwrite) throws IOException {
    if (overwrite) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      try {
        Files.createLink(target, temp); // fails if the name was taken meanwhile
        Files.delete(temp);
      } catch (FileAlreadyExistsException e) {
        throw alreadyExists(target);
      } catch (UnsupportedOperationException | IOException e) {
        if (Files.exists(target)) {
          throw alreadyExists(target);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    DurableFiles.syncDirectory(target.getParent());
  }

  private static OpenTrailException alreadyExists(Path target) {
    return new OpenTrailException(
        "FileAlreadyExists",
        "The file " + target + " already exists; choose another name or overwrite it (--force).",
        409);
  }

  private static OpenTrailException failed(Path target, IOException e) {
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    boolean full = why.contains("No space left");
    return new OpenTrailException(
        "ExportFailed",
        "The export to "
            + target
            + " failed"
            + (full ? " because the disk is full" : "")
            + ": "
            + why
            + "; no file was left under that name.",
        500,
        e);
  }

  /**
   * The value at {@code path} (nested keys by dots) of an event's fields, as a cell: strings as
   * they are, objects and arrays as JSON, absent or null as empty.
   */
  static String cell(Map<String, Object> fields, String path) {
    Object v = fields.get(path);
    if (v == null && path.indexOf('.') > 0) {
      Object at = fields;
      for (String key : path.split("\\.")) {
        if (!(at instanceof Map<?, ?> m)) {
          at = null;
          break;
        }
        at = m.get(key);
      }
      v = at;
    }
    if (v == null) {
      return "";
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      return EventJson.toString(v);
    }
    return String.valueOf(v);
  }

  /**
   * One CSV record (RFC 4180): cells joined by commas, ended by CRLF; a cell holding a comma,
   * double quote, CR or LF is quoted with its quotes doubled. A cell starting with {@code =},
   * {@code +}, {@code -}, {@code @}, tab or CR is first prefixed with a single quote, so
   * spreadsheets do not evaluate it as a formula (OWASP, "CSV Injection").
   */
  static void writeRow(OutputStream out, List<String> cells) throws IOException {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(csvCell(cells.get(i)).getBytes(StandardCharsets.UTF_8));
    }
    out.write(CRLF);
  }

  static String csvCell(String value) {
    String v = value;
    if (!v.isEmpty()) {
      char c = v.charAt(0);
      if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
        v = "'" + v;
      }
    }
    boolean quote = false;
    for (int i = 0; i < v.length() && !quote; i++) {
      char c = v.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }
}
