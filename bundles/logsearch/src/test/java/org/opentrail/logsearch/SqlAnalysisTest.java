package org.opentrail.logsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.store.EmbeddedEventStore;

/**
 * SQL analyses ({@code search | SQL}) on a real embedded store and index of generated events, each
 * answer compared with one computed here from the generated events in plain Java.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlAnalysisTest {
  static final String A = LogSearchServiceTest.A;
  static final String B = LogSearchServiceTest.B;
  static final int N = 3000;

  @TempDir static Path dir;
  EmbeddedEventStore store;
  LogSearchService search;
  List<Event> events;
  List<Event> mine;
  Instant start;
  Instant end;

  @BeforeAll
  void setUp() throws Exception {
    GeneratedHistory h = new GeneratedHistory(dir.resolve("store"), N, 7, true);
    store = h.store;
    events = h.events;
    start = h.start;
    end = h.end;
    mine = h.mine();
    h.trailLogstore("actiontrail_audit");
    search = new LogSearchService(store, dir.resolve("logsearch"), 20);
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
  }

  @AfterAll
  void tearDown() throws Exception {
    search.close();
    store.close();
  }

  AnalysisResult analyze(String query) {
    return search.analyze(A, EventStore.HISTORY, start, end, query);
  }

  static <K> Map<String, Long> counts(List<Event> es, Function<Event, K> key) {
    return es.stream()
        .collect(Collectors.groupingBy(e -> String.valueOf(key.apply(e)), Collectors.counting()));
  }

  static Map<String, Long> asMap(AnalysisResult r) {
    Map<String, Long> m = new TreeMap<>();
    for (List<String> row : r.rows()) {
      m.put(row.get(0), Long.parseLong(row.get(1)));
    }
    return m;
  }

  @Test
  void theIssuesTopNQueryOnTheHistoryCountsOnlyTheCallersEvents() {
    AnalysisResult r =
        analyze("* | SELECT eventName, count(*) GROUP BY eventName ORDER BY 2 DESC LIMIT 10");
    Map<String, Long> want = counts(mine, Event::eventName);
    assertEquals(new TreeMap<>(want), asMap(r));
    assertEquals(want.size(), r.rows().size());
    for (int i = 1; i < r.rows().size(); i++) {
      assertTrue(
          Long.parseLong(r.rows().get(i - 1).get(1)) >= Long.parseLong(r.rows().get(i).get(1)));
    }
    assertEquals(List.of("eventName", "EXPR$1"), r.columns());
    assertEquals(mine.size(), r.processedRows());
    assertTrue(r.complete());
    // LIMIT cuts the top-N
    assertEquals(
        2, analyze("* | SELECT eventName, count(*) AS c GROUP BY eventName LIMIT 2").rows().size());
  }

  @Test
  void aSearchPartSelectsTheRowsFedToTheSql() {
    Predicate<Event> failed = e -> e.fields().get("errorCode") != null;
    List<Event> errors = mine.stream().filter(failed).toList();
    AnalysisResult r =
        analyze(
            "errorCode: * | select count(*) as c, count(distinct \"userIdentity.userName\") u,"
                + " approx_distinct(acsRegion) AS regions");
    long users = errors.stream().map(LogSearchServiceTest::user).distinct().count();
    long regions = errors.stream().map(Event::acsRegion).distinct().count();
    assertEquals(List.of(List.of("" + errors.size(), "" + users, "" + regions)), r.rows());
    assertEquals(List.of("c", "u", "regions"), r.columns());
    assertEquals(errors.size(), r.processedRows());
    AnalysisResult not = analyze("not errorCode: * and eventName: Delete* | select count(*)");
    long want =
        mine.stream().filter(failed.negate().and(e -> e.eventName().startsWith("Delete"))).count();
    assertEquals(List.of(List.of("" + want)), not.rows());
    // a word in quotes holding '|' belongs to the search
    assertEquals(List.of(List.of("0")), analyze("eventName: \"a|b\" | select count(*)").rows());
  }

  @Test
  void timeBucketsPercentilesAndFunctions() {
    AnalysisResult r =
        analyze(
            "* | select date_trunc('hour', __time__) as t, count(*) as c group by t order by t");
    Map<String, Long> want =
        counts(
            mine,
            e ->
                Instant.ofEpochMilli(e.eventTimeMillis()).truncatedTo(ChronoUnit.HOURS).toString());
    assertEquals(new TreeMap<>(want), asMap(r));
    // a NULL time (a field the event lacks) is NULL, not a NullPointerException's message
    assertEquals(
        List.of(List.of("null", "null", "null", "null")),
        analyze(
                "* | select date_trunc('hour', n), from_unixtime(n), date_format(n, '%Y'),"
                    + " histogram(n, 60) from (select cast(null as bigint) as n from log) limit 1")
            .rows());
    assertEquals(
        new ArrayList<>(new TreeMap<>(want).keySet()),
        r.rows().stream().map(row -> row.get(0)).toList());

    List<Long> secs = mine.stream().map(e -> e.eventTimeMillis() / 1000).sorted().toList();
    long p50 = secs.get((int) Math.ceil(0.5 * secs.size()) - 1);
    long p99 = secs.get((int) Math.ceil(0.99 * secs.size()) - 1);
    AnalysisResult p =
        analyze(
            "* | select approx_percentile(__time__, 0.5), approx_percentile(__time__, 0.99),"
                + " min(__time__), max(__time__), sum(__time__) % 1000, avg(__time__ * 1.0) > 0");
    long sum = secs.stream().mapToLong(Long::longValue).sum();
    assertEquals(
        List.of(
            List.of(
                "" + p50,
                "" + p99,
                "" + secs.get(0),
                "" + secs.get(secs.size() - 1),
                "" + sum % 1000,
                "true")),
        p.rows());

    // avg is a double, as in Log Service, also of a BIGINT column
    double odd = mine.stream().filter(e -> (e.eventTimeMillis() / 1000) % 2 != 0).count();
    AnalysisResult avg = analyze("* | select avg(__time__ % 2), avg(distinct __time__ % 2)");
    assertEquals(odd / mine.size(), Double.parseDouble(avg.rows().get(0).get(0)), 1e-9);
    assertEquals("0.5", avg.rows().get(0).get(1));
    long puts = mine.stream().filter(e -> e.eventName().equals("PutObject")).count();
    assertEquals(
        List.of(List.of("" + puts)),
        analyze("* | select count(*) where eventName = 'PutObject'").rows());
    long deletes = mine.stream().filter(e -> e.eventName().startsWith("Delete")).count();
    long upper = mine.stream().filter(e -> e.acsRegion().equals("cn-beijing")).count();
    AnalysisResult g =
        analyze(
            "* | select sum(case when lower(eventName) like 'delete%' then 1 else 0 end),"
                + " sum(case when upper(acsRegion) = 'CN-BEIJING' then 1 else 0 end),"
                + " from_unixtime(0), date_format(86400, '%Y-%m-%d %H:%i'), histogram(125, 60)");
    assertEquals(
        List.of(
            List.of("" + deletes, "" + upper, "1970-01-01T00:00:00Z", "1970-01-02 00:00", "120")),
        g.rows());
  }

  @Test
  void nullsAndNumbersAreShownAsLogServiceShowsThem() {
    AnalysisResult r =
        analyze(
            "* | select errorCode, 1.50, 2.0e0, 1 / 4.0 from log where errorCode is null limit 1");
    assertEquals(List.of(List.of("null", "1.5", "2", "0.25")), r.rows());
    // strings of different lengths from a CASE are not padded to the longest ('ok  ')
    Map<String, Long> outcomes =
        counts(mine, e -> e.fields().get("errorCode") == null ? "ok" : "fail");
    assertEquals(
        new TreeMap<>(outcomes),
        asMap(
            analyze(
                "* | select case when errorCode is null then 'ok' else 'fail' end as s, count(*)"
                    + " group by s")));
    // a UNION reads log twice: twice the rows, but the events fed are the search's matches
    AnalysisResult twice =
        analyze(
            "* | select count(*) from (select eventId from log union all select eventId from log)");
    assertEquals(List.of(List.of("" + 2 * mine.size())), twice.rows());
    assertEquals(mine.size(), twice.processedRows());
    // no LIMIT: at most 100 rows; LIMIT up to MAX_ROWS answers that many
    assertEquals(100, analyze("* | select eventId").rows().size());
    assertEquals(mine.size(), analyze("* | select eventId limit 10000").rows().size());
    assertEquals(
        mine.stream().map(Event::eventId).collect(Collectors.toSet()),
        new HashSet<>(
            analyze("* | select eventId limit 10000").rows().stream()
                .map(row -> row.get(0))
                .toList()));
  }

  @Test
  void aTrailLogstoreHasLogServiceColumnNamesAndIsTheAccountsOwn() {
    AnalysisResult r =
        search.analyze(
            A,
            "actiontrail_audit",
            start,
            end,
            "* | SELECT \"event.eventName\", count(*) AS c GROUP BY \"event.eventName\" ORDER BY c"
                + " DESC LIMIT 10");
    assertEquals(new TreeMap<>(counts(mine, Event::eventName)), asMap(r));
    assertEquals(List.of("event.eventName", "c"), r.columns());
    AnalysisResult topic =
        search.analyze(
            A,
            "actiontrail_audit",
            start,
            end,
            "event.userIdentity.userName: bob | select __topic__, count(*) group by __topic__");
    long bob = mine.stream().filter(e -> LogSearchServiceTest.user(e).equals("bob")).count();
    assertEquals(List.of(List.of("actiontrail_audit_event", "" + bob)), topic.rows());
    OpenTrailException other =
        assertThrows(
            OpenTrailException.class,
            () -> search.analyze(B, "actiontrail_audit", start, end, "* | select count(*)"));
    assertEquals("LogStoreNotExist", other.code());
    assertEquals(404, other.httpStatus());
    // B's own view of the history never counts A's events
    long theirs = events.size() - mine.size();
    assertEquals(
        List.of(List.of("" + theirs)),
        search.analyze(B, EventStore.HISTORY, start, end, "* | select count(*)").rows());
  }

  /** {@code query} is {@code InvalidQuery} (400) with exactly {@code message}. */
  void assertInvalidExactly(String query, String message) {
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> analyze(query));
    assertEquals("InvalidQuery", e.code(), e.getMessage());
    assertEquals(400, e.httpStatus());
    assertEquals(message, e.getMessage());
  }

  void assertInvalid(String query, String... contains) {
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> analyze(query));
    assertEquals("InvalidQuery", e.code(), e.getMessage());
    assertEquals(400, e.httpStatus());
    for (String c : contains) {
      assertTrue(e.getMessage().contains(c), e.getMessage());
    }
    assertTrue(!e.getMessage().contains("org.apache.calcite"), e.getMessage());
    // and the next query works
    assertEquals(List.of(List.of("" + mine.size())), analyze("* | select count(*)").rows());
  }

  @Test
  void badSqlIsAClearErrorAndTheNextQueryWorks() {
    assertInvalid(
        "* | select count(* from log",
        "line 1, column 17",
        "SQL syntax error",
        "\"from\"; expected \")\"");
    assertInvalid(
        "* | select nope, count(*) group by nope", "line 1, column 9", "'nope' not found");
    assertInvalid("* | drop table log", "SQL syntax error", "drop");
    // positions are the user's, also after FROM log was added before GROUP BY, and on later lines
    assertInvalid("* | select eventName group by eventName limit )", "line 1, column 44", "\")\"");
    assertInvalid("* | select eventName\nfrom log\nwhere nope = 1", "line 3, column 7", "'nope'");
    assertInvalid("* | insert into log (eventName) values ('x')", "only queries", "INSERT");
    assertInvalid("* | delete from log", "only queries");
    assertInvalid("* | select * from log a, log b", "joins are not supported");
    assertInvalid("* | select a.eventId from log a join log b on true", "joins are not supported");
    // a recursive CTE never reads log, so nothing stopped it at the time limit (it ran minutes)
    assertInvalid(
        "* | with recursive t(n) as (select 1 union all select n + 1 from t where n < 3)"
            + " select count(*) from t",
        "Invalid SQL at line 1, column 17 of the SQL: WITH RECURSIVE is not supported in an"
            + " analysis; it reads the table log.");
    // a constant folded into the generated code failed in its static initializer, not a 400
    assertInvalid("* | select 1 / 0", "The SQL could not be run: / by zero");
    // strings grown by ||, replace or overlay stop at 8 KiB: nested, they doubled (or squared)
    // in one row's computation until the heap was full (OutOfMemoryError)
    String tooLong =
        "A string computed by the analysis (with ||, replace or overlay) is longer than 8192"
            + " characters, the longest an analysis computes.";
    String x = "'" + "x".repeat(5000) + "'";
    assertInvalid("* | select replace(eventName, 'e', " + x + ") limit 1", tooLong);
    assertInvalid("* | select eventName || " + x + " || " + x + " limit 1", tooLong);
    assertInvalid("* | select overlay(" + x + " placing " + x + " from 1 for 0) limit 1", tooLong);
    assertEquals(
        List.of(List.of("P-tObj-ct", "PutObject/Read")),
        analyze(
                "eventName: PutObject and eventRW: Read | select replace(replace(eventName, 'u',"
                    + " '-'), 'e', '-'), eventName || '/' || eventRW limit 1")
            .rows());
    // nested too deeply for the parser: no position and no message (a StackOverflowError in it)
    String tooDeep =
        "The SQL nests expressions or subqueries too deeply to parse; use fewer levels.";
    assertInvalidExactly("* | select " + "(".repeat(5000) + "1" + ")".repeat(5000), tooDeep);
    assertInvalidExactly(
        "* | select " + "lower(".repeat(1500) + "eventName" + ")".repeat(1500), tooDeep);
    // Calcite cannot plan this and throws an AssertionError: still a 400, not an Error
    assertInvalid(
        "* | select * from log match_recognize (order by __time__ measures count(*) as c"
            + " pattern (a+) define a as true)",
        "The SQL could not be run: unknown kind: PATTERN_QUANTIFIER");
    // the operating system account of the server is none of a tenant's business
    assertInvalid(
        "* | select system_user",
        "Invalid SQL at line 1, column 9 of the SQL: SYSTEM_USER is not available in an"
            + " analysis.");
    assertInvalid("* | select count(*) from metadata.TABLES", "not found");
    assertInvalid("* | select * from information_schema.tables", "not found");
    assertInvalid("* | select eventId limit 1000000", "LIMIT 1000000", "10000");
    assertInvalid("* | select java.lang.System.exit(0)", "line 1");
    assertInvalid("* | select date_trunc('fortnight', __time__)", "fortnight");
    assertInvalid("* | ", "empty");
    assertInvalid("* | select '" + "x".repeat(20_000) + "'", "longer than 16384");
    assertInvalid("eventName: PutObject", "no analysis");
    assertInvalid("eventName: ( | select 1", "Invalid query at character");
    assertInvalid("* | select 'x' || eventName from log; drop table log", "line 1");
    // injection in the search part is just a value to look for
    assertEquals(
        List.of(List.of("0")), analyze("eventName: \"x' or 1=1 --\" | select count(*)").rows());
  }

  @Test
  void aGroupByWithTooManyGroupsStopsBeforeItFillsTheHeap() throws Exception {
    LogSearchService small = new LogSearchService(store, dir.resolve("small"), 20, 10_000, 1, 50);
    try {
      assertTrue(small.awaitCaughtUp(Duration.ofSeconds(60)));
      for (String q :
          List.of(
              "* | select eventId, count(*) group by eventId",
              "* | select distinct eventId",
              "* | select eventName, eventId, count(*) group by eventName, eventId",
              "* | select count(*) from (select eventId from log group by eventId)")) {
        OpenTrailException e =
            assertThrows(
                OpenTrailException.class,
                () -> small.analyze(A, EventStore.HISTORY, start, end, q),
                q);
        assertEquals("InvalidQuery", e.code());
        assertEquals(400, e.httpStatus());
        assertEquals(
            "The GROUP BY makes more than 50 groups, the most an analysis holds; group by fewer"
                + " or coarser values (e.g. date_trunc) or narrow the search.",
            e.getMessage());
      }
      // up to the limit, groups are counted as before (and each query counts afresh)
      Map<String, Long> want = counts(mine, Event::eventName);
      for (int i = 0; i < 3; i++) {
        assertEquals(
            new TreeMap<>(want),
            asMap(
                small.analyze(
                    A,
                    EventStore.HISTORY,
                    start,
                    end,
                    "* | select eventName, count(*) group by eventName")));
      }
      assertEquals(1, small.analyses.turns.availablePermits());
    } finally {
      small.close();
    }
  }

  @Test
  void aRunawayAnalysisStopsAtItsTimeLimit() throws Exception {
    LogSearchService quick = new LogSearchService(store, dir.resolve("quick"), 20, 1, 1);
    try {
      assertTrue(quick.awaitCaughtUp(Duration.ofSeconds(60)));
      OpenTrailException e =
          assertThrows(
              OpenTrailException.class,
              () ->
                  quick.analyze(
                      A,
                      EventStore.HISTORY,
                      start,
                      end,
                      "* | select eventId, count(*) from (select eventId from log union all"
                          + " select eventId from log) group by eventId order by 2"));
      assertEquals("QueryTimeout", e.code());
      assertEquals(400, e.httpStatus());
      assertTrue(e.getMessage().contains("1 ms"), e.getMessage());
      // its one analysis slot taken: the next one waits its time limit, then ServerBusy
      quick.analyses.turns.acquire();
      try {
        OpenTrailException busy =
            assertThrows(
                OpenTrailException.class,
                () -> quick.analyze(A, EventStore.HISTORY, start, end, "* | select 1"));
        assertEquals("ServerBusy", busy.code());
        assertEquals(503, busy.httpStatus());
      } finally {
        quick.analyses.turns.release();
      }
      assertEquals(1, quick.analyses.turns.availablePermits());
    } finally {
      quick.close();
    }
    assertEquals(List.of(List.of("" + mine.size())), analyze("* | select count(*)").rows());
  }
}
