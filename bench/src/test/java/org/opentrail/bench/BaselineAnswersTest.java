package org.opentrail.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;
import org.opentrail.api.store.EventStore;

/**
 * OpenTrail's LookupEvents and the PostgreSQL baseline ({@link PostgresLookups}) give the same
 * answers over the same events: for a few thousand random queries (the bench's query types, other
 * attributes, FORWARD, narrow and exact-edged time windows, small MaxResults), the same eventIds in
 * the same order on every page, following each side's own NextTokens. The events are recorded into
 * a real store, out of time order, with bursts of equal eventTimes (so the sequence tie-break
 * matters) and some events with several resource types and names; then copied into an embedded
 * PostgreSQL as the {@code baseline-postgres} scenario copies them.
 */
class BaselineAnswersTest {
  private static final int EVENTS = 30_000;
  private static final int QUERIES = 2_500;
  private static final Duration SPAN = Duration.ofDays(3);

  @TempDir static Path dir;

  static BenchStore ot;
  static PostgresServer pg;
  static PostgresLookups baseline;
  static ActionTrailEventGenerator gen;
  static QueryDraws draws;
  static final List<String[]> several = new ArrayList<>();
  static final List<String> eventIds = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    long s0 = System.nanoTime();
    ot = BenchStore.open(dir.resolve("opentrail"), Map.of());
    gen = new ActionTrailEventGenerator(new Populations(), ot.account);
    long now = System.currentTimeMillis();
    long t0 = now - SPAN.toMillis();
    SplittableRandom r = new SplittableRandom(20261130);
    List<Long> times = new ArrayList<>(EVENTS);
    List<Event> batch = new ArrayList<>(1000);
    for (int i = 0; i < EVENTS; ) {
      long t = t0 + r.nextLong(SPAN.toMillis() - 60_000);
      if (r.nextInt(100) < 3) { // a burst: one user, one millisecond, up to 60 events
        String user = gen.drawUser(r).name();
        for (int n = 1 + r.nextInt(60); n > 0 && i < EVENTS; n--, i++) {
          batch.add(gen.next(r, t, false, user));
          times.add(t);
        }
      } else {
        t = r.nextInt(100) < 40 ? t - t % 60_000 : t; // many on a whole minute
        Event e = gen.next(r, t, false);
        if (r.nextInt(100) < 3) {
          e = severalResources(e, r);
        }
        batch.add(e);
        times.add(t);
        i++;
      }
      if (batch.size() >= 1000) {
        record(batch);
      }
    }
    record(batch);
    long s1 = System.nanoTime();
    assertTrue(ot.awaitIndexed(120) >= 0, "the index did not catch up");
    long s2 = System.nanoTime();
    pg = PostgresServer.start(dir.resolve("postgres"));
    long s3 = System.nanoTime();
    try (Connection c = pg.connect(true)) {
      PostgresSchema.create(c);
      PostgresLoader.copy(ot.store, EventStore.HISTORY, c);
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
    }
    baseline = new PostgresLookups(pg);
    System.out.printf(
        "recorded %,d events in %.1f s, indexed %.1f s later; PostgreSQL started in %.1f s, loaded"
            + " in %.1f s%n",
        EVENTS, (s1 - s0) / 1e9, (s2 - s1) / 1e9, (s3 - s2) / 1e9, (System.nanoTime() - s3) / 1e9);
    draws =
        new QueryDraws(
            ot.query::lookup,
            ot.account,
            gen,
            times,
            several,
            eventIds,
            Instant.ofEpochMilli(t0 - 60_000),
            Instant.ofEpochMilli(now + 1));
  }

  /** An event with two resource types and three names ({@code ;} lists and referencedResources). */
  private static Event severalResources(Event e, SplittableRandom r) {
    Populations.ResourceType a = gen.drawEventName(r).type();
    Populations.ResourceType b = gen.drawEventName(r).type();
    String n1 = gen.drawResourceName(r, a);
    String n2 = gen.drawResourceName(r, a);
    String n3 = gen.drawResourceName(r, b);
    several.add(new String[] {a.name(), b.name(), n1, n2, n3});
    Map<String, Object> refs = new LinkedHashMap<>();
    refs.put(a.name(), List.of(n1, n2));
    refs.merge(b.name(), List.of(n3), (x, y) -> List.of(n1, n2, n3));
    return e.withAll(
        Map.of(
            EventFields.RESOURCE_TYPE, a.name() + ";" + b.name(),
            EventFields.RESOURCE_NAME, n1 + ";" + n2,
            EventFields.REFERENCED_RESOURCES, refs));
  }

  private static void record(List<Event> batch) {
    RecordResult res = ot.recorder.record(ot.account, batch);
    assertEquals(batch.size(), res.accepted(), "events not accepted: " + res);
    for (int i = 0; i < res.outcomes().size(); i += 97) {
      eventIds.add(res.outcomes().get(i).eventId());
    }
    batch.clear();
  }

  @AfterAll
  static void stop() throws Exception {
    if (baseline != null) {
      baseline.close();
    }
    if (pg != null) {
      pg.close();
    }
    if (ot != null) {
      ot.close();
    }
  }

  @Test
  void postgresHoldsEveryStoredEvent() throws Exception {
    try (Connection c = pg.connect(false);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
      rs.next();
      assertEquals(ot.history().eventCount(), rs.getLong(1));
      assertEquals(EVENTS, rs.getLong(1));
    }
  }

  @Test
  void everyPageOfRandomLookupsIsTheSame() throws Exception {
    SplittableRandom r = new SplittableRandom(42);
    List<String> differences = new ArrayList<>();
    int pages = 0;
    int hits = 0;
    int paged = 0;
    for (int q = 0; q < QUERIES; q++) {
      QueryDraws.Draw d = draws.draw(r);
      int compared = comparePages(d, differences);
      pages += Math.abs(compared);
      paged += Math.abs(compared) > 1 ? 1 : 0;
      hits += compared == 0 ? 0 : 1;
      if (differences.size() >= 10) {
        break;
      }
    }
    if (!differences.isEmpty()) {
      fail(
          differences.size()
              + " lookups answered differently (first ones below):\n"
              + String.join("\n", differences));
    }
    // the comparison must not be vacuous: most queries find events, many have several pages
    System.out.printf(
        "%,d queries: %,d with hits, %,d with several pages, %,d pages compared%n",
        QUERIES, hits, paged, pages);
    assertTrue(hits > QUERIES * 6 / 10, "too few queries with hits: " + hits);
    assertTrue(paged > QUERIES / 5, "too few queries with a second page: " + paged);
    assertTrue(pages > QUERIES * 2, "too few pages compared: " + pages);
  }

  /**
   * Follows both sides' pages up to the draw's page count; answers how many pages were compared (0
   * if the first was empty on both), adding a line per difference.
   */
  private static int comparePages(QueryDraws.Draw d, List<String> differences) {
    LookupRequest a = d.request();
    LookupRequest b = d.request();
    for (int page = 1; ; page++) {
      LookupResult x = ot.query.lookup(a);
      LookupResult y = baseline.lookup(b);
      List<String> xi = ids(x);
      List<String> yi = ids(y);
      boolean xMore = x.nextToken() != null;
      boolean yMore = y.nextToken() != null;
      if (!xi.equals(yi) || xMore != yMore) {
        differences.add(
            String.format(
                "%s, page %d: OpenTrail %d events%s, PostgreSQL %d%s; %s",
                describe(d),
                page,
                xi.size(),
                xMore ? " + NextToken" : "",
                yi.size(),
                yMore ? " + NextToken" : "",
                firstDifference(xi, yi)));
        return page;
      }
      if (xi.isEmpty() && page == 1) {
        return 0;
      }
      if (!xMore || page >= d.pages()) {
        return page;
      }
      a = QueryDraws.withToken(d.request(), x.nextToken());
      b = QueryDraws.withToken(d.request(), y.nextToken());
    }
  }

  private static List<String> ids(LookupResult r) {
    List<String> ids = new ArrayList<>(r.events().size());
    for (Event e : r.events()) {
      ids.add(e.eventId());
    }
    return ids;
  }

  private static String describe(QueryDraws.Draw d) {
    LookupRequest q = d.request();
    StringBuilder b = new StringBuilder(d.kind()).append(" [");
    for (LookupAttribute a : q.attributes()) {
      b.append(a.key().actionTrailName()).append('=').append(a.value()).append(' ');
    }
    return b.append(q.startTime())
        .append(" .. ")
        .append(q.endTime())
        .append(", ")
        .append(q.direction() == Direction.FORWARD ? "FORWARD" : "BACKWARD")
        .append(", MaxResults ")
        .append(q.maxResults())
        .append(']')
        .toString();
  }

  /** Where two id lists part, with each side's (eventTime, seq) there, read from PostgreSQL. */
  private static String firstDifference(List<String> x, List<String> y) {
    int i = 0;
    while (i < x.size() && i < y.size() && x.get(i).equals(y.get(i))) {
      i++;
    }
    int first = i;
    Function<List<String>, String> at =
        l -> first < l.size() ? l.get(first) + " " + position(l.get(first)) : "(none)";
    return "first difference at #"
        + (first + 1)
        + ": OpenTrail "
        + at.apply(x)
        + ", PostgreSQL "
        + at.apply(y);
  }

  private static String position(String eventId) {
    try (Connection c = pg.connect(false);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT event_time, seq FROM events WHERE event_id = '"
                    + eventId.replace("'", "''")
                    + "'")) {
      return rs.next() ? "(" + rs.getString(1) + ", seq " + rs.getLong(2) + ")" : "(not in PG)";
    } catch (Exception e) {
      return "(" + e + ")";
    }
  }
}
