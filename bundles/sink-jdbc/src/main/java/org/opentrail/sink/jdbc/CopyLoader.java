package org.opentrail.sink.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL's bulk path: pgjdbc's {@link CopyManager} streams the rows (COPY text format) straight
 * into the table; only a batch that holds an event the table has already (a redelivery) goes into a
 * temporary staging table of the session, from which one {@code INSERT ... SELECT ... ON CONFLICT
 * (recipient_account_id, event_id) DO NOTHING} moves the new ones into the table, in the caller's
 * transaction; the staging table empties itself at commit or rollback ({@code ON COMMIT DELETE
 * ROWS}). Loaded only on a pgjdbc connection (this bundle imports {@code org.postgresql}
 * dynamically).
 */
final class CopyLoader implements Loader {
  private static final String STAGE = "opentrail_stage";
  private static final int CHUNK_CHARS = 256 * 1024;

  private static final String UNIQUE_VIOLATION = "23505";

  private final CopyManager copy;
  private final String insert;
  private final String direct;

  CopyLoader(Connection c, Destination d) throws SQLException {
    this.copy = c.unwrap(PGConnection.class).getCopyAPI();
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS "
              + STAGE
              + " (LIKE "
              + d.qualifiedTable()
              + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
    }
    c.commit();
    this.direct =
        "COPY " + d.qualifiedTable() + " (" + EventRow.COLUMN_LIST + ") FROM STDIN (FORMAT text)";
    this.insert =
        "INSERT INTO "
            + d.qualifiedTable()
            + " ("
            + EventRow.COLUMN_LIST
            + ") SELECT "
            + EventRow.COLUMN_LIST
            + " FROM pg_temp."
            + STAGE
            + " ON CONFLICT (recipient_account_id, event_id) DO NOTHING";
  }

  /**
   * Copies straight into the table, which writes each row once; a batch holding an event the table
   * already has (a redelivery, rare) fails on the primary key, is rolled back to a savepoint and
   * goes through the staging table instead.
   */
  @Override
  public int load(Connection c, List<EventRow> rows) throws SQLException {
    java.sql.Savepoint before = c.setSavepoint();
    try {
      copyInto(direct, rows);
      c.releaseSavepoint(before);
      return rows.size();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(before);
    }
    copyInto(
        "COPY pg_temp." + STAGE + " (" + EventRow.COLUMN_LIST + ") FROM STDIN (FORMAT text)", rows);
    try (PreparedStatement s = c.prepareStatement(insert)) {
      return s.executeUpdate();
    }
  }

  private void copyInto(String sql, List<EventRow> rows) throws SQLException {
    CopyIn in = copy.copyIn(sql);
    try {
      StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 4096);
      for (EventRow r : rows) {
        r.appendCopyText(chunk);
        if (chunk.length() >= CHUNK_CHARS) {
          write(in, chunk);
        }
      }
      write(in, chunk);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static void write(CopyIn in, StringBuilder chunk) throws SQLException {
    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(bytes, 0, bytes.length);
    chunk.setLength(0);
  }
}
