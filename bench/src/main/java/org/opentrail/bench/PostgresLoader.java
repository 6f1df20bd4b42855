package org.opentrail.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;

/**
 * Copies the events of an OpenTrail store into the {@link PostgresSchema} tables: read back in
 * sequence order through {@link EventStore#read} (what delivery cursors read), one transaction of
 * {@link #TRANSACTION} events at a time, each event with {@code INSERT ... ON CONFLICT DO NOTHING}
 * (so a copy can be repeated), sent as JDBC batches. A reader thread turns stored events into rows
 * (the attribute values exactly as OpenTrail's index derives them, {@link LookupKey#valuesOf}, and
 * the body's JSON), so the figure of the writer is PostgreSQL's own.
 */
final class PostgresLoader {
  /** Events per transaction. */
  static final int TRANSACTION = 1000;

  private static final String INSERT_EVENT =
      "INSERT INTO events (seq, account, event_id, event_time, event_name, event_rw,"
          + " service_name, user_name, access_key_id, body)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING";
  private static final String INSERT_TYPE =
      "INSERT INTO event_resource_types (account, resource_type, event_time, seq)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String INSERT_NAME =
      "INSERT INTO event_resource_names (account, resource_name, event_time, seq)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";

  /** What a copy measured: events, wall time, and the time the writer spent in PostgreSQL. */
  record Copied(long events, long wallNanos, long insertNanos) {
    double perSecond() {
      return insertNanos == 0 ? 0 : events * 1e9 / insertNanos;
    }
  }

  /** One event as a row, made off the writer's thread. */
  private record Row(StoredEvent stored, OffsetDateTime time, String body) {}

  private static final List<Row> END = List.of();

  private PostgresLoader() {}

  /** Copies every event of {@code stream} into {@code c}'s tables ({@code c} is left open). */
  static Copied copy(EventStore store, String stream, Connection c) throws Exception {
    BlockingQueue<List<Row>> queue = new ArrayBlockingQueue<>(8);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread reader = new Thread(() -> read(store, stream, queue, failed), "bench-pg-copy-reader");
    long t0 = System.nanoTime();
    reader.start();
    long events = 0;
    long busy = 0;
    c.setAutoCommit(false);
    try (PreparedStatement ev = c.prepareStatement(INSERT_EVENT);
        PreparedStatement ty = c.prepareStatement(INSERT_TYPE);
        PreparedStatement nm = c.prepareStatement(INSERT_NAME)) {
      for (List<Row> rows = queue.take(); rows != END; rows = queue.take()) {
        long b0 = System.nanoTime();
        insert(rows, ev, ty, nm);
        c.commit();
        busy += System.nanoTime() - b0;
        events += rows.size();
      }
    } finally {
      c.setAutoCommit(true);
      reader.interrupt();
      reader.join();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("reading the store failed: " + failed.get(), failed.get());
    }
    return new Copied(events, System.nanoTime() - t0, busy);
  }

  private static void read(
      EventStore store,
      String stream,
      BlockingQueue<List<Row>> queue,
      AtomicReference<Throwable> failed) {
    try {
      long after = 0;
      while (true) {
        List<StoredEvent> batch = store.read(stream, after, TRANSACTION);
        if (batch.isEmpty()) {
          break;
        }
        List<Row> rows = new ArrayList<>(batch.size());
        for (StoredEvent s : batch) {
          rows.add(
              new Row(
                  s,
                  OffsetDateTime.ofInstant(Instant.ofEpochMilli(s.timeMillis()), ZoneOffset.UTC),
                  new String(s.event().toJson(), StandardCharsets.UTF_8)));
          after = s.sequence();
        }
        queue.put(rows);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Throwable t) {
      failed.set(t);
    }
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void insert(
      List<Row> rows, PreparedStatement ev, PreparedStatement ty, PreparedStatement nm)
      throws SQLException {
    for (Row r : rows) {
      Event e = r.stored().event();
      String account = e.recipientAccountId();
      long seq = r.stored().sequence();
      ev.setLong(1, seq);
      ev.setString(2, account);
      ev.setString(3, e.eventId());
      ev.setObject(4, r.time());
      ev.setString(5, single(LookupKey.EVENT_NAME, e));
      ev.setString(6, single(LookupKey.EVENT_RW, e));
      ev.setString(7, single(LookupKey.SERVICE_NAME, e));
      ev.setString(8, single(LookupKey.USER, e));
      ev.setString(9, single(LookupKey.EVENT_ACCESS_KEY_ID, e));
      ev.setString(10, r.body());
      ev.addBatch();
      addChildren(ty, LookupKey.RESOURCE_TYPE, e, account, r, seq);
      addChildren(nm, LookupKey.RESOURCE_NAME, e, account, r, seq);
    }
    ev.executeBatch();
    ty.executeBatch();
    nm.executeBatch();
  }

  private static void addChildren(
      PreparedStatement ps, LookupKey key, Event e, String account, Row r, long seq)
      throws SQLException {
    for (String v : key.valuesOf(e)) {
      ps.setString(1, account);
      ps.setString(2, v);
      ps.setObject(3, r.time());
      ps.setLong(4, seq);
      ps.addBatch();
    }
  }

  /** The attribute's one value (OpenTrail derives at most one for these keys), or null. */
  private static String single(LookupKey key, Event e) {
    List<String> v = key.valuesOf(e);
    return v.isEmpty() ? null : v.get(0);
  }

  /** Bytes of the tables with their indexes and TOAST ({@code pg_total_relation_size}). */
  static long totalBytes(Connection c) throws SQLException {
    long total = 0;
    try (Statement s = c.createStatement()) {
      for (String t : PostgresSchema.TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + t + "')")) {
          rs.next();
          total += rs.getLong(1);
        }
      }
    }
    return total;
  }

  /** Bytes of the tables' indexes alone ({@code pg_indexes_size}). */
  static long indexBytes(Connection c) throws SQLException {
    long total = 0;
    try (Statement s = c.createStatement()) {
      for (String t : PostgresSchema.TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT pg_indexes_size('" + t + "')")) {
          rs.next();
          total += rs.getLong(1);
        }
      }
    }
    return total;
  }
}
