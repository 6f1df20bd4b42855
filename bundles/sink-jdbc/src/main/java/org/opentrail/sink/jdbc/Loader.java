package org.opentrail.sink.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Loads rows into the destination table inside the caller's transaction. */
interface Loader {
  /**
   * Writes the rows whose event_id the table does not hold yet; the caller commits.
   *
   * @return how many rows were new
   */
  int load(Connection c, List<EventRow> rows) throws SQLException;
}
