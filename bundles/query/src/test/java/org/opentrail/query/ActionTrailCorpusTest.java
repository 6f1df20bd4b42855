package org.opentrail.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.Provenance;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * Every real ActionTrail event of {@code src/test/resources/actiontrail-corpus} (published samples,
 * sources in each {@code .md}) is accepted and comes back from LookupEvents with every field as
 * sent, and is found by the lookup attributes it has and not by those it lacks. Only eventTime is
 * moved to an hour ago (the history keeps 90 days), in the same form.
 */
class ActionTrailCorpusTest {
  static final String ACCOUNT = "1234567890123456";
  static final Path CORPUS = Path.of("src/test/resources/actiontrail-corpus");
  @TempDir Path dir;
  EmbeddedEventStore store;
  EventRecorderService recorder;
  LookupEventsService query;

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
    query = new LookupEventsService(store, new byte[32]);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void everyRealSampleIsAcceptedReturnedAsSentAndFoundByItsAttributes() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 20, "the corpus has " + files.size() + " samples");
    String recent = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "";
    List<String> checked = new ArrayList<>();
    for (Path f : files) {
      String json = Files.readString(f, StandardCharsets.UTF_8);
      Event sample = EventJson.parseEvent(json.getBytes(StandardCharsets.UTF_8));
      Map<String, Object> fields = new LinkedHashMap<>(sample.fields());
      fields.put("eventTime", recent);
      Event in = Event.of(fields);
      Object recipient = fields.get("recipientAccountId");
      String account = recipient instanceof String r && r.matches("[0-9]{12,16}") ? r : ACCOUNT;
      EventOutcome o = recorder.record(account, List.of(in), Provenance.NONE).outcomes().get(0);
      if (recipient != null && !account.equals(recipient)) {
        // a 2016 sample addressed to account 12345: never recorded into another account
        assertEquals("AccountMismatch", o.errorCode(), f + ": " + o);
        continue;
      }
      assertTrue(o.stored(), f + ": " + o);
      Event stored = query.get(account, sample.eventId()).orElseThrow();
      for (Map.Entry<String, Object> field : fields.entrySet()) {
        assertEquals(
            EventJson.toString(field.getValue()),
            EventJson.toString(stored.fields().get(field.getKey())),
            f + ": " + field.getKey() + " comes back as sent");
      }
      assertTrue(found(account, "EventId", sample.eventId(), sample.eventId()), f + " EventId");
      assertTrue(found(account, "EventName", sample.eventName(), sample.eventId()), f + " Name");
      String rw = sample.eventRW();
      for (String kind : List.of("Read", "Write")) {
        assertEquals(
            kind.equals(rw),
            found(account, "EventRW", kind, sample.eventId()),
            f + ": EventRW=" + kind + " with eventRW " + rw);
      }
      Object identity = sample.get("userIdentity");
      if (identity instanceof Map<?, ?> id && id.get("userName") instanceof String user) {
        assertTrue(found(account, "User", user, sample.eventId()), f + " User");
      }
      if (identity instanceof Map<?, ?> id && id.get("accessKeyId") instanceof String key) {
        assertTrue(found(account, "EventAccessKeyId", key, sample.eventId()), f + " key");
      } else {
        assertTrue(
            !found(account, "EventAccessKeyId", "LTAI-none", sample.eventId()), f + " no key");
      }
      checked.add(f.getFileName().toString());
    }
    assertTrue(checked.size() >= 20, "checked " + checked);
    // case 01 of the shared real-world inputs: the root's loginAccount "alice" is not its user
    assertTrue(found(ACCOUNT, "User", "alice", "1.167_1627549154939_0001"));
    assertTrue(!found("6543210987654321", "User", "alice", "2546c4b7-6b56-403e-97d3-500d8d290001"));
  }

  private boolean found(String account, String key, String value, String eventId) {
    return query
        .lookup(
            LookupRequest.builder(account)
                .startTime(Instant.now().minus(2, ChronoUnit.HOURS).toString())
                .endTime(Instant.now().toString())
                .attribute(1, key, value)
                .maxResults("50")
                .build())
        .events()
        .stream()
        .anyMatch(e -> eventId.equals(e.eventId()));
  }
}
