package org.opentrail.sink.jdbc;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns what a driver throws into what an operator can act on: which server and user, what went
 * wrong (by SQLState, the ANSI/PostgreSQL class codes), and what to do. Never includes the password
 * (drivers do not put it in their messages either; the URL shown is the resource name, without
 * parameters).
 */
final class SqlErrors {
  private SqlErrors() {}

  /**
   * @param doing what was being done, e.g. "deliver a batch into"
   * @return an exception with the SQLState of {@code e} and {@code e} as its cause
   */
  static SQLException explain(SQLException e, Destination d, String doing) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String who = d.user().isEmpty() ? "the default user" : "user '" + d.user() + "'";
    String message;
    if (state.equals("28P01") || state.equals("28000")) {
      message =
          "The database refused the credentials of "
              + who
              + " for "
              + d.resource()
              + " (SQLState "
              + state
              + "): check the user and password of the destination or of "
              + JdbcSinkConfig.PID;
    } else if (state.equals("42501")) {
      message =
          who.substring(0, 1).toUpperCase()
              + who.substring(1)
              + " has no permission to "
              + doing
              + " "
              + d.resource()
              + " (SQLState 42501): grant it USAGE on the schema and CREATE on it (or create the table first) and INSERT and SELECT on the table";
    } else if (state.equals("3F000")) {
      message =
          "The schema of "
              + d.resource()
              + " does not exist (SQLState 3F000): create it or name another schema";
    } else if (state.equals("3D000")) {
      message =
          "The database of "
              + d.resource()
              + " does not exist (SQLState 3D000): create it or correct the url";
    } else if (state.startsWith("08") || state.startsWith("57P") || unreachable(e)) {
      message =
          "Cannot reach the database of "
              + d.resource()
              + " (SQLState "
              + (state.isEmpty() ? "none" : state)
              + "): "
              + e.getMessage();
    } else {
      message =
          "Cannot "
              + doing
              + " "
              + d.resource()
              + " (SQLState "
              + (state.isEmpty() ? "none" : state)
              + "): "
              + e.getMessage();
    }
    return new SQLException(message, state.isEmpty() ? null : state, e);
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof SocketTimeoutException
          || t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }
}
