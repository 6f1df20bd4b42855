package org.opentrail.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StorageFullException;
import org.opentrail.api.store.StoreUnavailableException;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

class EventRecorderServiceTest {
  static final String ACCOUNT = "1234567890123456";
  @TempDir Path dir;
  EmbeddedEventStore store;
  EventRecorderService recorder;

  @BeforeEach
  void open() throws Exception {
    store =
        new EmbeddedEventStore(
            dir, Converters.standardConverter().convert(Map.of()).to(StoreConfig.class));
    recorder =
        new EventRecorderService(
            store,
            Converters.standardConverter().convert(Map.of()).to(RecorderConfig.class),
            "cn-test");
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Map<String, Object> valid() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventName", "CreateBucket");
    e.put("eventRW", "Write");
    e.put("serviceName", "Oss");
    e.put(
        "userIdentity",
        Map.of("type", "ram-user", "userName", "alice", "accessKeyId", "LTAIexample"));
    e.put("resourceName", "my-bucket");
    e.put("vendorExtension", Map.of("depth", List.of(1, 2.5, true)));
    return e;
  }

  static Event with(String field, Object value) {
    Map<String, Object> e = valid();
    if (value == null) {
      e.remove(field);
    } else {
      e.put(field, value);
    }
    return Event.of(e);
  }

  @Test
  void fillsIdTimeAccountAndRegionAndKeepsUnknownFields() {
    RecordResult r = recorder.record(ACCOUNT, List.of(Event.of(valid()), Event.of(valid())));
    assertEquals(2, r.accepted());
    String id1 = r.outcomes().get(0).eventId();
    String id2 = r.outcomes().get(1).eventId();
    assertTrue(
        id1.matches("[0-9A-F]{8}-[0-9A-F]{4}-7[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}"), id1);
    assertTrue(id1.compareTo(id2) < 0, "ids are time-ordered");
    Event stored = store.find(EventStore.HISTORY, ACCOUNT, id1).orElseThrow().event();
    assertEquals(ACCOUNT, stored.recipientAccountId());
    assertEquals("cn-test", stored.acsRegion());
    assertEquals("Management", stored.eventCategory());
    assertNotNull(Instant.parse(stored.eventTime()));
    assertEquals(
        Map.of("depth", List.of(1, new java.math.BigDecimal("2.5"), true)),
        stored.get("vendorExtension"));
  }

  @Test
  void storesTheGoodEventsOfABatchAndSaysWhyEachBadOneIsNot() {
    String now = Instant.now().toString();
    List<Event> batch = new ArrayList<>();
    batch.add(Event.of(valid()));
    batch.add(with("eventName", null));
    batch.add(with("eventName", 42));
    batch.add(with("eventRW", "Delete"));
    batch.add(with("userIdentity", "alice"));
    batch.add(with("userIdentity", Map.of("userName", 7)));
    batch.add(with("requestParameters", Map.of("blob", "x".repeat(300_000))));
    batch.add(with("recipientAccountId", "999999999999"));
    batch.add(with("eventTime", Instant.now().plus(2, ChronoUnit.HOURS).toString()));
    batch.add(with("eventTime", Instant.now().minus(91, ChronoUnit.DAYS).toString()));
    batch.add(with("eventTime", "yesterday"));
    batch.add(with("eventId", "has space"));
    batch.add(with("referencedResources", Map.of("ACS::OSS::Bucket", 5)));
    batch.add(with("resourceName", "r".repeat(2000)));
    batch.add(with("eventCategory", "Gossip"));
    batch.add(with("eventTime", now.replace("Z", "+08:00")));
    batch.add(null);
    RecordResult r = recorder.record(ACCOUNT, batch);
    List<String> codes = r.outcomes().stream().map(o -> o.stored() ? "OK" : o.errorCode()).toList();
    assertEquals(
        List.of(
            "OK",
            "MissingField",
            "InvalidFieldType",
            "InvalidFieldValue",
            "InvalidFieldType",
            "InvalidFieldType",
            "EventTooLarge",
            "AccountMismatch",
            "EventTimeOutOfRange",
            "EventTimeOutOfRange",
            "InvalidFieldValue",
            "InvalidFieldValue",
            "InvalidFieldType",
            "InvalidFieldValue",
            "InvalidFieldValue",
            "OK",
            "InvalidFieldType"),
        codes);
    assertTrue(
        r.outcomes().get(1).errorMessage().contains("eventName"),
        r.outcomes().get(1).errorMessage());
    assertTrue(r.outcomes().get(3).errorMessage().contains("Read or Write"));
    assertNull(r.outcomes().get(1).eventId());
    assertEquals(
        2,
        store.stream(EventStore.HISTORY).orElseThrow().eventCount(),
        "only the good ones are stored");
    Event shifted =
        store
            .find(EventStore.HISTORY, ACCOUNT, r.outcomes().get(15).eventId())
            .orElseThrow()
            .event();
    assertEquals(
        Instant.parse(now).minus(8, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS),
        Instant.parse(shifted.eventTime()));
    assertTrue(shifted.eventTime().endsWith("Z"));
  }

  @Test
  void oversizedBatchesAreRefusedWholeAndStoreNothing() {
    List<Event> many = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      many.add(Event.of(valid()));
    }
    OpenTrailException tooMany =
        assertThrows(OpenTrailException.class, () -> recorder.record(ACCOUNT, many));
    assertEquals("BatchTooLarge", tooMany.code());
    assertEquals(400, tooMany.httpStatus());

    List<Event> big = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      big.add(with("requestParameters", Map.of("blob", "y".repeat(250_000))));
    }
    OpenTrailException tooBig =
        assertThrows(OpenTrailException.class, () -> recorder.record(ACCOUNT, big));
    assertEquals("BatchTooLarge", tooBig.code());
    assertEquals(0, store.stream(EventStore.HISTORY).orElseThrow().eventCount());
  }

  @Test
  void recordingAnEventIdAgainAnswersWithTheOriginal() {
    Map<String, Object> e = new HashMap<>(valid());
    e.put("eventId", "B702AFA3-FD4B-40E3-88E4-C0752FAA0001");
    e.put("eventTime", Instant.now().minusSeconds(60).toString());
    Event event = Event.of(e);
    assertEquals(
        EventOutcome.Status.ACCEPTED,
        recorder.record(ACCOUNT, List.of(event)).outcomes().get(0).status());
    EventOutcome again = recorder.record(ACCOUNT, List.of(event)).outcomes().get(0);
    assertEquals(EventOutcome.Status.DUPLICATE, again.status());
    assertEquals("B702AFA3-FD4B-40E3-88E4-C0752FAA0001", again.eventId());
    assertEquals(1, store.stream(EventStore.HISTORY).orElseThrow().eventCount());
  }

  @Test
  void eventsParsedFromJsonRecordTheSame() {
    byte[] json =
        ("[" + EventJson.toString(valid()) + ", {\"eventName\": 1}]")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    RecordResult r = recorder.record(ACCOUNT, EventJson.parseEvents(json));
    assertEquals(1, r.accepted());
    assertEquals(1, r.rejected());
  }

  @Test
  void malformedAccountIdIsAParameterError() {
    InvalidParameterException e =
        assertThrows(
            InvalidParameterException.class,
            () -> recorder.record("12ab", List.of(Event.of(valid()))));
    assertEquals("AccountId", e.parameter());
  }

  @Test
  void aFullDiskIsStorageFullForTheWholeBatchAndRecordingResumesWhenSpaceIsFreed() {
    java.util.concurrent.atomic.AtomicBoolean full =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    EventStore fullStore =
        (EventStore)
            java.lang.reflect.Proxy.newProxyInstance(
                EventStore.class.getClassLoader(),
                new Class<?>[] {EventStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("append") && full.get()) {
                    throw new StorageFullException(
                        "ServiceUnavailable.StorageFull: 12 MB free on /data, floor 256 MB");
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    EventRecorderService r =
        new EventRecorderService(
            fullStore,
            Converters.standardConverter().convert(Map.of()).to(RecorderConfig.class),
            "cn-test");
    List<Event> batch = List.of(Event.of(valid()), Event.of(valid()));
    long before = store.lastSequence(EventStore.HISTORY);
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> r.record(ACCOUNT, batch));
    assertTrue(e instanceof StoreUnavailableException, "a StoreUnavailable: retry later");
    assertEquals("ServiceUnavailable.StorageFull", e.code(), "its code, not a generic one");
    assertEquals(503, e.httpStatus());
    assertTrue(e.getMessage().contains("floor 256 MB"), e.getMessage());
    assertEquals(before, store.lastSequence(EventStore.HISTORY), "nothing of the batch stored");
    full.set(false);
    assertEquals(2, r.record(ACCOUNT, batch).accepted(), "recording resumes once space is freed");
  }
}
