package org.opentrail.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreAnswer;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

class LookupEventsServiceTest {
  static final String ACCOUNT = "1234567890123456";
  @TempDir Path dir;
  EmbeddedEventStore store;
  EventRecorderService recorder;
  LookupEventsService query;
  Instant now = Instant.now();

  @BeforeEach
  void open() throws Exception {
    store =
        new EmbeddedEventStore(
            dir,
            Converters.standardConverter()
                .convert(Map.of("index.refresh.millis", 20))
                .to(StoreConfig.class));
    recorder =
        new EventRecorderService(
            store,
            Converters.standardConverter().convert(Map.of()).to(RecorderConfig.class),
            "cn-test");
    query = new LookupEventsService(store, LookupEventsService.tokenKey(dir.resolve("key")));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(
          event("user" + (i % 3), now.minus(i, ChronoUnit.HOURS), i % 2 == 0 ? "Read" : "Write"));
    }
    assertEquals(300, recorder.record(ACCOUNT, events).accepted());
    awaitIndexed();
  }

  @AfterEach
  void close() {
    store.close();
  }

  void awaitIndexed() throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      var info = store.stream(EventStore.HISTORY).orElseThrow();
      if (info.indexedSequence() >= info.lastSequence()) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("not indexed");
  }

  static Event event(String user, Instant time, String rw) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventName", rw.equals("Read") ? "DescribeInstances" : "StopInstance");
    e.put("eventRW", rw);
    e.put("eventTime", time.toString());
    e.put("serviceName", "Ecs");
    e.put(
        "userIdentity", Map.of("type", "ram-user", "userName", user, "accessKeyId", "AK-" + user));
    return Event.of(e);
  }

  LookupRequest.Builder req() {
    return LookupRequest.builder(ACCOUNT);
  }

  @Test
  void defaultsToTheLastSevenDaysTwentyNewestFirst() {
    LookupResult r = query.lookup(req().build());
    assertEquals(20, r.events().size());
    assertNotNull(r.nextToken());
    assertEquals(now, Instant.parse(r.events().get(0).eventTime()), "eventTime as sent");
    assertTrue(
        Instant.parse(r.events().get(0).eventTime())
            .isAfter(Instant.parse(r.events().get(1).eventTime())));
    assertEquals(7, java.time.Duration.between(r.startTime(), r.endTime()).toDays());
  }

  @Test
  void pagesThroughEverythingOnceWithAttributesAndBothDirections() {
    for (Direction d : Direction.values()) {
      Set<String> ids = new HashSet<>();
      String token = null;
      int pages = 0;
      do {
        LookupResult r =
            query.lookup(
                req()
                    .startTime(now.minus(400, ChronoUnit.HOURS))
                    .endTime(now)
                    .attribute(LookupKey.USER, "user1")
                    .attribute(LookupKey.EVENT_RW, "Write")
                    .maxResults(7)
                    .direction(d)
                    .nextToken(token)
                    .build());
        for (Event e : r.events()) {
          assertEquals("user1", e.userName());
          assertEquals("Write", e.eventRW());
          assertTrue(ids.add(e.eventId()));
        }
        token = r.nextToken();
        pages++;
      } while (token != null);
      assertEquals(50, ids.size(), d.toString()); // i % 3 == 1 and i odd: 50 of 300
      assertEquals(8, pages);
    }
  }

  @Test
  void anyNumberOfAttributesAreAnded() {
    LookupResult r =
        query.lookup(
            req()
                .startTime(now.minus(400, ChronoUnit.HOURS))
                .endTime(now)
                .maxResults(50)
                .attribute(LookupKey.USER, "user0")
                .attribute(LookupKey.EVENT_RW, "Read")
                .attribute(LookupKey.SERVICE_NAME, "Ecs")
                .attribute(LookupKey.EVENT_ACCESS_KEY_ID, "AK-user0")
                .attribute(LookupKey.EVENT_NAME, "DescribeInstances")
                .build());
    assertEquals(50, r.events().size());
    String id = r.events().get(3).eventId();
    LookupResult byId =
        query.lookup(
            req()
                .startTime(now.minus(400, ChronoUnit.HOURS))
                .endTime(now)
                .attribute(LookupKey.EVENT_ID, id)
                .build());
    assertEquals(List.of(id), byId.events().stream().map(Event::eventId).toList());
    assertNull(byId.nextToken());
  }

  @Test
  void nextTokenKeepsItsWindowAndPositionWhileEventsArrive() {
    LookupResult first = query.lookup(req().maxResults(5).build());
    recorder.record(ACCOUNT, List.of(event("late", Instant.now(), "Read")));
    LookupResult second = query.lookup(req().maxResults(5).nextToken(first.nextToken()).build());
    assertEquals(first.startTime(), second.startTime());
    assertEquals(first.endTime(), second.endTime());
    assertTrue(
        Instant.parse(second.events().get(0).eventTime())
            .isBefore(Instant.parse(first.events().get(4).eventTime())));
  }

  @Test
  void badParametersAreClearErrorsNamingTheParameter() {
    expect("MaxResults", b -> b.maxResults(0));
    expect("MaxResults", b -> b.maxResults(51));
    expect("MaxResults", b -> b.maxResults("twenty"));
    expect("EndTime", b -> b.startTime(now.minusSeconds(60)));
    expect("StartTime", b -> b.endTime(now));
    expect("StartTime", b -> b.startTime(now).endTime(now.minusSeconds(1)));
    expect("StartTime", b -> b.startTime("last tuesday"));
    expect("Direction", b -> b.direction("SIDEWAYS"));
    expect("LookupAttribute.1.Key", b -> b.attribute(1, "Colour", "red"));
    expect(
        "LookupAttribute.2.Value", b -> b.attribute(1, "User", "a").attribute(2, "EventName", ""));
    expect("LookupAttribute.1.Value", b -> b.attribute(LookupKey.USER, "x".repeat(1025)));
    expect("NextToken", b -> b.nextToken("not-a-token"));
    expect("AccountId", b -> {}, LookupRequest.builder("12"));
    String token = query.lookup(req().maxResults(5).build()).nextToken();
    char[] forged = token.toCharArray();
    forged[20] = forged[20] == 'A' ? 'B' : 'A';
    expect("NextToken", b -> b.nextToken(new String(forged)));
    InvalidParameterException other =
        expect("NextToken", b -> b.attribute(LookupKey.USER, "user0").nextToken(token));
    assertTrue(other.getMessage().contains("different query"), other.getMessage());
    var foreign = new LookupEventsService(store, new byte[32]);
    assertThrows(
        InvalidParameterException.class,
        () -> foreign.lookup(req().maxResults(5).nextToken(token).build()));
  }

  private InvalidParameterException expect(
      String parameter, Consumer<LookupRequest.Builder> setup) {
    return expect(parameter, setup, req());
  }

  private InvalidParameterException expect(
      String parameter, Consumer<LookupRequest.Builder> setup, LookupRequest.Builder b) {
    InvalidParameterException e =
        assertThrows(
            InvalidParameterException.class,
            () -> {
              setup.accept(b);
              query.lookup(b.build());
            });
    assertEquals(parameter, e.parameter(), e.getMessage());
    assertTrue(e.getMessage().contains(parameter) || parameter.equals("AccountId"), e.getMessage());
    return e;
  }

  @Test
  void getFindsByIdInTheAccountOnly() {
    String id = query.lookup(req().build()).events().get(0).eventId();
    assertEquals(id, query.get(ACCOUNT, id).orElseThrow().eventId());
    assertTrue(query.get("999999999999", id).isEmpty());
    assertTrue(query.get(ACCOUNT, "no-such-id").isEmpty());
  }

  /**
   * The real store, answering search() as a damaged store does: matches whose eventId is in {@code
   * damaged} are counted as unreadable and left out; the limit counts matches, readable or not.
   */
  static EventStore damaged(EventStore real, Set<String> damaged, List<String> rebuilding) {
    return (EventStore)
        java.lang.reflect.Proxy.newProxyInstance(
            EventStore.class.getClassLoader(),
            new Class<?>[] {EventStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("search")) {
                List<StoredEvent> all = real.query((StoreQuery) args[0]);
                List<StoredEvent> readable =
                    all.stream().filter(e -> !damaged.contains(e.event().eventId())).toList();
                return new StoreAnswer(
                    readable,
                    all.size() - readable.size(),
                    rebuilding,
                    all.isEmpty() ? null : all.get(all.size() - 1).position());
              }
              try {
                return method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** All the account's events in lookup order, as the store has them. */
  List<String> everything(Direction d) {
    List<String> ids = new ArrayList<>();
    String token = null;
    do {
      LookupResult r =
          query.lookup(
              req()
                  .startTime(now.minus(400, ChronoUnit.HOURS))
                  .endTime(now)
                  .maxResults(50)
                  .direction(d)
                  .nextToken(token)
                  .build());
      r.events().forEach(e -> ids.add(e.eventId()));
      token = r.nextToken();
    } while (token != null);
    return ids;
  }

  @Test
  void pagingOverUnreadableEventsReturnsEveryReadableOneOnceAndCountsTheRest() throws Exception {
    for (Direction d : Direction.values()) {
      List<String> all = everything(d);
      assertEquals(300, all.size());
      Set<String> bad = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        // scattered single ones, one at each page edge of 7, and a run of 30 (longer than a page)
        if (i % 11 == 3 || i % 7 == 6 || (i >= 100 && i < 130)) {
          bad.add(all.get(i));
        }
      }
      LookupEventsService damagedQuery =
          new LookupEventsService(
              damaged(store, bad, List.of("2026-11-29T00:00:00Z/2026-11-30T00:00:00Z")),
              LookupEventsService.tokenKey(dir.resolve("key")));
      List<String> seen = new ArrayList<>();
      int unreadable = 0;
      String token = null;
      do {
        LookupResult r =
            damagedQuery.lookup(
                req()
                    .startTime(now.minus(400, ChronoUnit.HOURS))
                    .endTime(now)
                    .maxResults(7)
                    .direction(d)
                    .nextToken(token)
                    .build());
        assertTrue(r.events().size() <= 7);
        assertEquals(List.of("2026-11-29T00:00:00Z/2026-11-30T00:00:00Z"), r.rebuilding());
        r.events().forEach(e -> seen.add(e.eventId()));
        unreadable += r.unreadable();
        token = r.nextToken();
      } while (token != null);
      List<String> readable = all.stream().filter(id -> !bad.contains(id)).toList();
      assertEquals(readable, seen, d + ": every readable event once, in order");
      assertEquals(bad.size(), unreadable, d + ": every unreadable match counted once");
    }
  }

  @Test
  void aCompleteAnswerSaysNothingIsMissing() {
    LookupResult r = query.lookup(req().build());
    assertEquals(0, r.unreadable());
    assertEquals(List.of(), r.rebuilding());
  }
}
