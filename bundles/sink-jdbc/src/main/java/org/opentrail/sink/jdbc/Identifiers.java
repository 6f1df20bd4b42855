package org.opentrail.sink.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;

/**
 * Schema and table names. Only lower-case letters, digits, {@code _} and {@code -}, starting with a
 * letter or {@code _}, at most 63 characters (PostgreSQL's identifier limit, NAMEDATALEN - 1), so
 * that a name can never close its quotes and means the same quoted or folded to lower case (except
 * for {@code -}, which trail names carry and SQL accepts only quoted). Always quoted in SQL.
 */
final class Identifiers {
  static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,62}");

  private Identifiers() {}

  /**
   * Checks {@code name} for key {@code key}.
   *
   * @throws InvalidParameterException naming {@code key}, saying what a name may be
   */
  static String check(String key, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidParameterException(
          key,
          "The jdbc sink's "
              + key
              + " must be 1 to 63 lower-case letters, digits, '_' and '-', starting with a letter or '_'; '"
              + (name == null ? "" : name)
              + "' is not.");
    }
    return name;
  }

  /** {@code name} in double quotes (ANSI SQL; valid names hold no quote). */
  static String quote(String name) {
    return '"' + name + '"';
  }

  /**
   * An index name for {@code table} with {@code suffix}, at most 63 characters: the table name and
   * the suffix when they fit, else a shortened table name and 8 hex digits of its SHA-256.
   */
  static String indexName(String table, String suffix) {
    String name = table + suffix;
    if (name.length() <= 63) {
      return name;
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(table.getBytes(StandardCharsets.UTF_8));
      String tag = "_" + HexFormat.of().formatHex(h, 0, 4);
      return table.substring(0, 63 - suffix.length() - tag.length()) + tag + suffix;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
