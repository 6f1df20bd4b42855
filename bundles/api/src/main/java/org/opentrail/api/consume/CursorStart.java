package org.opentrail.api.consume;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.opentrail.api.InvalidParameterException;

/**
 * Where a new cursor points, as Log Service's GetCursor {@code from} says it: {@code begin} (before
 * the oldest retained event), {@code end} (after the newest, so only new events are read), or a
 * time (before the first event whose eventTime is at or after it).
 *
 * @param kind which of the three
 * @param time the time for {@link Kind#TIME}, {@code null} otherwise
 */
public record CursorStart(Kind kind, Instant time) {
  /** The three places a cursor can start. */
  public enum Kind {
    BEGIN,
    END,
    TIME
  }

  public CursorStart {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.TIME) != (time != null)) {
      throw new IllegalArgumentException("a time is given exactly for Kind.TIME");
    }
  }

  /** Before the oldest retained event. */
  public static CursorStart begin() {
    return new CursorStart(Kind.BEGIN, null);
  }

  /** After the newest event. */
  public static CursorStart end() {
    return new CursorStart(Kind.END, null);
  }

  /** Before the first event at or after {@code time}. */
  public static CursorStart at(Instant time) {
    return new CursorStart(Kind.TIME, Objects.requireNonNull(time, "time"));
  }

  /**
   * Reads Log Service's {@code from}: {@code begin}, {@code end}, a Unix time in seconds (as Log
   * Service takes it), or an ISO-8601 instant ({@code 2026-11-30T12:00:00Z}).
   *
   * @throws InvalidParameterException {@code InvalidParameter} naming {@code From} for anything
   *     else
   */
  public static CursorStart parse(String from) {
    if (from == null || from.isBlank()) {
      throw InvalidParameterException.missing("From");
    }
    String f = from.trim();
    if (f.equalsIgnoreCase("begin")) {
      return begin();
    }
    if (f.equalsIgnoreCase("end")) {
      return end();
    }
    try {
      if (f.matches("\\d{1,12}")) {
        return at(Instant.ofEpochSecond(Long.parseLong(f)));
      }
      return at(Instant.parse(f));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidParameterException(
          "From",
          "The parameter From must be begin, end, a Unix time in seconds or an ISO-8601 time"
              + " such as 2026-11-30T12:00:00Z, not '"
              + from
              + "'.");
    }
  }
}
