package org.opentrail.sink.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open jdbc destination: one connection, opened on first use and reused, dropped after any
 * failure (the next batch connects again). Each batch is one transaction that adds the events the
 * table lacks, so a batch delivered again adds nothing.
 */
final class JdbcSink implements ReadableSink {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
  private static final int READ_PAGE = 1000;

  private final Destination d;
  private final Driver driver;
  private Connection connection;
  private Loader loader;

  JdbcSink(Destination d, Driver driver) {
    this.d = d;
    this.driver = driver;
  }

  /**
   * Connects, creates the table if missing and checks the INSERT permission, so that a bad
   * destination fails when opened, not at its first batch.
   *
   * @throws SQLException explained by {@link SqlErrors}
   */
  synchronized void connect() throws SQLException {
    if (connection != null) {
      return;
    }
    Properties p = new Properties();
    if (!d.user().isEmpty()) {
      p.setProperty("user", d.user());
    }
    if (!d.password().isEmpty()) {
      p.setProperty("password", d.password());
    }
    if (d.postgres()) {
      p.setProperty("connectTimeout", Integer.toString(d.connectTimeoutSeconds()));
      p.setProperty("loginTimeout", Integer.toString(d.connectTimeoutSeconds()));
      p.setProperty("socketTimeout", Integer.toString(d.socketTimeoutSeconds()));
      p.setProperty("ApplicationName", "OpenTrail jdbc sink");
      if (!d.sslmode().isEmpty()) {
        p.setProperty("sslmode", d.sslmode());
      }
    }
    Connection c;
    try {
      c = driver.connect(d.url(), p);
    } catch (SQLException e) {
      throw SqlErrors.explain(e, d, "connect to");
    }
    if (c == null) {
      throw new SQLException(
          "The JDBC driver " + driver.getClass().getName() + " does not accept " + d.resource());
    }
    try {
      c.setAutoCommit(false);
      TableSchema.ensure(c, d);
      boolean copy = d.loadMethod().equals("copy") || d.loadMethod().equals("auto") && d.postgres();
      loader = copy ? new CopyLoader(c, d) : new InsertLoader(d);
      connection = c;
      LOG.debug("Connected to {} ({})", d, copy ? "COPY" : "batched INSERTs");
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.explain(e, d, "create or write into");
    } catch (RuntimeException | LinkageError e) {
      closeQuietly(c);
      throw new SQLException(
          "Cannot load into " + d.resource() + " with load.method " + d.loadMethod() + ": " + e, e);
    }
  }

  /**
   * Adds the batch's events that the table lacks, in one transaction.
   *
   * @throws SQLException explained by {@link SqlErrors}; nothing of the batch is in the table
   */
  @Override
  public synchronized void deliver(DeliveryBatch batch) throws SQLException {
    List<EventRow> rows = new ArrayList<>(batch.events().size());
    for (StoredEvent e : batch.events()) {
      rows.add(EventRow.of(e));
    }
    connect();
    try {
      int added = loader.load(connection, rows);
      connection.commit();
      LOG.debug("Batch {}: {} of {} events new in {}", batch.key(), added, rows.size(), d);
    } catch (SQLException e) {
      drop();
      throw SqlErrors.explain(e, d, "deliver a batch into");
    } catch (RuntimeException e) {
      drop();
      throw e;
    }
  }

  /** Reads the {@code event} column back, {@value #READ_PAGE} events at a time. */
  @Override
  public synchronized void readBack(Consumer<List<Event>> batches) throws SQLException {
    connect();
    String sql =
        "SELECT recipient_account_id, event_id, "
            + (d.postgres() ? "event::text" : "event")
            + " FROM "
            + d.qualifiedTable()
            + " WHERE recipient_account_id > ? OR (recipient_account_id = ? AND event_id > ?)"
            + " ORDER BY recipient_account_id, event_id";
    String account = "";
    String after = "";
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setMaxRows(READ_PAGE);
      while (true) {
        s.setString(1, account);
        s.setString(2, account);
        s.setString(3, after);
        List<Event> page = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            account = rs.getString(1);
            after = rs.getString(2);
            page.add(EventJson.parseEvent(rs.getString(3).getBytes(StandardCharsets.UTF_8)));
          }
        }
        connection.commit();
        if (page.isEmpty()) {
          return;
        }
        batches.accept(page);
      }
    } catch (SQLException e) {
      drop();
      throw SqlErrors.explain(e, d, "read back");
    }
  }

  private void drop() {
    Connection c = connection;
    connection = null;
    loader = null;
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException e) {
        // the connection is going away; closing it ends the transaction as well
      }
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("Closing a JDBC connection failed", e);
    }
  }

  @Override
  public synchronized void close() {
    drop();
  }
}
