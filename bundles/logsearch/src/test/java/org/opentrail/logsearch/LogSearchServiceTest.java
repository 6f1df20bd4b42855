package org.opentrail.logsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.SearchResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.Logstores;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * Searches on a real embedded store of generated events, each answer compared with one computed
 * here by filtering the generated events in plain Java.
 */
class LogSearchServiceTest {
  static final String A = "1234567890123456";
  static final String B = "6543210987654321";
  static final String[] USERS = {"alice", "bob", "carol", "dave"};
  static final String[] NAMES = {
    "PutObject", "DeleteBucket", "GetObject", "CreateInstance", "DeleteObject"
  };
  static final String[] REGIONS = {"cn-hangzhou", "cn-beijing", "us-west-1"};
  static final int N = 3000;

  @TempDir Path dir;
  EmbeddedEventStore store;
  LogSearchService search;
  final List<Event> events = new ArrayList<>();
  Instant start;
  Instant end;

  @BeforeEach
  void setUp() throws Exception {
    store = store(dir.resolve("store"));
    start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    Random r = new Random(42);
    for (int i = 0; i < N; i++) {
      events.add(event(i % 3 == 2 ? B : A, start.plusSeconds(3L * i), r));
    }
    end = start.plusSeconds(3L * N);
    for (int i = 0; i < N; i += 500) {
      store.append(EventStore.HISTORY, events.subList(i, i + 500));
    }
    search = new LogSearchService(store, dir.resolve("logsearch"), 20);
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
  }

  @AfterEach
  void tearDown() throws Exception {
    search.close();
    store.close();
  }

  static EmbeddedEventStore store(Path d) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index.refresh.millis", 20);
    return new EmbeddedEventStore(
        d, Converters.standardConverter().convert(m).to(StoreConfig.class));
  }

  static Event event(String account, Instant time, Random r) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventId", UUID.randomUUID().toString());
    e.put("eventVersion", "1");
    e.put("eventTime", time.toString());
    e.put("eventName", NAMES[r.nextInt(NAMES.length)]);
    e.put("eventRW", r.nextBoolean() ? "Write" : "Read");
    e.put("eventType", "ApiCall");
    e.put("serviceName", "Oss");
    e.put("acsRegion", REGIONS[r.nextInt(REGIONS.length)]);
    e.put("recipientAccountId", account);
    int err = r.nextInt(6);
    if (err == 0) {
      e.put("errorCode", "AccessDenied");
      e.put("errorMessage", "Access denied for this user");
    } else if (err == 1) {
      e.put("errorCode", "NoSuchKey");
      e.put("errorMessage", "The specified key does not exist");
    }
    e.put(
        "userIdentity",
        Map.of(
            "type", "ram-user", "userName", USERS[r.nextInt(USERS.length)], "accountId", account));
    return Event.of(e);
  }

  /** The expected answer: account A's events matching, newest first. */
  List<Event> expected(String account, Predicate<Event> p) {
    return events.stream()
        .filter(e -> account.equals(e.recipientAccountId()) && p.test(e))
        .sorted(Comparator.comparingLong(Event::eventTimeMillis).reversed())
        .toList();
  }

  static String user(Event e) {
    return e.userName();
  }

  static boolean message(Event e, String part) {
    String m = e.getString("errorMessage");
    return m != null && m.toLowerCase(Locale.ROOT).contains(part);
  }

  void check(String logstore, String query, Predicate<Event> p) {
    List<Event> want = expected(A, p);
    SearchResult r = search.getLogs(A, logstore, start, end, query, 0, 100, true);
    assertTrue(r.complete(), query);
    assertEquals(want.size(), r.count(), "count of " + query);
    assertEquals(
        want.stream().limit(100).map(Event::eventId).toList(),
        r.events().stream().map(e -> e.event().eventId()).toList(),
        "newest 100 of " + query);
    // without the exact count: the same page, and a count that never overstates
    SearchResult uncounted = search.getLogs(A, logstore, start, end, query, 0, 100, true, false);
    assertEquals(
        r.events().stream().map(e -> e.event().eventId()).toList(),
        uncounted.events().stream().map(e -> e.event().eventId()).toList(),
        "newest 100 of " + query + " uncounted");
    assertTrue(
        uncounted.count() >= Math.min(want.size(), 100) && uncounted.count() <= want.size(),
        "lower bound " + uncounted.count() + " of " + want.size() + " for " + query);
    if (want.size() <= 100) {
      assertEquals(want.size(), uncounted.count(), "a page holding every match counts them all");
    }
    if (want.size() > 130) {
      SearchResult page = search.getLogs(A, logstore, start, end, query, 100, 30, true);
      assertEquals(
          want.subList(100, 130).stream().map(Event::eventId).toList(),
          page.events().stream().map(e -> e.event().eventId()).toList(),
          "second page of " + query);
      SearchResult oldest = search.getLogs(A, logstore, start, end, query, 0, 10, false);
      assertEquals(
          reversedTail(want).stream().map(Event::eventId).toList(),
          oldest.events().stream().map(e -> e.event().eventId()).toList(),
          "oldest first of " + query);
    }
  }

  static List<Event> reversedTail(List<Event> want) {
    List<Event> l = new ArrayList<>(want.subList(want.size() - 10, want.size()));
    java.util.Collections.reverse(l);
    return l;
  }

  @Test
  void searchesMatchAnswersComputedFromTheEvents() {
    String h = EventStore.HISTORY;
    check(h, "*", e -> true);
    check(h, "", e -> true);
    check(h, "eventName: DeleteBucket", e -> e.eventName().equals("DeleteBucket"));
    check(
        h,
        "eventName: deletebucket AND acsRegion: cn-beijing",
        e -> e.eventName().equals("DeleteBucket") && e.acsRegion().equals("cn-beijing"));
    check(
        h,
        "userIdentity.userName: alice or userIdentity.userName: bob",
        e -> user(e).equals("alice") || user(e).equals("bob"));
    check(h, "not eventName: GetObject", e -> !e.eventName().equals("GetObject"));
    check(h, "eventName: Delete*", e -> e.eventName().startsWith("Delete"));
    check(h, "eventName: Put?bject", e -> e.eventName().equals("PutObject"));
    // "key: *": the event has the field (Log Service), from the index's doc values
    check(h, "errorCode: *", e -> e.fields().get("errorCode") != null);
    check(h, "not errorMessage: *", e -> e.fields().get("errorMessage") == null);
    check(h, "errorMessage: \"access denied\"", e -> message(e, "access denied"));
    check(h, "errorMessage: \"denied access\"", e -> false);
    check(h, "errorMessage: exist", e -> message(e, "exist"));
    check(
        h,
        "(eventName: DeleteBucket or eventName: DeleteObject) and not errorCode: AccessDenied",
        e ->
            e.eventName().startsWith("Delete") && !"AccessDenied".equals(e.getString("errorCode")));
    check(
        h,
        "acsRegion: cn-beijing userIdentity.userName: carol",
        e -> e.acsRegion().equals("cn-beijing") && user(e).equals("carol"));
    long a = start.plusSeconds(1200).toEpochMilli();
    long b = start.plusSeconds(4800).toEpochMilli();
    check(
        h,
        "eventTime >= " + a + " and eventTime < " + b,
        e -> e.eventTimeMillis() >= a && e.eventTimeMillis() < b);
    check(h, "eventTime > " + a, e -> e.eventTimeMillis() > a);
    check(h, "eventTime <= " + a, e -> e.eventTimeMillis() <= a);
    check(
        h,
        "eventTime in [" + a + " " + b + "]",
        e -> e.eventTimeMillis() >= a && e.eventTimeMillis() <= b);
    check(
        h,
        "eventTime in (" + a + " " + b + ")",
        e -> e.eventTimeMillis() > a && e.eventTimeMillis() < b);
    // full text: a bare word, a phrase, combined with a field
    check(h, "carol", e -> user(e).equals("carol"));
    check(h, "\"cn-beijing\"", e -> e.acsRegion().equals("cn-beijing"));
    check(
        h,
        "NoSuchKey and not dave",
        e -> "NoSuchKey".equals(e.getString("errorCode")) && !user(e).equals("dave"));
  }

  @Test
  void histogramsCountPerBucket() {
    for (Duration interval : List.of(Duration.ofMinutes(1), Duration.ofHours(1))) {
      for (String q : List.of("*", "eventName: Delete*")) {
        Histogram hist = search.getHistograms(A, EventStore.HISTORY, start, end, q, interval);
        List<Event> want =
            expected(A, e -> !q.startsWith("eventName") || e.eventName().startsWith("Delete"));
        long[] counts =
            new long
                [(int)
                    ((end.toEpochMilli() - start.toEpochMilli() + interval.toMillis() - 1)
                        / interval.toMillis())];
        for (Event e : want) {
          counts[(int) ((e.eventTimeMillis() - start.toEpochMilli()) / interval.toMillis())]++;
        }
        assertEquals(counts.length, hist.buckets().size());
        for (int i = 0; i < counts.length; i++) {
          assertEquals(
              counts[i], hist.buckets().get(i).count(), q + " bucket " + i + " of " + interval);
          assertEquals(start.plus(interval.multipliedBy(i)), hist.buckets().get(i).from());
        }
        assertEquals(want.size(), hist.count());
        assertTrue(hist.complete());
      }
    }
  }

  @Test
  void aTrailLogstoreUsesLogServiceFieldNamesAndIsTheAccountsOwn() throws Exception {
    String stream = Logstores.stream(A, "actiontrail_audit");
    store.createStream(new StreamSpec(stream, 30, true));
    store.append(stream, events.stream().filter(e -> A.equals(e.recipientAccountId())).toList());
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
    check(
        "actiontrail_audit",
        "event.eventName: DeleteBucket and __topic__: actiontrail_audit_event",
        e -> e.eventName().equals("DeleteBucket"));
    check(
        "actiontrail_audit",
        "event.userIdentity.userName: bob and not event.acsRegion: us*",
        e -> user(e).equals("bob") && !e.acsRegion().startsWith("us"));
    OpenTrailException plain =
        assertThrows(
            OpenTrailException.class,
            () ->
                search.getLogs(
                    A, "actiontrail_audit", start, end, "eventName: PutObject", 0, 10, true));
    assertEquals("InvalidQuery", plain.code());
    assertTrue(plain.getMessage().contains("'eventName' is not indexed"), plain.getMessage());
    // another account has no such logstore
    OpenTrailException other =
        assertThrows(
            OpenTrailException.class,
            () -> search.getLogs(B, "actiontrail_audit", start, end, "*", 0, 10, true));
    assertEquals("LogStoreNotExist", other.code());
    assertEquals(404, other.httpStatus());
    assertEquals(
        404,
        assertThrows(OpenTrailException.class, () -> search.indexConfig(B, "actiontrail_audit"))
            .httpStatus());
  }

  @Test
  void theHistoryShowsEachAccountOnlyItsOwnEvents() {
    List<Event> mine = expected(B, e -> true);
    SearchResult r = search.getLogs(B, EventStore.HISTORY, start, end, "*", 0, 100, true);
    assertEquals(mine.size(), r.count());
    assertTrue(r.events().stream().allMatch(e -> B.equals(e.event().recipientAccountId())));
    assertEquals(
        0,
        search.getLogs(B, EventStore.HISTORY, start, end, A, 0, 100, true).count(),
        "full text of the other account's id finds nothing of it");
    assertEquals(
        0,
        search.getLogs("111111111111", EventStore.HISTORY, start, end, "*", 0, 100, true).count());
  }

  @Test
  void badQueriesAreClearErrors() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("(eventName: PutObject or eventName: GetObject", "character 1: this '(' is not closed");
    bad.put("eventName: PutObject and", "the query ends where");
    bad.put("and eventName: PutObject", "character 1: expected a term");
    bad.put("eventName: PutObject)", "unexpected ')'");
    bad.put("nosuch: x", "'nosuch' is not indexed");
    bad.put("* | select count(*)", "starts an analysis (SQL)");
    bad.put("eventName > 5", "needs a long or double field");
    bad.put("eventTime > soon", "'soon' is not a number");
    bad.put("eventName: *Object", "a wildcard cannot start a word");
    bad.put("\"unclosed", "the phrase is not closed");
    bad.put("eventName:", "the query ends where");
    for (var b : bad.entrySet()) {
      OpenTrailException e =
          assertThrows(
              OpenTrailException.class,
              () -> search.getLogs(A, EventStore.HISTORY, start, end, b.getKey(), 0, 10, true),
              b.getKey());
      assertEquals("InvalidQuery", e.code(), b.getKey());
      assertEquals(400, e.httpStatus());
      assertTrue(e.getMessage().contains(b.getValue()), b.getKey() + " -> " + e.getMessage());
    }
    for (int line : new int[] {0, 101, 1_000_000}) {
      OpenTrailException e =
          assertThrows(
              OpenTrailException.class,
              () -> search.getLogs(A, EventStore.HISTORY, start, end, "*", 0, line, true));
      assertEquals(400, e.httpStatus());
    }
    assertEquals(
        400,
        assertThrows(
                OpenTrailException.class,
                () ->
                    search.getHistograms(
                        A, EventStore.HISTORY, start, end, "*", Duration.ofMillis(10)))
            .httpStatus());
    assertEquals(
        400,
        assertThrows(
                OpenTrailException.class,
                () -> search.getLogs(A, EventStore.HISTORY, end, start, "*", 0, 10, true))
            .httpStatus());
    // still answering
    assertEquals(
        expected(A, e -> true).size(),
        search.getLogs(A, EventStore.HISTORY, start, end, "*", 0, 1, true).count());
  }

  @Test
  void aRestartResumesFromTheCheckpointAndADeletedIndexIsRebuilt() throws Exception {
    search.close();
    Path index = dir.resolve("logsearch/index/history");
    try (StreamIndex i =
        StreamIndex.open(EventStore.HISTORY, LogFields.defaults(EventStore.HISTORY), index)) {
      assertEquals(
          store.lastSequence(EventStore.HISTORY),
          i.indexed(),
          "the commit holds the last sequence");
    }
    Random r = new Random(7);
    List<Event> more = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      more.add(event(A, end.plusSeconds(i), r));
    }
    store.append(EventStore.HISTORY, more);
    events.addAll(more);
    end = end.plusSeconds(100);
    search = new LogSearchService(store, dir.resolve("logsearch"), 20);
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
    check(EventStore.HISTORY, "*", e -> true);
    search.close();
    StreamIndex.wipe(index);
    search = new LogSearchService(store, dir.resolve("logsearch"), 20);
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
    check(EventStore.HISTORY, "eventName: DeleteBucket", e -> e.eventName().equals("DeleteBucket"));
    check(EventStore.HISTORY, "*", e -> true);
  }

  @Test
  void aChangedIndexConfigReindexesTheLogstore() throws Exception {
    String stream = Logstores.stream(A, "actiontrail_audit");
    store.createStream(new StreamSpec(stream, 30, true));
    store.append(stream, events.stream().filter(e -> A.equals(e.recipientAccountId())).toList());
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
    var fields = new LinkedHashMap<>(search.indexConfig(A, "actiontrail_audit").fields());
    fields.put("event.serviceName", org.opentrail.api.logsearch.IndexConfig.FieldType.TEXT);
    fields.remove("event.acsRegion");
    search.setIndexConfig(
        A, "actiontrail_audit", new org.opentrail.api.logsearch.IndexConfig(false, fields));
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
    check(
        "actiontrail_audit",
        "event.serviceName: oss and event.eventName: GetObject",
        e -> e.eventName().equals("GetObject"));
    assertThrows(
        OpenTrailException.class,
        () ->
            search.getLogs(
                A, "actiontrail_audit", start, end, "event.acsRegion: cn-beijing", 0, 10, true));
    assertThrows(
        OpenTrailException.class,
        () -> search.getLogs(A, "actiontrail_audit", start, end, "alice", 0, 10, true));
    search.close();
    search = new LogSearchService(store, dir.resolve("logsearch"), 20);
    assertEquals(
        fields.keySet(),
        search.indexConfig(A, "actiontrail_audit").fields().keySet(),
        "kept durably");
    assertEquals(
        403,
        assertThrows(
                OpenTrailException.class,
                () ->
                    search.setIndexConfig(
                        A, EventStore.HISTORY, search.indexConfig(A, EventStore.HISTORY)))
            .httpStatus());
  }
}
