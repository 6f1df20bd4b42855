package org.opentrail.logsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.store.EmbeddedEventStore;

/**
 * Log Service's SQL functions ({@link LogSqlStrings}, {@link LogSqlRegex}, {@link LogSqlJson},
 * {@link LogSqlAggregates}, times) on a real store and index of generated events: each answer
 * against one computed here in plain Java, NULLs, out-of-range arguments and refusals (each
 * followed by a query that works).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlFunctionsTest {
  static final String A = LogSearchServiceTest.A;
  static final String B = LogSearchServiceTest.B;
  static final String TRAIL = "actiontrail_fn";
  static final int N = 1200;

  @TempDir static Path dir;
  EmbeddedEventStore store;
  LogSearchService search;
  List<Event> events;
  List<Event> mine;
  Instant start;
  Instant end;

  @BeforeAll
  void setUp() throws Exception {
    GeneratedHistory h = new GeneratedHistory(dir.resolve("store"), N, 11, true);
    store = h.store;
    events = h.events;
    start = h.start;
    end = h.end;
    mine = h.mine();
    h.trailLogstore(TRAIL);
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

  AnalysisResult trail(String query) {
    return search.analyze(A, TRAIL, start, end, query);
  }

  /** The rows of {@code * | select <expr> as x, count(*) group by x} as a map. */
  Map<String, Long> grouped(Function<String, AnalysisResult> on, String expr) {
    AnalysisResult r = on.apply("* | select " + expr + " as x, count(*) group by x limit 1000");
    Map<String, Long> m = new TreeMap<>();
    for (List<String> row : r.rows()) {
      m.put(row.get(0), Long.parseLong(row.get(1)));
    }
    return m;
  }

  Map<String, Long> want(Function<Event, Object> f) {
    return new TreeMap<>(
        mine.stream()
            .collect(
                Collectors.groupingBy(e -> String.valueOf(f.apply(e)), Collectors.counting())));
  }

  List<String> one(String query) {
    AnalysisResult r = analyze(query);
    assertEquals(1, r.rows().size(), r.rows().toString());
    return r.rows().get(0);
  }

  void assertInvalid(String query, String... contains) {
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> analyze(query));
    assertEquals("InvalidQuery", e.code(), e.getMessage());
    assertEquals(400, e.httpStatus());
    for (String c : contains) {
      assertTrue(e.getMessage().contains(c), e.getMessage());
    }
    assertTrue(!e.getMessage().contains("org.apache") && !e.getMessage().contains("\tat "));
    assertEquals(List.of("" + mine.size()), one("* | select count(*)"));
  }

  static String region(Event e) {
    return e.acsRegion();
  }

  @Test
  void stringFunctionsOverTheEvents() {
    Function<String, AnalysisResult> h = this::analyze;
    assertEquals(want(e -> e.eventName().substring(0, 3)), grouped(h, "substr(eventName, 1, 3)"));
    assertEquals(
        want(e -> e.eventName().substring(e.eventName().length() - 6)),
        grouped(h, "substr(eventName, -6)"));
    assertEquals(
        want(e -> e.eventName().indexOf("Object") + 1), grouped(h, "strpos(eventName, 'Object')"));
    assertEquals(want(e -> region(e).split("-")[1]), grouped(h, "split_part(acsRegion, '-', 2)"));
    assertEquals(want(e -> e.eventName().length()), grouped(h, "length(eventName)"));
    assertEquals(
        want(e -> new StringBuilder(region(e)).reverse()), grouped(h, "reverse(acsRegion)"));
    assertEquals(
        want(e -> "*".repeat(12 - region(e).length()) + region(e)),
        grouped(h, "lpad(acsRegion, 12, '*')"));
    assertEquals(want(e -> region(e).substring(0, 4)), grouped(h, "rpad(acsRegion, 4, '*')"));
    assertEquals(
        want(e -> e.eventName() + "/" + region(e) + "/" + e.userName()),
        grouped(h, "concat(eventName, '/', acsRegion, '/', \"userIdentity.userName\")"));
    assertEquals(want(e -> region(e).replace("cn-", "")), grouped(h, "replace(acsRegion, 'cn-')"));
    assertEquals(
        want(e -> region(e).replace("-", "::")), grouped(h, "replace(acsRegion, '-', '::')"));
    // concat with a NULL is NULL (errorCode is absent from most events)
    assertEquals(
        want(e -> e.getString("errorCode") == null ? "null" : e.getString("errorCode") + "!"),
        grouped(h, "concat(errorCode, '!')"));
  }

  /** Text literals beyond Latin-1, as Log Service takes them (user names in Chinese, emoji). */
  @Test
  void literalsInAnyScript() {
    assertEquals(
        List.of("中x", "3", "2", "😀a"),
        one(
            "* | select '中' || 'x', strpos('a😀b', 'b'),"
                + " length('张三'), reverse('a😀') limit 1"));
    assertEquals(
        List.of("0", "" + mine.size()),
        one("* | select count_if(\"userIdentity.userName\" = '张三'), count(*)"));
    assertEquals(
        List.of("" + mine.size()),
        one("* | select count(*) where concat(eventName, '·中') like '%中'"));
  }

  /** An untyped NULL the planner cannot implement: a plain error, not its plan and costs. */
  @Test
  void anUntypedNullIsAPlainError() {
    for (String q : List.of("* | select max_by(eventName, null)", "* | select arbitrary(null)")) {
      OpenTrailException e = assertThrows(OpenTrailException.class, () -> analyze(q));
      assertEquals("InvalidQuery", e.code(), q);
      assertTrue(e.getMessage().contains("cast(null AS varchar)"), e.getMessage());
      assertFalse(e.getMessage().contains("Enumerable"), e.getMessage());
      assertFalse(e.getMessage().contains("cost"), e.getMessage());
    }
    assertEquals(List.of("" + mine.size()), one("* | select count(*)"));
  }

  @Test
  void positionsOutOfRangeAndNullsAnswerAsLogService() {
    assertEquals(
        List.of("", "", "", "", "b", "bc", "c", "0", "1", "null", "", "c", "ab", "xxabc", "é"),
        one(
            "* | select substr('abc', 0), substr('abc', 4), substr('abc', -5), substr('abc', 2,"
                + " -1), substr('abc', -2, 1), substr('abc', 2, 99), substr('abc', -1),"
                + " strpos('abc', 'z'), strpos('abc', ''), split_part('a-b', '-', 3),"
                + " split_part('a,b,,c', ',', 3), split_part('abc', '', 3), lpad('abc', 2, 'x'),"
                + " lpad('abc', 5, 'x'), reverse('é') limit 1"));
    assertEquals(
        List.of("null", "null", "null", "null", "null", "null", "null", "null", "null", "null"),
        one(
            "* | select substr(errorCode, 1, 2), strpos(errorCode, 'x'), length(errorCode),"
                + " split_part(errorCode, '-', 1), lpad(errorCode, 3, 'x'),"
                + " regexp_like(errorCode, 'a'), regexp_extract(errorCode, 'a'),"
                + " regexp_replace(errorCode, 'a'), json_extract_scalar(errorCode, '$.a'),"
                + " url_extract_host(errorCode) from log where errorCode is null limit 1"));
    // a length up to the largest BIGINT reaches the end (start + length overflowed a long)
    assertEquals(
        List.of("bcdef", "f", ""),
        one(
            "* | select substr('abcdef', 2, 9223372036854775807), substr('abcdef', -1,"
                + " 9223372036854775807), substr('abcdef', -9223372036854775807,"
                + " 9223372036854775807) limit 1"));
    assertInvalid(
        "* | select split_part(acsRegion, '-', 0)", "split_part takes an index from 1", "not 0");
    assertInvalid("* | select lpad(acsRegion, -1, 'x')", "lpad needs a size of 0 or more");
    assertInvalid("* | select rpad(acsRegion, 3, '')", "rpad needs a padding string");
  }

  @Test
  void stringsComputedOver8KiBAreRefused() {
    String tooLong = "longer than " + LogSqlFunctions.MAX_TEXT + " characters";
    assertInvalid("* | select lpad(acsRegion, 9000, 'x')", "(with lpad)", tooLong);
    assertInvalid(
        "* | select concat(lpad('a', 5000, 'x'), '-', rpad('b', 5000, 'y'))", "(with ||", tooLong);
    assertInvalid(
        "* | select regexp_replace(lpad('a', 8000, 'x'), 'x', 'yy')",
        "(with regexp_replace)",
        tooLong);
    assertInvalid(
        "* | select json_extract_scalar('{\"a\":\"' || rpad('x', 5000, 'x') || '\"}',"
            + " '$.concat($.a, $.a)')",
        "(with json_extract_scalar)",
        tooLong);
    assertInvalid(
        "* | select date_format(__time__, rpad('%Y', 5000, '%Y'))", "(with date_format)", tooLong);
    // exactly 8 KiB is allowed
    assertEquals(
        List.of("" + LogSqlFunctions.MAX_TEXT),
        one("* | select length(rpad(acsRegion, 8192, 'x')) limit 1"));
  }

  @Test
  void regularExpressions() {
    Function<String, AnalysisResult> h = this::analyze;
    long deletes = mine.stream().filter(e -> e.eventName().startsWith("Delete")).count();
    assertEquals(
        List.of("" + deletes, "" + deletes),
        one(
            "* | select count_if(regexp_like(eventName, '^Delete')), count(*) filter (where"
                + " regexp_like(eventName, '^delete|^Delete'))"));
    assertEquals(
        want(e -> e.eventName().replaceAll("^.*?([A-Z][a-z]+)$", "$1")),
        grouped(h, "regexp_extract(eventName, '[A-Z][a-z]+$')"));
    assertEquals(
        want(e -> region(e).split("-")[1]),
        grouped(h, "regexp_extract(acsRegion, '^([a-z]+)-(\\w+)', 2)"));
    assertEquals(want(e -> "null"), grouped(h, "regexp_extract(acsRegion, '^zz')"));
    assertEquals(
        want(e -> region(e).replaceAll("[0-9-]", "")),
        grouped(h, "regexp_replace(acsRegion, '[0-9-]')"));
    assertEquals(
        want(e -> e.eventName().replaceAll("^(Put|Get)(.*)$", "$2.$1")),
        grouped(h, "regexp_replace(eventName, '^(Put|Get)(.*)$', '$2.$1')"));
  }

  @Test
  void badAndHugePatternsAreRefusedAndBacktrackingCannotRunAway() {
    assertInvalid(
        "* | select regexp_like(eventName, 'Put(Object')",
        "regexp_like: 'Put(Object' is not a valid regular expression");
    assertInvalid(
        "* | select regexp_extract(eventName, 'Put(Obj)', 2)",
        "the pattern 'Put(Obj)' has 1 group(s); there is no group 2");
    assertInvalid(
        "* | select regexp_replace(eventName, 'Put', '$3')",
        "regexp_replace: the replacement '$3'");
    String huge = "a".repeat(LogSqlRegex.MAX_PATTERN + 1);
    assertInvalid(
        "* | select regexp_like(eventName, '" + huge + "')",
        "is " + (LogSqlRegex.MAX_PATTERN + 1) + " characters long; at most 1000");
    // RE2/J copies a repeated piece per repetition: nested counts are refused, as RE2 does,
    // before they fill the heap; 1000 in all is fine
    assertInvalid(
        "* | select regexp_extract(eventName, '((((a{100}){100}){100}){100})')",
        "regexp_extract: the pattern '((((a{100}){100}){100}){100})' repeats a piece 100000000"
            + " times (counted repetitions, nested ones multiplied); at most 1000");
    assertInvalid(
        "* | select regexp_like(eventName, '(?:[a{]{2}\\{x(b{3,}){1000})')",
        "repeats a piece 3000 times");
    assertEquals(
        List.of("0"), one("* | select count_if(regexp_like(eventName, '^(?:a{10}\\{3}){100}$'))"));
    // SQL text inside a pattern is only text; a path that is no path says so
    assertEquals(
        List.of("0"), one("* | select count_if(regexp_like(eventName, '''; drop table log; --'))"));
    assertInvalid(
        "* | select json_extract_scalar(eventName, '$.a'' or 1=1')",
        "json_extract_scalar: '$.a' or 1=1' is not a JSON path");
    // (a+)+$ backtracks exponentially in java.util.regex; RE2 answers in linear time
    long t0 = System.nanoTime();
    assertEquals(
        List.of("0"),
        one("* | select count_if(regexp_like(rpad(eventName, 8000, 'a') || '!', '^(a+)+$'))"));
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
  }

  @Test
  void jsonFunctionsReadTheEventColumnOfATrailLogstore() throws Exception {
    Function<String, AnalysisResult> t = this::trail;
    assertEquals(
        want(LogSearchServiceTest::user),
        grouped(t, "json_extract_scalar(event, '$.userIdentity.userName')"));
    assertEquals(
        want(e -> "\"" + e.eventName() + "\""), grouped(t, "json_extract(event, '$.eventName')"));
    assertEquals(
        want(e -> Instant.parse(e.eventTime()).toString()),
        grouped(t, "json_extract_scalar(event, '$[\"eventTime\"]')"));
    // an object: JSON text, keys in the index configuration's order; a scalar only as a scalar
    Map<String, Long> ids = grouped(t, "json_extract(event, '$.userIdentity')");
    Map<String, Long> wantIds =
        want(
            e ->
                EventJson.toString(
                    Map.of("type", "ram-user", "userName", e.userName(), "accountId", A)));
    assertEquals(wantIds.size(), ids.size());
    for (Map.Entry<String, Long> id : ids.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) EventJson.read(id.getKey().getBytes("UTF-8"));
      assertEquals(Set.of("type", "userName", "accountId"), m.keySet());
      assertTrue(id.getKey().startsWith("{\"type\":\"ram-user\",\"userName\":"), id.getKey());
      assertEquals(want(e -> e.userName()).get(String.valueOf(m.get("userName"))), id.getValue());
    }
    List<String> row =
        trail(
                "* | select json_extract_scalar(event, '$.userIdentity'),"
                    + " json_extract_scalar(event, '$.no.such'), json_extract(event, '$.nothing'),"
                    + " json_extract_scalar(\"event.eventName\", '$.a'),"
                    + " json_extract_scalar('{\"a\":[1,{\"b\":true}]}', '$.a[1].b'),"
                    + " json_extract('{\"a\":[1,2]}', '$.a') limit 1")
            .rows()
            .get(0);
    assertEquals(List.of("null", "null", "null", "null", "true", "[1,2]"), row);
    assertInvalid(
        "* | select json_extract_scalar(eventName, '$.[')",
        "json_extract_scalar: '$.[' is not a JSON path");
    // another account never reads this logstore's event column
    OpenTrailException other =
        assertThrows(
            OpenTrailException.class,
            () ->
                search.analyze(
                    B, TRAIL, start, end, "* | select json_extract_scalar(event, '$.eventName')"));
    assertEquals("LogStoreNotExist", other.code());
    // the history's logs are the events themselves: no event column there
    assertInvalid("* | select json_extract_scalar(event, '$.eventName')", "event");
  }

  @Test
  void urlFunctions() {
    String url = "'https://oss.example.com:8443/b/k%20x?versionId=3&a=b'";
    assertEquals(
        List.of("oss.example.com", "/b/k%20x", "8443", "https", "versionId=3&a=b", "3", "null"),
        one(
            String.format(
                "* | select url_extract_host(%1$s), url_extract_path(%1$s),"
                    + " url_extract_port(%1$s), url_extract_protocol(%1$s),"
                    + " url_extract_query(%1$s), url_extract_parameter(%1$s, 'versionId'),"
                    + " url_extract_parameter(%1$s, 'zz') limit 1",
                url)));
    assertEquals(
        List.of("null", "null", "null"),
        one(
            "* | select url_extract_host('ht tp://x'), url_extract_port('http://h/'),"
                + " url_extract_parameter('http://h/p', 'a') limit 1"));
  }

  @Test
  void timesAreSecondsEverywhere() {
    long first = mine.stream().mapToLong(Event::eventTimeMillis).min().orElseThrow() / 1000;
    assertEquals(
        List.of(Instant.ofEpochSecond(first).toString(), Instant.ofEpochSecond(first).toString()),
        one("* | select min(cast(__time__ as timestamp)), min(from_unixtime(__time__))"));
    String n = "" + mine.size();
    assertEquals(
        List.of(n, n, n),
        one(
            "* | select count_if(to_unixtime(from_unixtime(__time__)) = __time__),"
                + " count_if(to_unixtime(cast(__time__ as timestamp)) = __time__),"
                + " count_if(cast(__time__ as timestamp) < current_timestamp)"));
    // a number written in the SQL is seconds too (Calcite folded its cast as milliseconds)
    assertEquals(
        List.of("2023-11-14T22:13:20Z", "2023-11-14T22:13:20.500Z", "1969-12-31T23:59:59Z", "1"),
        one(
            "* | select cast(1700000000 as timestamp), cast(1700000000.5 as timestamp(3)),"
                + " cast(-1 as timestamp), count_if(cast(1700000000 as timestamp) ="
                + " cast(__time__ * 0 + 1700000000 as timestamp)) from (select __time__ from log"
                + " limit 1)"));
    for (String f :
        List.of(
            "from_unixtime(9223372036854775807)",
            "date_trunc('day', 9223372036854775807)",
            "date_format(9223372036854775807, '%Y')")) {
      assertInvalid(
          "* | select " + f,
          f.substring(0, f.indexOf('('))
              + " takes Unix seconds from -31557014135596800 to 31556889832780799, not"
              + " 9223372036854775807.");
    }
    assertInvalid(
        "* | select cast(253402300800 as timestamp)",
        "cast(253402300800 as timestamp): a TIMESTAMP is from year 1 to 9999");
    double nowSeconds = System.currentTimeMillis() / 1000.0;
    List<String> now =
        one("* | select to_unixtime(now()), to_unixtime(current_timestamp), now() limit 1");
    assertEquals(nowSeconds, Double.parseDouble(now.get(0)), 10);
    assertEquals(nowSeconds, Double.parseDouble(now.get(1)), 10);
    assertEquals(
        Instant.ofEpochSecond((long) Double.parseDouble(now.get(0))).toString(), now.get(2));
    // Log Service's "the last hour" idiom; every event here is older than two hours
    long lastHour =
        mine.stream().filter(e -> e.eventTimeMillis() / 1000 > nowSeconds - 3600).count();
    assertEquals(
        List.of("" + lastHour, n),
        one(
            "* | select count_if(__time__ > to_unixtime(now()) - 3600),"
                + " count_if(__time__ < to_unixtime(now()) - 3600)"));
    assertEquals(
        List.of(
            "" + LocalDateTime.parse("2026-12-01T10:05:00").toEpochSecond(ZoneOffset.UTC) + ".5"),
        one("* | select to_unixtime('2026-12-01 10:05:00.500') limit 1"));
    assertInvalid("* | select to_unixtime('yesterday')", "to_unixtime takes a time", "yesterday");
    // date_trunc and date_format take seconds, Log Service's text times and TIMESTAMPs alike
    Map<String, Long> hours =
        want(
            e ->
                Instant.ofEpochMilli(e.eventTimeMillis()).truncatedTo(ChronoUnit.HOURS).toString());
    Function<String, AnalysisResult> h = this::analyze;
    assertEquals(hours, grouped(h, "date_trunc('hour', __time__)"));
    assertEquals(hours, grouped(h, "date_trunc('hour', from_unixtime(__time__))"));
    assertEquals(hours, grouped(h, "date_trunc('hour', cast(__time__ as timestamp))"));
    Map<String, Long> minutes =
        want(e -> Instant.ofEpochMilli(e.eventTimeMillis()).toString().substring(11, 16));
    assertEquals(minutes, grouped(h, "date_format(from_unixtime(__time__), '%H:%i')"));
    assertEquals(minutes, grouped(h, "date_format(cast(__time__ as timestamp), '%H:%i')"));
    assertEquals(
        List.of(Instant.now().toString().substring(0, 4)),
        one("* | select date_format(current_timestamp, '%Y') limit 1"));
  }

  @Test
  void aggregatesKeepOneValuePerGroup() {
    AnalysisResult r =
        analyze(
            "* | select eventName, count_if(errorCode is not null), arbitrary(acsRegion),"
                + " max_by(\"userIdentity.userName\", __time__), min_by(__time__, __time__),"
                + " arbitrary(errorCode), max_by(errorCode, __time__),"
                + " count_if(regexp_like(acsRegion, '^cn-')) group by eventName"
                + " having arbitrary(acsRegion) like '%-%' order by eventName");
    Map<String, List<Event>> byName =
        new TreeMap<>(mine.stream().collect(Collectors.groupingBy(Event::eventName)));
    assertEquals(byName.size(), r.rows().size());
    int i = 0;
    for (Map.Entry<String, List<Event>> g : byName.entrySet()) {
      List<String> row = r.rows().get(i++);
      List<Event> es = g.getValue();
      assertEquals(g.getKey(), row.get(0));
      assertEquals(
          "" + es.stream().filter(e -> e.getString("errorCode") != null).count(), row.get(1));
      assertTrue(es.stream().map(Event::acsRegion).toList().contains(row.get(2)), row.get(2));
      Event latest = es.stream().max(Comparator.comparingLong(Event::eventTimeMillis)).get();
      Event earliest = es.stream().min(Comparator.comparingLong(Event::eventTimeMillis)).get();
      assertEquals(latest.userName(), row.get(3));
      assertEquals("" + earliest.eventTimeMillis() / 1000, row.get(4));
      assertTrue(Set.of("AccessDenied", "NoSuchKey").contains(row.get(5)), row.get(5));
      // Calcite's MAX_BY skips rows whose x is NULL (Log Service would answer NULL here)
      Event latestError =
          es.stream()
              .filter(e -> e.getString("errorCode") != null)
              .max(Comparator.comparingLong(Event::eventTimeMillis))
              .get();
      assertEquals(latestError.getString("errorCode"), row.get(6));
      assertEquals(
          "" + es.stream().filter(e -> e.acsRegion().startsWith("cn-")).count(), row.get(7));
    }
    // no rows: NULL
    assertEquals(
        List.of("0", "null", "null"),
        one("eventName: nothing | select count_if(true), arbitrary(eventName), max_by(1, 2)"));
  }
}
