package org.opentrail.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.Provenance;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.api.trail.InnerTrailStatus;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * The shapes ActionTrail itself produces are accepted and kept as sent; a rejected event names all
 * of its problems; every stored event says who recorded it; service-internal operations go only to
 * the account's inner trail.
 */
class RealShapesTest {
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

  private static String recent() {
    return Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "";
  }

  @Test
  void actionTrailsOwnShapesAreAcceptedAndKeptByteForByte() {
    String json =
        ("{\"eventId\":\"1.167_1AA2BB3CC4_0001\",\"eventVersion\":1,\"eventName\":\"ConsoleSignin\","
                + "\"eventType\":\"ConsoleSignin\",\"eventTime\":\"T\",\"serviceName\":\"AasSub\","
                + "\"sourceIpAddress\":\"Internal\",\"userIdentity\":{\"type\":\"root-account\"},"
                + "\"errorCode\":\"\",\"errorMessage\":null,\"isGlobal\":true,"
                + "\"additionalEventData\":{\"loginAccount\":\"alice@example.com\",\"mfaChecked\":\"false\","
                + "\"x.y.z\":12345678901234567890123,\"ok\":false}}")
            .replace("\"T\"", "\"" + recent() + "\"");
    Event in = EventJson.parseEvent(json.getBytes(StandardCharsets.UTF_8));
    RecordResult r = recorder.record(ACCOUNT, List.of(in), Provenance.NONE);
    assertEquals(1, r.accepted(), r.outcomes().toString());
    Event stored =
        store.find(EventStore.HISTORY, ACCOUNT, "1.167_1AA2BB3CC4_0001").orElseThrow().event();
    for (Map.Entry<String, Object> f : in.fields().entrySet()) {
      assertEquals(
          EventJson.toString(f.getValue()),
          EventJson.toString(stored.fields().get(f.getKey())),
          f.getKey() + " is kept as sent");
    }
    assertFalse(stored.fields().containsKey("eventRW"), "no eventRW is invented");
    assertTrue(stored.fields().containsKey("errorMessage"), "a null errorMessage stays null");
    assertEquals(Map.of("bundle", "org.opentrail.recorder"), stored.get("recordedBy"));
  }

  @Test
  void aRejectedEventNamesEveryProblem() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventRW", "Delete");
    e.put("eventVersion", 1.5);
    e.put("userIdentity", Map.of("userName", 7));
    e.put("eventTime", "yesterday");
    e.put("RecordedBy ", Map.of("bundle", "forged")); // a lookalike is refused as well
    e.put("resourceName", "r".repeat(3000));
    EventOutcome o =
        recorder.record(ACCOUNT, List.of(Event.of(e)), Provenance.NONE).outcomes().get(0);
    assertEquals(EventOutcome.Status.REJECTED, o.status());
    assertEquals("MissingField", o.errorCode(), "the first problem's code");
    for (String part :
        List.of(
            "8 problems",
            "no eventName",
            "no serviceName",
            "eventRW must be Read or Write",
            "eventVersion must be a string or a whole number",
            "recordedBy",
            "userIdentity.userName must be a string",
            "eventTime",
            "ResourceName has a value of 3000 characters")) {
      assertTrue(o.errorMessage().contains(part), part + " in: " + o.errorMessage());
    }
  }

  @Test
  void provenanceNamesTheSenderAndPrincipalAndCannotBeSetByTheEvent() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventName", "PutObject");
    e.put("serviceName", "MinIO");
    e.put("userIdentity", Map.of("type", "unknown"));
    RecordResult r =
        recorder.record(
            ACCOUNT,
            List.of(Event.of(e)),
            Provenance.principal("acs:ram::1234567890123456:user/alice", "LTAI1"));
    String id = r.outcomes().get(0).eventId();
    Event stored = store.find(EventStore.HISTORY, ACCOUNT, id).orElseThrow().event();
    assertEquals(
        Map.of(
            "bundle",
            "org.opentrail.recorder",
            "principal",
            "acs:ram::1234567890123456:user/alice",
            "accessKeyId",
            "LTAI1"),
        stored.get("recordedBy"));
    assertTrue(
        stored.eventTime().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
        "a time OpenTrail makes is whole seconds: " + stored.eventTime());
  }

  @Test
  void serviceInternalOperationsGoOnlyToACollectingInnerTrail() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventId", "lifecycle-1");
    e.put("eventName", "DeleteObject");
    e.put("eventRW", "Write");
    e.put("serviceName", "MinIO");
    e.put("resourceType", "ACS::OSS::Object");
    e.put("resourceName", "logs/old.gz");
    e.put("userIdentity", Map.of("type", "service"));
    e.put("eventTime", recent());
    Provenance from = Provenance.sender("minio/prod");
    RecordResult r = recorder.recordServiceInternal(ACCOUNT, List.of(Event.of(e)), from);
    assertEquals(1, r.notCollected(), "no inner trail: not collected, not stored");
    assertTrue(store.find(EventStore.HISTORY, ACCOUNT, "lifecycle-1").isEmpty());

    String stream = InnerTrail.stream(ACCOUNT, "innertrail_ops-trail");
    store.createStream(new StreamSpec(stream, 180, true));
    recorder.innerTrails(new OneInnerTrail(stream));
    r = recorder.recordServiceInternal(ACCOUNT, List.of(Event.of(e)), from);
    assertEquals(1, r.accepted(), r.outcomes().toString());
    assertTrue(store.find(EventStore.HISTORY, ACCOUNT, "lifecycle-1").isEmpty(), "not in history");
    Event stored = store.find(stream, ACCOUNT, "lifecycle-1").orElseThrow().event();
    assertEquals("lifecycle-1", stored.get("EventID"));
    assertEquals("MinIO", stored.get("EventProduct"));
    assertEquals("ALIYUN_INITIATED_SERVICE", stored.get("EventType"));
    assertEquals("logs/old.gz", stored.get("ResourceID"));
    assertEquals(ACCOUNT, stored.get("ResourceOwnerID"));
    assertEquals("Write", stored.get("EventMethod"));
    assertEquals("INFO", stored.get("EventLevel"));
    assertNull(stored.get("EventAdditionalDetail"), "absent fields stay absent");
    assertEquals("minio/prod", ((Map<?, ?>) stored.get("recordedBy")).get("sender"));
  }

  /**
   * An inner trail that always collects into one stream (the real one lives in the trail bundle).
   */
  private record OneInnerTrail(String stream) implements InnerTrailService {
    @Override
    public Optional<String> collectingStream(String accountId) {
      return ACCOUNT.equals(accountId) ? Optional.of(stream) : Optional.empty();
    }

    @Override
    public InnerTrail create(String accountId, String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<InnerTrail> get(String accountId) {
      return Optional.empty();
    }

    @Override
    public InnerTrailStatus status(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InnerTrail setRetention(String accountId, int retentionDays) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InnerTrail enable(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InnerTrail disable(String accountId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String accountId) {
      throw new UnsupportedOperationException();
    }
  }
}
