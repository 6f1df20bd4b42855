package org.opentrail.source.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.kubernetes.Payloads.at;
import static org.opentrail.source.kubernetes.Payloads.entry;
import static org.opentrail.source.kubernetes.Payloads.eventList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.LookupKey;
import org.opentrail.internal.source.PayloadException;
import org.opentrail.internal.source.Translation;

/** Partial, malformed, oversized and replayed bodies. */
class MalformedTest {
  final KubernetesTranslator translator = Payloads.translator();

  private PayloadException refused(String body) {
    return assertThrows(PayloadException.class, () -> Payloads.translateText(translator, body));
  }

  private Translation ok(String body) throws PayloadException {
    return Payloads.translateText(translator, body);
  }

  @Test
  void bodiesThatAreNotAnEventListAreRefused() {
    assertTrue(refused("").getMessage().contains("JSON"));
    assertTrue(refused("not json").getMessage().contains("not valid JSON"));
    assertTrue(refused("[]").getMessage().contains("EventList"));
    String complete = Payloads.text("case09-input-2-ResponseComplete.json");
    assertTrue(refused(complete.substring(0, complete.length() / 2)).getMessage().contains("JSON"));
    assertTrue(refused(complete.strip() + "{}").getMessage().contains("more than one"));
    // a single audit Event (the log backend's line) is not what the webhook sends
    assertTrue(
        refused("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"x\"}")
            .getMessage()
            .contains("not kind Event"));
    assertTrue(
        refused(
                complete.replace(
                    "audit.k8s.io/v1\",\"metadata", "audit.k8s.io/v1alpha1\",\"metadata"))
            .getMessage()
            .contains("audit.k8s.io/v1alpha1"));
    assertTrue(
        refused("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":{}}")
            .getMessage()
            .contains("array"));
  }

  @Test
  void duplicateKeysAreRefused() {
    String twice =
        eventList(
            entry("a-1", "delete", "alice")
                .replace("\"verb\":\"delete\"", "\"verb\":\"delete\",\"verb\":\"get\""));
    assertTrue(refused(twice).getMessage().toLowerCase().contains("duplicate"));
  }

  @Test
  void malformedItemsAreSkippedAndTheRestRecorded() throws Exception {
    Translation t =
        ok(
            eventList(
                "42",
                "{\"stage\":\"ResponseComplete\",\"verb\":\"get\"}",
                entry("b-1", "get", "alice").replace("\"user\":{", "\"user\":\"alice\",\"x\":{"),
                entry("b-2", "get", "alice").replace("2024-06-01T08:00:00.000001Z", "yesterday"),
                entry("b-3", "get", "alice")
                    .replace("\"stage\":\"ResponseComplete\"", "\"stage\":\"Finished\""),
                entry("b-4", "get", "alice")
                    .replace("2024-06-01T08:00:00.000001Z", "2024-02-30T08:00:00Z"),
                entry("ok", "delete", "alice")));
    assertEquals(1, t.events().size());
    assertEquals("ok", t.events().get(0).getString("requestId"));
    assertEquals(
        List.of(
            "malformed item 1: not an object",
            "malformed item 2: auditID, stage and verb must be non-empty strings",
            "malformed item 3 (auditID b-1): user must be an object",
            "malformed item 4 (auditID b-2): not an RFC 3339 time: yesterday",
            "unknown stage Finished of auditID b-3",
            "malformed item 6 (auditID b-4): not an RFC 3339 time: 2024-02-30T08:00:00Z"),
        t.unreadable());
    assertEquals(List.of(), t.skipped(), "nothing superseded here");
  }

  @Test
  void partialEntriesKeepWhatIsThereAndInventNothing() throws Exception {
    Translation t =
        ok(
            eventList(
                "{\"auditID\":\"p-1\",\"stage\":\"ResponseComplete\",\"verb\":\"delete\","
                    + "\"stageTimestamp\":\"2024-06-01T08:00:00.5+02:00\"}"));
    Event e = t.events().get(0);
    assertEquals("delete -", e.eventName(), "no URI and no objectRef");
    assertEquals("2024-06-01T06:00:00Z", e.eventTime(), "stageTimestamp, in UTC");
    assertTrue(e.userIdentity().isEmpty(), "no user: an empty identity, nothing invented");
    for (String absent :
        List.of(
            "sourceIpAddress",
            "userAgent",
            "resourceType",
            "resourceName",
            "errorCode",
            "errorMessage",
            "responseElements",
            "apiVersion")) {
      assertNull(e.get(absent), absent);
    }
    assertEquals("p-1", at(e, "additionalEventData", "auditID"));
    Translation noTime =
        ok(eventList("{\"auditID\":\"p-2\",\"stage\":\"Panic\",\"verb\":\"get\"}"));
    Event panic = noTime.events().get(0);
    assertNull(panic.eventTime(), "the recorder stamps its own time; none is invented here");
    assertEquals("Panic", panic.getString("errorCode"), "a Panic stage without a status failed");
    assertTrue(
        ok("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":null}").entries()
            == 0);
  }

  @Test
  void replayedEntriesHaveTheSameEventId() throws Exception {
    String body = Payloads.text("kodekloud-citadel-batch.json");
    Translation a = ok(body);
    Translation b = ok(body);
    assertEquals(a.events(), b.events());
    assertEquals(a.serviceInternal(), b.serviceInternal());
    // the same entry twice in one body: two events with one eventId, the store keeps one
    Translation twice = ok(eventList(entry("r-1", "get", "alice"), entry("r-1", "get", "alice")));
    assertEquals(twice.events().get(0).eventId(), twice.events().get(1).eventId());
  }

  @Test
  void moreItemsThanTheRecorderTakesAreRefused() {
    List<String> items =
        new ArrayList<>(
            Collections.nCopies(EventRecorder.MAX_BATCH_EVENTS + 1, entry("m", "get", "a")));
    assertTrue(
        refused(eventList(items.toArray(String[]::new)))
            .getMessage()
            .contains("--audit-webhook-batch-max-size"));
  }

  @Test
  void oversizedObjectsAreDroppedToKeepTheEvent() throws Exception {
    String big = "x".repeat(300_000);
    String item =
        entry("big-1", "create", "alice")
            .replace(
                "\"responseStatus\"",
                "\"requestObject\":{\"kind\":\"ConfigMap\",\"data\":{\"blob\":\""
                    + big
                    + "\"}},\"responseObject\":{\"kind\":\"ConfigMap\",\"data\":{\"blob\":\""
                    + big
                    + "\"}},\"responseStatus\"");
    Event kept =
        Payloads.keeping()
            .translate(eventList(item).getBytes(StandardCharsets.UTF_8))
            .events()
            .get(0);
    assertTrue(kept.jsonSize() < EventRecorder.MAX_EVENT_BYTES, "size " + kept.jsonSize());
    assertNull(at(kept, "requestParameters", "requestObject"));
    assertTrue(
        ((String) at(kept, "additionalEventData", "omitted", "requestObject"))
            .startsWith("too large"));
    Event dropped = ok(eventList(item)).events().get(0);
    assertTrue(dropped.jsonSize() < 2048, "not read at all when not kept: " + dropped.jsonSize());
  }

  @Test
  void longValuesAreCutToWhatLookupsIndex() throws Exception {
    String name = "n".repeat(5000);
    Event e =
        ok(eventList(
                entry("l-1", "get", "u".repeat(3000))
                    .replace(
                        "\"apiVersion\":\"v1\"}",
                        "\"apiVersion\":\"v1\",\"name\":\"" + name + "\"}")))
            .events()
            .get(0);
    for (LookupKey k : LookupKey.values()) {
      for (String v : k.valuesOf(e)) {
        assertTrue(v.length() <= LookupKey.MAX_VALUE_LENGTH, k + " " + v.length());
      }
    }
    assertTrue(e.userName().endsWith("...(3000 chars)"));
  }

  @Test
  void deeplyNestedObjectsAreCutSoTheEventCanBeReadBack() throws Exception {
    String deep = "{\"a\":".repeat(80) + "1" + "}".repeat(80);
    String item =
        entry("d-1", "create", "alice")
            .replace("\"responseStatus\"", "\"requestObject\":" + deep + ",\"responseStatus\"");
    Event e =
        Payloads.keeping()
            .translate(eventList(item).getBytes(StandardCharsets.UTF_8))
            .events()
            .get(0);
    Event back = org.opentrail.api.event.EventJson.parseEvent(e.toJson());
    assertEquals(e, back);
    assertTrue(e.toString().contains(AuditJson.TOO_DEEP));
  }
}
