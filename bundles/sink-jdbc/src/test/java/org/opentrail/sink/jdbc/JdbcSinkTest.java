package org.opentrail.sink.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.util.converter.Converters;

/** The jdbc sink against a real PostgreSQL 18, started once for the class. */
class JdbcSinkTest {
  @TempDir static Path dir;
  static PostgresFixture pg;

  @BeforeAll
  static void start() throws Exception {
    pg = new PostgresFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  static JdbcSinkProvider provider(String loadMethod) {
    Map<String, Object> m = new HashMap<>();
    m.put("url", pg.url());
    m.put("user", "postgres");
    m.put("load.method", loadMethod);
    m.put("socket.timeout", 20);
    return new JdbcSinkProvider(
        Converters.standardConverter().convert(m).to(JdbcSinkConfig.class),
        List.of(new org.postgresql.Driver()));
  }

  static SinkTarget target(String trail, Map<String, String> config) {
    return new SinkTarget("123456789012", trail, "d1", config);
  }

  @Test
  void aMixedStreamLandsEveryEventExactlyOnceAndRedeliveryIsInvisible() throws Exception {
    for (String method : List.of("copy", "insert")) {
      JdbcSinkProvider p = provider(method);
      String trail = "mixed-" + method;
      String table = "public.\"actiontrail_" + trail + "\"";
      try (Sink sink = p.open(target(trail, Map.of()))) {
        for (long from = 1; from <= 2000; from += 500) {
          sink.deliver(Events.batch(from, from + 499));
        }
        assertEquals(2000, pg.count(table), method);
        sink.deliver(Events.batch(501, 1000)); // the same batch again
        sink.deliver(Events.batch(900, 2100)); // overlapping, with 100 new events
        assertEquals(2100, pg.count(table), method);
      }
      try (Connection c = pg.admin()) {
        assertEquals(
            2100, one(c, "SELECT count(DISTINCT event_id) FROM " + table), "unique event_id");
        PreparedStatement same =
            c.prepareStatement(
                "SELECT event_name, event_rw, user_name, user_type, error_code, source_ip,"
                    + " resource_name, event_time = CAST(? AS timestamptz),"
                    + " event = CAST(? AS jsonb) FROM "
                    + table
                    + " WHERE event_id = ?");
        for (long s = 1; s <= 2100; s++) {
          Event e = Events.event(s).event();
          same.setString(1, e.eventTime());
          same.setString(2, EventRow.jsonFor(new String(e.toJson(), StandardCharsets.UTF_8)));
          same.setString(3, e.eventId());
          try (ResultSet rs = same.executeQuery()) {
            assertTrue(rs.next(), "event " + s + " is in the table");
            assertEquals(e.eventName(), rs.getString(1));
            assertEquals(e.eventRW(), rs.getString(2));
            assertEquals(e.userName(), rs.getString(3));
            assertEquals(e.userIdentity().get("type"), rs.getString(4));
            assertEquals(e.getString("errorCode"), rs.getString(5));
            assertEquals(e.getString("sourceIpAddress"), rs.getString(6));
            assertEquals(e.resourceName(), rs.getString(7));
            assertTrue(rs.getBoolean(8), "event_time of " + s);
            assertTrue(rs.getBoolean(9), "the whole event " + s + " as jsonb");
          }
        }
        assertEquals(
            2,
            one(
                c,
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'actiontrail_"
                    + trail
                    + "' AND indexname LIKE '%event_%_idx'"));
      }
    }
  }

  @Test
  void readBackGivesEveryEventOnce() throws Exception {
    JdbcSinkProvider p = provider("auto");
    try (Sink sink = p.open(target("readback", Map.of("table", "rb")))) {
      sink.deliver(Events.batch(1, 2500));
      List<Event> back = new ArrayList<>();
      ((ReadableSink) sink).readBack(back::addAll);
      assertEquals(2500, back.size());
      assertEquals(2500, back.stream().map(Event::eventId).distinct().count());
      assertEquals(
          Events.event(77).event().eventName(),
          back.stream()
              .filter(e -> e.eventId().equals("e-77-0a1b"))
              .findFirst()
              .orElseThrow()
              .eventName());
    }
  }

  @Test
  void anotherAccountsEventIdsNeverHideAnAccountsEvents() throws Exception {
    // two accounts deliver into one table (one through a delivery role) with the same eventIds:
    // eventIds are unique per account only, so each account's events must all land
    for (String method : List.of("copy", "insert")) {
      try (Sink sink = provider(method).open(target("shared-" + method, Map.of()))) {
        sink.deliver(Events.batch(1, 300, "210000000000001"));
        sink.deliver(Events.batch(1, 300, "123456789012"));
        sink.deliver(Events.batch(101, 200, "123456789012")); // redelivered: invisible
        assertEquals(600, pg.count("public.\"actiontrail_shared-" + method + "\""), method);
        List<Event> back = new ArrayList<>();
        ((ReadableSink) sink).readBack(back::addAll);
        assertEquals(600, back.size(), method);
        assertEquals(
            300,
            back.stream().filter(e -> "210000000000001".equals(e.recipientAccountId())).count());
      }
    }
  }

  @Test
  void anOutageFailsDeliveriesClearlyAndLosesNothing() throws Exception {
    JdbcSinkProvider p = provider("auto");
    String table = "public.outage";
    AtomicInteger failures = new AtomicInteger();
    List<String> messages = new ArrayList<>();
    try (Sink sink = p.open(target("outage", Map.of("table", "outage")))) {
      for (int b = 0; b < 20; b++) {
        DeliveryBatch batch = Events.batch(b * 200L + 1, b * 200L + 200);
        if (b == 5) {
          pg.stop();
        }
        if (b == 8) {
          pg.start();
        }
        while (true) { // what the delivery engine does: the same batch until it is delivered
          try {
            sink.deliver(batch);
            break;
          } catch (SQLException e) {
            failures.incrementAndGet();
            messages.add(e.getMessage());
            if (b >= 5 && b < 8) {
              break; // skipped while down; delivered again below
            }
            Thread.sleep(100);
          }
        }
      }
      for (int b = 5; b < 8; b++) {
        sink.deliver(Events.batch(b * 200L + 1, b * 200L + 200));
      }
    }
    assertEquals(4000, pg.count(table));
    assertTrue(failures.get() >= 3, "deliveries failed while the server was down");
    for (String m : messages) {
      assertTrue(
          m.startsWith("Cannot reach the database of jdbc:postgresql://127.0.0.1:" + pg.port()), m);
    }
  }

  static long one(Connection c, String sql) throws SQLException {
    try (var s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
