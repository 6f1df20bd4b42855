package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.minio.Samples.assertAbsent;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.internal.source.PayloadException;
import org.opentrail.internal.source.Translation;

/** How bodies are framed, and what happens to partial, malformed and replayed ones. */
class BodyFormatsTest {
  /** The realworld entry on one line, as MinIO's json.Encoder writes it (with its newline). */
  static String line() {
    return EventJson.toString(EventJson.read(Samples.bytes(RealWorldCaseTest.CASE))) + "\n";
  }

  /** The entry with another request id, so that it is another request. */
  static String line(int i) {
    return line().replace("17CDC1F4D7E69123", String.format("17CDC1F4D7E6%04X", i));
  }

  static PayloadException refused(String body) {
    return assertThrows(
        PayloadException.class,
        () -> Samples.TRANSLATOR.translate(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aBatchOfNewlineDelimitedEntriesIsOneEventEach() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      body.append(line(i));
    }
    Translation t = Samples.translateText(body.toString());
    assertEquals(100, t.events().size());
    Set<String> ids = new HashSet<>();
    t.events().forEach(e -> ids.add(e.eventId()));
    assertEquals(100, ids.size());
  }

  @Test
  void arraysConcatenationsAndLineEndingsAreTheSameEntries() {
    String a = line(1).strip();
    String b = line(2).strip();
    List<Event> ndjson = Samples.translateText(a + "\n" + b + "\n").events();
    assertEquals(ndjson, Samples.translateText("[" + a + "," + b + "]").events());
    assertEquals(ndjson, Samples.translateText(a + b).events());
    assertEquals(ndjson, Samples.translateText("\r\n " + a + "\r\n\r\n" + b + "\r\n").events());
    assertEquals(ndjson, Samples.translateText("[" + a + "]\n[" + b + "]").events());
  }

  @Test
  void aRetriedEntryHasTheSameIdHoweverItIsFormatted() {
    Event compact = Samples.translateText(line()).events().get(0);
    Event pretty = Samples.one(RealWorldCaseTest.CASE);
    assertEquals(compact.eventId(), pretty.eventId());
    // the same entry twice in one body (a retry racing a new batch) gives two events, one id
    List<Event> twice = Samples.translateText(line() + line()).events();
    assertEquals(twice.get(0).eventId(), twice.get(1).eventId());
    // another request id is another event
    assertFalse(compact.eventId().equals(Samples.translateText(line(7)).events().get(0).eventId()));
  }

  @Test
  void missingFieldsStayAbsent() {
    Map<String, Object> entry =
        Map.of(
            "version", "1",
            "time", "2025-01-02T03:04:05.678Z",
            "trigger", "incoming",
            "api", Map.of("name", "ListBuckets"));
    Event e = Samples.translateText(EventJson.toString(entry)).events().get(0);
    assertEquals("ListBuckets", e.eventName());
    assertEquals("2025-01-02T03:04:05Z", e.eventTime());
    for (String absent :
        List.of(
            "errorCode",
            "errorMessage",
            "requestId",
            "sourceIpAddress",
            "userAgent",
            "eventSource",
            "resourceType",
            "resourceName",
            "referencedResources",
            "requestParameters",
            "responseElements")) {
      assertAbsent(e, absent);
    }
    assertEquals(Map.of("type", "unknown"), e.get("userIdentity"), "no headers: not known");
  }

  @Test
  void aBadEntryIsSkippedWithItsReasonAndTheOthersAreKept() {
    String body =
        line(1)
            + "{\"version\":\"1\",\"time\":\"2025-01-02T03:04:05Z\",\"api\":\"PutObject\"}\n"
            + line(2)
            + "{\"version\":\"1\",\"time\":\"yesterday\",\"api\":{\"name\":\"GetObject\"}}\n"
            + "{\"version\":\"1\",\"time\":\"2025-01-02T03:04:05Z\",\"api\":{\"name\":\"GetObject\","
            + "\"statusCode\":\"200\"}}\n"
            + "{\"version\":\"1\",\"time\":\"2025-01-02T03:04:05Z\"}\n"
            + "{\"version\":\"1\",\"time\":\"2025-01-02T03:04:05Z\",\"trigger\":\"incoming\","
            + "\"api\":{}}\n"
            + "\"hello\"\n";
    Translation t = Samples.translateText(body);
    assertEquals(2, t.events().size());
    assertEquals(
        List.of(
            "entry 1: api is not an object",
            "entry 3: time is not an RFC 3339 time with a zone",
            "entry 4: api.statusCode is not a whole number",
            "entry 5: it has no api",
            "entry 6: it names no operation (api.name is empty)",
            "entry 7: a string, not a JSON object"),
        t.unreadable());
  }

  @Test
  void aBodyWithNoRecordableEntryIsRefused() {
    PayloadException e = refused("{\"version\":\"1\",\"api\":{\"name\":\"GetObject\"}}");
    assertEquals(
        "No entry of the body is a MinIO audit entry: entry 0: it has no time.", e.getMessage());
    refused("");
    refused("  \n ");
    refused("[]");
    assertTrue(refused(line().substring(0, 200)).getMessage().startsWith("The body is not"));
  }

  @Test
  void malformedJsonIsRefusedWithoutQuotingSecrets() {
    String e = refused("password=hunter2&user=alice").getMessage();
    assertTrue(e.startsWith("The body is not MinIO's audit log"), e);
    assertFalse(e.contains("hunter2"), e);
    String dup =
        refused(
                "{\"version\":\"1\",\"version\":\"2\",\"time\":\"2025-01-02T03:04:05Z\",\"api\":{}}")
            .getMessage();
    assertTrue(dup.contains("Duplicate field 'version'"), dup);
    refused("[".repeat(100) + "]".repeat(100));
    refused(line() + "}");
  }

  @Test
  void timesWithOffsetsOrShortFractionsAreReadAsUtcAndNeverRoundedUp() {
    assertEquals(
        new EntryTime("2024-05-09T07:38:10Z", 1715240290999L),
        EntryTime.parse("2024-05-09T07:38:10.999999999Z"));
    assertEquals(
        new EntryTime("2024-05-09T07:38:10Z", 1715240290400L),
        EntryTime.parse("2024-05-09T07:38:10.4Z"));
    assertEquals(
        new EntryTime("2024-05-09T07:38:10Z", 1715240290000L),
        EntryTime.parse("2024-05-09T07:38:10Z"));
    assertEquals(
        "2024-05-09T07:38:10Z", EntryTime.parse("2024-05-09T09:38:10.5+02:00").eventTime());
    assertThrows(java.time.DateTimeException.class, () -> EntryTime.parse("2024-02-30T07:38:10Z"));
    assertThrows(java.time.DateTimeException.class, () -> EntryTime.parse("2024-05-09 07:38:10"));
    assertThrows(java.time.DateTimeException.class, () -> EntryTime.parse("2024-05-09T25:38:10Z"));
    assertThrows(java.time.DateTimeException.class, () -> EntryTime.parse("2024-05-09T07:38:1xZ"));
  }

  @Test
  void unknownFieldsAreKeptNotDropped() {
    Map<String, Object> entry =
        Map.of(
            "version", "1",
            "time", "2025-01-02T03:04:05Z",
            "siteName", "eu-west",
            "futureField", List.of(1, 2),
            "api", Map.of("name", "GetObject", "bucket", "b", "futureApiField", true));
    Event e = Samples.translateText(EventJson.toString(entry)).events().get(0);
    assertEquals("eu-west", Samples.at(e, "additionalEventData", "siteName"));
    assertEquals(List.of(1, 2), Samples.at(e, "additionalEventData", "futureField"));
    assertEquals(true, Samples.at(e, "additionalEventData", "api", "futureApiField"));
    assertNull(Samples.at(e, "additionalEventData", "api", "name"), "mapped, not repeated");
  }
}
