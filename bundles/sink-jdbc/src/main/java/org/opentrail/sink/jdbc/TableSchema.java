package org.opentrail.sink.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination table: created if missing, with the columns of {@link EventRow}, {@code event_id}
 * as primary key (so a redelivered event is ignored) and indexes on {@code event_time} and {@code
 * event_name}. PostgreSQL gets {@code text}, {@code timestamptz} and {@code jsonb}; other databases
 * {@code VARCHAR}, {@code TIMESTAMP WITH TIME ZONE} and a large text type for the JSON.
 */
final class TableSchema {
  /**
   * An event's identity, as the store's: eventIds are unique per account, and a table may hold
   * several accounts' events (delivery through a role), so one account's eventIds never hide
   * another's events.
   */
  static final String PRIMARY_KEY = "PRIMARY KEY (recipient_account_id, event_id)";

  private static final Logger LOG = LoggerFactory.getLogger(TableSchema.class);

  private TableSchema() {}

  /**
   * Makes sure the table exists and this user may insert into it.
   *
   * @throws SQLException with SQLState 3F000 for a missing schema, 42501 for a missing permission
   *     (as the database reports them), or what the database reported
   */
  static void ensure(Connection c, Destination d) throws SQLException {
    if (d.postgres()) {
      ensurePostgres(c, d);
    } else {
      ensureGeneric(c, d);
    }
    c.commit();
  }

  private static void ensurePostgres(Connection c, Destination d) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
      s.setString(1, d.schema());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("schema " + d.schema() + " does not exist", "3F000");
        }
      }
    }
    if (!exists(c, "SELECT to_regclass(?) IS NOT NULL", d.qualifiedTable())) {
      String t = d.qualifiedTable();
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + t
                + " (event_id text NOT NULL, "
                + columns("text")
                + "event_time timestamptz NOT NULL, event jsonb NOT NULL, "
                + PRIMARY_KEY
                + ")");
        s.execute(index(d, "_event_time_idx", "event_time", true));
        s.execute(index(d, "_event_name_idx", "event_name", true));
      }
      LOG.info("Created table {}", d.resource());
    }
    if (!exists(c, "SELECT has_table_privilege(?, 'INSERT')", d.qualifiedTable())) {
      throw new SQLException("no INSERT privilege on " + d.qualifiedTable(), "42501");
    }
  }

  private static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static void ensureGeneric(Connection c, Destination d) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    try (ResultSet rs = md.getTables(null, d.schema(), d.table(), null)) {
      if (rs.next()) {
        return;
      }
    }
    String product = md.getDatabaseProductName().toLowerCase(Locale.ROOT);
    String big =
        product.contains("mysql") || product.contains("mariadb")
            ? "LONGTEXT"
            : product.contains("sql server") ? "NVARCHAR(MAX)" : "CLOB";
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + d.qualifiedTable()
              + " (event_id VARCHAR(128) NOT NULL, "
              + columns("VARCHAR(1024)")
              + "event_time TIMESTAMP WITH TIME ZONE NOT NULL, event "
              + big
              + " NOT NULL, "
              + PRIMARY_KEY
              + ")");
      s.execute(index(d, "_event_time_idx", "event_time", false));
      s.execute(index(d, "_event_name_idx", "event_name", false));
    }
    LOG.info("Created table {} ({})", d.resource(), md.getDatabaseProductName());
  }

  private static String columns(String type) {
    StringBuilder b = new StringBuilder();
    for (String col : EventRow.TEXT_COLUMNS.subList(1, EventRow.TEXT_COLUMNS.size())) {
      b.append(col).append(' ').append(type);
      b.append(col.equals("recipient_account_id") ? " NOT NULL, " : ", ");
    }
    return b.toString();
  }

  private static String index(Destination d, String suffix, String column, boolean ifNotExists) {
    return "CREATE INDEX "
        + (ifNotExists ? "IF NOT EXISTS " : "")
        + Identifiers.quote(Identifiers.indexName(d.table(), suffix))
        + " ON "
        + d.qualifiedTable()
        + " ("
        + column
        + ")";
  }
}
