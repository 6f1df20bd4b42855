package org.opentrail.sink.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The portable path, for any JDBC driver: asks which of the batch's (account, event_id) keys the
 * table already holds (in chunks of {@value #LOOKUP_CHUNK}), then inserts the others with JDBC
 * batches of {@value #INSERT_CHUNK}, in the caller's transaction. Only one destination writes into
 * a table (the trail engine refuses two), so nothing inserts the same event_id between the two
 * steps; if something did, the primary key refuses it and the batch is retried.
 */
final class InsertLoader implements Loader {
  static final int LOOKUP_CHUNK = 500;
  static final int INSERT_CHUNK = 1000;

  private final Destination d;
  private final String insert;

  InsertLoader(Destination d) {
    this.d = d;
    int n = EventRow.TEXT_COLUMNS.size() + 1;
    this.insert =
        "INSERT INTO "
            + d.qualifiedTable()
            + " ("
            + EventRow.COLUMN_LIST
            + ") VALUES ("
            + "?, ".repeat(n)
            + (d.postgres() ? "CAST(? AS jsonb)" : "?")
            + ")";
  }

  @Override
  public int load(Connection c, List<EventRow> rows) throws SQLException {
    Set<String> present = present(c, rows);
    int added = 0;
    try (PreparedStatement s = c.prepareStatement(insert)) {
      int pending = 0;
      for (EventRow r : rows) {
        if (!present.add(r.key())) {
          continue; // in the table already, or earlier in this batch
        }
        String[] t = r.text();
        for (int i = 0; i < t.length; i++) {
          if (t[i] == null) {
            s.setNull(i + 1, Types.VARCHAR);
          } else {
            s.setString(i + 1, t[i]);
          }
        }
        s.setObject(
            t.length + 1,
            OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.eventTimeMillis()), ZoneOffset.UTC));
        s.setString(t.length + 2, r.json());
        s.addBatch();
        added++;
        if (++pending == INSERT_CHUNK) {
          s.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        s.executeBatch();
      }
    }
    return added;
  }

  private Set<String> present(Connection c, List<EventRow> rows) throws SQLException {
    Set<String> present = new HashSet<>();
    for (int from = 0; from < rows.size(); from += LOOKUP_CHUNK) {
      List<EventRow> part = rows.subList(from, Math.min(rows.size(), from + LOOKUP_CHUNK));
      String sql =
          "SELECT recipient_account_id, event_id FROM "
              + d.qualifiedTable()
              + " WHERE event_id IN ("
              + "?, ".repeat(part.size() - 1)
              + "?)";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < part.size(); i++) {
          s.setString(i + 1, part.get(i).eventId());
        }
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            present.add(rs.getString(1) + "/" + rs.getString(2));
          }
        }
      }
    }
    return present;
  }
}
