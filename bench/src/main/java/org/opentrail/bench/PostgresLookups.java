package org.opentrail.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;

/**
 * LookupEvents answered with SQL over the {@link PostgresSchema} tables, as a user would write it:
 * attributes ANDed, eventTime in [StartTime, EndTime] to the millisecond (both inclusive, as
 * OpenTrail reads them), {@code ORDER BY event_time DESC, seq DESC} (BACKWARD) or ascending
 * (FORWARD), {@code LIMIT MaxResults + 1} to learn whether a next page exists, and keyset paging:
 * the NextToken carries the searched range and the (event_time, seq) of the page's last event, and
 * the next page asks for {@code (event_time, seq) < (that)}. A ResourceType or ResourceName lookup
 * is driven from its child table (its index gives the order); further multi-valued attributes are
 * {@code EXISTS} checks. The answer's events are the bodies as PostgreSQL returns them ({@code
 * body::text}), wrapped unparsed. Connections are pooled: each lookup takes an idle one (or opens
 * one), so concurrent clients each have their own.
 */
final class PostgresLookups implements Function<LookupRequest, LookupResult>, AutoCloseable {
  private static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

  private final PostgresServer server;
  private final List<Connection> opened = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

  PostgresLookups(PostgresServer server) {
    this.server = server;
  }

  private Connection open() {
    try {
      Connection c = server.connect(false);
      opened.add(c);
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to PostgreSQL: " + e, e);
    }
  }

  @Override
  public LookupResult apply(LookupRequest request) {
    return lookup(request);
  }

  /** One page, with a NextToken of this baseline's own (see the class comment). */
  LookupResult lookup(LookupRequest request) {
    int max =
        request.maxResults() == null ? LookupRequest.DEFAULT_MAX_RESULTS : request.maxResults();
    if (max < 1 || max > LookupRequest.MAX_MAX_RESULTS) {
      throw new IllegalArgumentException("MaxResults must be from 1 to 50, not " + max);
    }
    long from;
    long to;
    long[] after = null;
    if (request.nextToken() != null) {
      long[] t = decode(request.nextToken());
      from = t[0];
      to = t[1];
      after = new long[] {t[2], t[3]};
    } else if (request.startTime() == null && request.endTime() == null) {
      to = System.currentTimeMillis();
      from = to - DEFAULT_WINDOW.toMillis();
    } else if (request.startTime() == null || request.endTime() == null) {
      throw new IllegalArgumentException("StartTime and EndTime go together");
    } else {
      from = request.startTime().toEpochMilli();
      to = request.endTime().toEpochMilli();
    }
    boolean backward = request.direction() == Direction.BACKWARD;
    List<Object> params = new ArrayList<>();
    String sql = sql(request, from, to, after, backward, max, params);
    List<Event> events = new ArrayList<>(max);
    String next = null;
    Connection c = idle.pollFirst();
    if (c == null) {
      c = open();
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        long lastTime = 0;
        long lastSeq = 0;
        while (rs.next()) {
          if (events.size() == max) {
            next = encode(from, to, lastTime, lastSeq);
            break;
          }
          String id = rs.getString(3);
          events.add(EventJson.lazyCanonical(rs.getBytes(4), Map.of(EventFields.EVENT_ID, id)));
          if (events.size() == max) {
            lastSeq = rs.getLong(1);
            lastTime = rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli();
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL lookup failed: " + e + "\n" + sql, e);
    } finally {
      idle.offerFirst(c);
    }
    return new LookupResult(events, next, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
  }

  /** The SELECT for a page; fills {@code params} in order. */
  static String sql(
      LookupRequest request,
      long from,
      long to,
      long[] after,
      boolean backward,
      int max,
      List<Object> params) {
    List<LookupAttribute> multi = new ArrayList<>();
    List<LookupAttribute> single = new ArrayList<>();
    for (LookupAttribute a : request.attributes()) {
      (child(a.key()) != null ? multi : single).add(a);
    }
    StringBuilder sql =
        new StringBuilder("SELECT e.seq, e.event_time, e.event_id, e.body::text FROM events e");
    String o = "e"; // the table whose index gives the order
    if (!multi.isEmpty()) {
      LookupAttribute drive = multi.remove(0);
      String[] t = child(drive.key());
      sql.append(" JOIN ").append(t[0]).append(" d ON d.seq = e.seq");
      o = "d";
      sql.append(" WHERE d.account = ? AND d.").append(t[1]).append(" = ? AND ");
      params.add(request.accountId());
      params.add(drive.value());
    } else {
      sql.append(" WHERE ");
    }
    sql.append("e.account = ?");
    params.add(request.accountId());
    sql.append(" AND ").append(o).append(".event_time >= ?");
    params.add(time(from));
    sql.append(" AND ").append(o).append(".event_time <= ?");
    params.add(time(to));
    for (LookupAttribute a : single) {
      sql.append(" AND e.").append(column(a.key())).append(" = ?");
      params.add(a.value());
    }
    for (LookupAttribute a : multi) {
      String[] t = child(a.key());
      sql.append(" AND EXISTS (SELECT 1 FROM ")
          .append(t[0])
          .append(" x WHERE x.account = e.account AND x.")
          .append(t[1])
          .append(" = ? AND x.event_time = e.event_time AND x.seq = e.seq)");
      params.add(a.value());
    }
    if (after != null) {
      sql.append(" AND (")
          .append(o)
          .append(".event_time, ")
          .append(o)
          .append(".seq) ")
          .append(backward ? "<" : ">")
          .append(" (?, ?)");
      params.add(time(after[0]));
      params.add(after[1]);
    }
    String dir = backward ? " DESC" : " ASC";
    sql.append(" ORDER BY ")
        .append(o)
        .append(".event_time")
        .append(dir)
        .append(", ")
        .append(o)
        .append(".seq")
        .append(dir)
        .append(" LIMIT ?");
    params.add(max + 1);
    return sql.toString();
  }

  /** The column of a single-valued attribute. */
  private static String column(LookupKey key) {
    return switch (key) {
      case EVENT_NAME -> "event_name";
      case USER -> "user_name";
      case EVENT_RW -> "event_rw";
      case SERVICE_NAME -> "service_name";
      case EVENT_ACCESS_KEY_ID -> "access_key_id";
      case EVENT_ID -> "event_id";
      case RESOURCE_TYPE, RESOURCE_NAME -> throw new IllegalArgumentException(key.name());
    };
  }

  /** The child table and its value column of a multi-valued attribute, or null. */
  private static String[] child(LookupKey key) {
    return switch (key) {
      case RESOURCE_TYPE -> new String[] {"event_resource_types", "resource_type"};
      case RESOURCE_NAME -> new String[] {"event_resource_names", "resource_name"};
      default -> null;
    };
  }

  private static OffsetDateTime time(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  /** NextToken: the range searched and the last event's position, {@code from:to:time:seq}. */
  static String encode(long from, long to, long time, long seq) {
    String s = from + ":" + to + ":" + time + ":" + seq;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  static long[] decode(String token) {
    try {
      String[] p =
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII).split(":");
      if (p.length != 4) {
        throw new IllegalArgumentException("NextToken is not valid: " + token);
      }
      return new long[] {
        Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3])
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("NextToken is not valid: " + token, e);
    }
  }

  /** Closes every thread's connection. */
  @Override
  public void close() {
    for (Connection c : opened) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing: nothing to do
      }
    }
    opened.clear();
    idle.clear();
  }
}
