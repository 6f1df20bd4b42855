package org.opentrail.sink.opensearch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Index names by OpenSearch's rules (the same as Elasticsearch's, {@code MetadataCreateIndexService
 * .validateIndexOrAliasName}): lower case; none of {@code \ / * ? " < > | , # :} nor a space; not
 * starting with {@code _ - +}; not {@code .} or {@code ..}; at most 255 bytes in UTF-8.
 */
final class IndexNames {
  private static final Pattern FORBIDDEN = Pattern.compile("[\\\\/*?\"<>| ,#:]");

  /**
   * Date suffix patterns: year, month, day and hour fields with {@code .}, {@code -}, {@code _}.
   */
  private static final Pattern SUFFIX = Pattern.compile("[yMdH._-]{1,32}");

  private IndexNames() {}

  /** The default index of a trail: {@code actiontrail_<trail>}, as ActionTrail names a logstore. */
  static String defaultIndex(String trail) {
    return "actiontrail_" + trail;
  }

  /** Why {@code name} is not a valid index name, or {@code null} if it is. */
  static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "it is empty";
    }
    if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
      return "'" + name + "' has upper-case letters; index names are lower case";
    }
    if (FORBIDDEN.matcher(name).find()) {
      return "'" + name + "' contains one of \\ / * ? \" < > | , # : or a space";
    }
    if (name.startsWith("_") || name.startsWith("-") || name.startsWith("+")) {
      return "'" + name + "' starts with _, - or +";
    }
    if (name.equals(".") || name.equals("..")) {
      return "'" + name + "' is not a name";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
      return "'" + name + "' is longer than 255 bytes";
    }
    return null;
  }

  /**
   * A date suffix formatter (UTC) for a pattern such as {@code yyyy.MM.dd}.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  static DateTimeFormatter suffix(String pattern) {
    if (!SUFFIX.matcher(pattern).matches() || !pattern.contains("y")) {
      throw new IllegalArgumentException(
          "'"
              + pattern
              + "' is not a date pattern of y, M, d and H with '.', '-' or '_' (e.g. yyyy.MM.dd)");
    }
    return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
  }

  /** The index an event of {@code timeMillis} goes to: base, or base-suffix when dated. */
  static String index(String base, DateTimeFormatter suffix, long timeMillis) {
    return suffix == null ? base : base + "-" + suffix.format(Instant.ofEpochMilli(timeMillis));
  }
}
