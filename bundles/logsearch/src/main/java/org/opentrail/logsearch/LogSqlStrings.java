package org.opentrail.logsearch;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Log Service's string and URL functions that Calcite's standard library lacks by these names
 * (Simple Log Service, "String functions" and "URL functions", which follow Presto's): positions
 * are 1-based and count characters (Unicode code points); a NULL argument makes NULL. A string
 * built here is refused ({@code InvalidQuery}) before it grows past {@link
 * LogSqlFunctions#MAX_TEXT}, as {@code ||} is.
 *
 * <ul>
 *   <li>{@code substr(s, start[, length])}: from {@code start} (negative: counted from the end),
 *       {@code ''} when start is 0 or outside, or length is not positive
 *   <li>{@code strpos(s, sub)}: the position of the first {@code sub}, 0 if none
 *   <li>{@code split_part(s, delimiter, index)}: the index-th field, NULL past the last; an index
 *       below 1 is {@code InvalidQuery}
 *   <li>{@code length(s)}, {@code reverse(s)}
 *   <li>{@code lpad(s, size, pad)}, {@code rpad(s, size, pad)}: {@code s} padded (or cut) to {@code
 *       size} characters; a negative size or empty pad is {@code InvalidQuery}
 *   <li>{@code url_extract_host/path/port/protocol/query(url)}, {@code url_extract_parameter(url,
 *       name)} (the first value, as written): NULL when the URL cannot be parsed (java.net.URI)
 * </ul>
 */
public final class LogSqlStrings {
  private LogSqlStrings() {}

  /** {@code substr(s, start)}: from {@code start} to the end. */
  public static String substrFrom(String s, Long start) {
    if (s == null || start == null) {
      return null;
    }
    return substr(s, start, (long) Integer.MAX_VALUE);
  }

  /** {@code substr(s, start, length)} as Presto's: see the class comment. */
  public static String substr(String s, Long start, Long length) {
    if (s == null || start == null || length == null) {
      return null;
    }
    int count = s.codePointCount(0, s.length());
    if (start == 0 || length <= 0 || count == 0) {
      return "";
    }
    long first = start > 0 ? start - 1 : count + start;
    if (first < 0 || first >= count) {
      return "";
    }
    long last = length >= count - first ? count : first + length; // first + length may overflow
    int from = s.offsetByCodePoints(0, (int) first);
    return s.substring(from, s.offsetByCodePoints(from, (int) (last - first)));
  }

  /** {@code strpos(s, sub)}: 1-based position of the first {@code sub}, 0 if none. */
  public static Long strpos(String s, String sub) {
    if (s == null || sub == null) {
      return null;
    }
    int at = s.indexOf(sub);
    return at < 0 ? 0L : s.codePointCount(0, at) + 1L;
  }

  /** {@code split_part(s, delimiter, index)}: the index-th (1-based) field, NULL past the last. */
  public static String splitPart(String s, String delimiter, Long index) {
    if (s == null || delimiter == null || index == null) {
      return null;
    }
    if (index < 1) {
      throw LogSqlFunctions.invalid(
          "split_part takes an index from 1 (the first field), not " + index + ".");
    }
    if (delimiter.isEmpty()) {
      int count = s.codePointCount(0, s.length());
      return index > count ? null : substr(s, index, 1L);
    }
    int from = 0;
    for (long i = 1; i < index; i++) {
      int at = s.indexOf(delimiter, from);
      if (at < 0) {
        return null;
      }
      from = at + delimiter.length();
    }
    int end = s.indexOf(delimiter, from);
    return s.substring(from, end < 0 ? s.length() : end);
  }

  /** {@code length(s)} in characters (code points). */
  public static Long length(String s) {
    return s == null ? null : (long) s.codePointCount(0, s.length());
  }

  /** {@code reverse(s)}, character by character (a surrogate pair stays one character). */
  public static String reverse(String s) {
    return s == null ? null : new StringBuilder(s).reverse().toString();
  }

  /** {@code lpad(s, size, pad)}: see the class comment. */
  public static String lpad(String s, Long size, String pad) {
    return pad(s, size, pad, true);
  }

  /** {@code rpad(s, size, pad)}: see the class comment. */
  public static String rpad(String s, Long size, String pad) {
    return pad(s, size, pad, false);
  }

  private static String pad(String s, Long size, String pad, boolean left) {
    if (s == null || size == null || pad == null) {
      return null;
    }
    String name = left ? "lpad" : "rpad";
    if (size < 0) {
      throw LogSqlFunctions.invalid(name + " needs a size of 0 or more, not " + size + ".");
    }
    if (pad.isEmpty()) {
      throw LogSqlFunctions.invalid(name + " needs a padding string that is not empty.");
    }
    if (size > LogSqlFunctions.MAX_TEXT) {
      throw LogSqlFunctions.tooLong(name);
    }
    int count = s.codePointCount(0, s.length());
    if (count >= size) {
      return substr(s, 1L, size);
    }
    int[] padding = pad.codePoints().toArray();
    StringBuilder fill = new StringBuilder();
    for (int i = 0; i < size - count; i++) {
      fill.appendCodePoint(padding[i % padding.length]);
    }
    return left ? fill + s : s + fill;
  }

  /** {@code url_extract_host(url)}: the host, NULL if none or not a URL. */
  public static String urlExtractHost(String url) {
    URI u = uri(url);
    return u == null ? null : u.getHost();
  }

  /** {@code url_extract_path(url)}: the path as written (percent-encoded), NULL if not a URL. */
  public static String urlExtractPath(String url) {
    URI u = uri(url);
    return u == null ? null : u.getRawPath();
  }

  /** {@code url_extract_port(url)}: the port, NULL if none is written. */
  public static Long urlExtractPort(String url) {
    URI u = uri(url);
    return u == null || u.getPort() < 0 ? null : (long) u.getPort();
  }

  /** {@code url_extract_protocol(url)}: the scheme ({@code https}), NULL if none. */
  public static String urlExtractProtocol(String url) {
    URI u = uri(url);
    return u == null ? null : u.getScheme();
  }

  /** {@code url_extract_query(url)}: the query after {@code ?} as written, NULL if none. */
  public static String urlExtractQuery(String url) {
    URI u = uri(url);
    return u == null ? null : u.getRawQuery();
  }

  /** {@code url_extract_parameter(url, name)}: the first value of {@code name}, as written. */
  public static String urlExtractParameter(String url, String name) {
    URI u = uri(url);
    if (u == null || name == null || u.getRawQuery() == null) {
      return null;
    }
    for (String pair : u.getRawQuery().split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : pair.substring(eq + 1);
      }
    }
    return null;
  }

  private static URI uri(String url) {
    if (url == null) {
      return null;
    }
    try {
      return new URI(url.strip());
    } catch (URISyntaxException notAUrl) {
      return null;
    }
  }
}
