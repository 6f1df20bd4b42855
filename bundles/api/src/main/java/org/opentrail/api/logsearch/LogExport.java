package org.opentrail.api.logsearch;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes every event matching a search of a logstore (as {@link LogSearch#scan}) to a file on this
 * machine, streamed: memory use does not grow with the number of events.
 *
 * <p>The file is written under a temporary name in the same directory, owner-only (0600), and
 * renamed to its final name only when complete: a failed or cancelled export leaves no file under
 * the final name. Cancel an export by interrupting the thread running it.
 *
 * <p>Errors are {@link org.opentrail.api.OpenTrailException}s: those of {@link LogSearch} ({@code
 * InvalidQuery}, {@code LogStoreNotExist}, ...); {@code InvalidParameter} (400) for a path whose
 * directory does not exist or is not writable, or unknown columns; {@code FileAlreadyExists} (409)
 * for an existing file without {@code overwrite}; {@code ExportFailed} (500) when writing fails (a
 * full disk: the message says so); {@code ExportCancelled} (499) when interrupted.
 */
@ProviderType
public interface LogExport {
  /**
   * CSV columns when none are given: nested keys by dots, as the history stores them ({@code
   * userIdentity.userName}).
   */
  List<String> DEFAULT_COLUMNS =
      List.of(
          "eventTime",
          "eventName",
          "eventRW",
          "serviceName",
          "userIdentity.userName",
          "userIdentity.accessKeyId",
          "sourceIpAddress",
          "resourceType",
          "resourceName",
          "errorCode",
          "eventId");

  /** File formats. */
  enum Format {
    /** One event's JSON per line (UTF-8, {@code \n}), gzip-compressed at the fastest level. */
    JSONL_GZ("jsonl.gz"),
    /**
     * RFC 4180 CSV (UTF-8, CRLF, a header row); cells starting with {@code = + - @}, tab or CR are
     * prefixed with a single quote against CSV injection (OWASP, "CSV Injection").
     */
    CSV("csv");

    private final String label;

    Format(String label) {
      this.label = label;
    }

    /** As the shell names it: {@code jsonl.gz} or {@code csv}. */
    public String label() {
      return label;
    }

    /** The format named {@code jsonl.gz} (or {@code jsonl}) or {@code csv}, in any case. */
    public static Format parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "jsonl.gz", "jsonl", "json" -> JSONL_GZ;
        case "csv" -> CSV;
        default ->
            throw new org.opentrail.api.InvalidParameterException(
                "Format", "The format must be jsonl.gz or csv, not '" + name + "'.");
      };
    }
  }

  /**
   * How an export is going, or how it ended.
   *
   * @param file the final file, or {@code null} for {@link #write a stream}
   * @param events events written so far
   * @param total events matching when the export started
   * @param bytes bytes written to the file so far (compressed for {@code jsonl.gz})
   * @param millis milliseconds since the export started
   */
  record Status(Path file, long events, long total, long bytes, long millis) {
    /** Percent of {@code total} written, 100 when nothing matches. */
    public double percent() {
      return total == 0 ? 100.0 : 100.0 * events / total;
    }

    /** Events written per second so far. */
    public double eventsPerSecond() {
      return millis == 0 ? 0 : events * 1000.0 / millis;
    }
  }

  /**
   * Exports the events of {@code logstore} with eventTime in {@code [from, to)} matching {@code
   * query}, in sequence (oldest-first) order, to {@code file}.
   *
   * @param columns CSV columns (field names, nested keys by dots); {@code null} or empty for {@link
   *     #DEFAULT_COLUMNS}; ignored for {@code jsonl.gz}
   * @param overwrite replace an existing file
   * @param progress told about every second, from the exporting thread; may be {@code null}
   * @return the final status
   */
  Status export(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      Path file,
      Format format,
      List<String> columns,
      boolean overwrite,
      Consumer<Status> progress);

  /**
   * Writes the same content {@link #export} writes to a file, in the same format and order, to
   * {@code out} instead (an HTTP response, for example), streamed: memory use does not grow with
   * the number of events. {@code out} is flushed, never closed.
   *
   * <p>{@code progress} is told once with {@code events} 0 and the {@code total} before the first
   * byte is written: an exception thrown before that call means nothing was written (a bad query,
   * an unknown logstore, bad columns), one thrown after it that the output is incomplete. Then it
   * is told about every second, as for {@link #export}.
   *
   * @param progress not {@code null}
   * @return the final status ({@code file} is {@code null})
   * @throws org.opentrail.api.OpenTrailException as {@link #export}; {@code ExportFailed} (500)
   *     when {@code out} fails (e.g. the client went away), {@code ExportCancelled} (499) when
   *     interrupted
   */
  Status write(
      String accountId,
      String logstore,
      Instant from,
      Instant to,
      String query,
      OutputStream out,
      Format format,
      List<String> columns,
      Consumer<Status> progress);
}
