package org.opentrail.sink.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.util.converter.Converters;

/**
 * The portable path (any JDBC driver: metadata to find the table, batched INSERTs after a lookup of
 * the keys present) against a real engine that is not PostgreSQL, H2 in a file.
 */
class JdbcSinkPortableTest {
  @TempDir Path dir;

  private JdbcSinkProvider provider(String url) {
    Map<String, Object> m = new HashMap<>();
    m.put("url", url);
    m.put("user", "sa");
    return new JdbcSinkProvider(
        Converters.standardConverter().convert(m).to(JdbcSinkConfig.class),
        List.of(new org.h2.Driver()));
  }

  @Test
  void everyEventLandsOnceAndReadsBackWithTwoAccountsSharingEventIds() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("dw");
    // names are quoted as given, in lower case: on an engine that upper-cases unquoted names the
    // operator makes the schema under its quoted lower-case name
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA \"public\"");
    }
    JdbcSinkProvider p = provider(url);
    SinkTarget target = new SinkTarget("123456789012", "portable", "d1", Map.of());
    try (Sink sink = p.open(target)) {
      for (long from = 1; from <= 1500; from += 500) {
        sink.deliver(Events.batch(from, from + 499));
      }
      sink.deliver(Events.batch(201, 700)); // redelivered: invisible
      sink.deliver(Events.batch(1, 100, "210000000000001")); // another account, the same eventIds
      List<Event> back = new ArrayList<>();
      ((ReadableSink) sink).readBack(back::addAll);
      assertEquals(1600, back.size());
      Set<String> keys = new HashSet<>();
      for (Event e : back) {
        assertTrue(keys.add(e.recipientAccountId() + "/" + e.eventId()), "twice: " + e.eventId());
      }
    }
    // a second open finds the table (metadata) and adds nothing on redelivery
    try (Sink again = p.open(target)) {
      again.deliver(Events.batch(1400, 1600));
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT event_id) FROM \"public\".\"actiontrail_portable\"")) {
      rs.next();
      assertEquals(1700, rs.getLong(1));
      assertEquals(1600, rs.getLong(2));
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT event_name, user_name, event FROM \"public\".\"actiontrail_portable\""
                    + " WHERE event_id = 'e-77-0a1b' AND recipient_account_id = '123456789012'")) {
      assertTrue(rs.next());
      Event e = Events.event(77).event();
      assertEquals(e.eventName(), rs.getString(1));
      assertEquals(e.userName(), rs.getString(2));
      assertTrue(rs.getString(3).contains("\"eventId\":\"e-77-0a1b\""), rs.getString(3));
    }
  }
}
