package org.opentrail.source.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.kubernetes.Payloads.at;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.internal.source.Translation;

/**
 * Real case 09 (/work/shared/realworld/09-k8s-two-stages-same-auditid): one request posted as two
 * stages with the same auditID; the translation keeps the complete one, whatever the order.
 */
class TwoStagesTest {
  static final String AUDIT_ID = "d2a97a82-f39e-41d0-8b31-dd74f42ac7fe";
  final KubernetesTranslator translator = Payloads.translator();

  @Test
  void requestReceivedIsSkippedAsSuperseded() {
    Translation t = Payloads.translate(translator, "case09-input-1-RequestReceived.json");
    assertTrue(t.events().isEmpty());
    assertTrue(t.serviceInternal().isEmpty());
    assertEquals(List.of("superseded stage RequestReceived of auditID " + AUDIT_ID), t.skipped());
  }

  @Test
  void responseCompleteIsTheCompleteEvent() {
    Translation t = Payloads.translate(translator, "case09-input-2-ResponseComplete.json");
    assertEquals(1, t.events().size());
    assertTrue(t.skipped().isEmpty());
    Event e = t.events().get(0);
    assertEquals("kubernetes-admin", e.userName());
    assertEquals("192.0.2.90", e.getString("sourceIpAddress"));
    assertEquals("ACS::CS::Kubernetes::pods", e.resourceType());
    assertEquals("kube-system/webhook-audit", e.resourceName());
    assertEquals("Write", e.eventRW());
    assertEquals("2021-02-10T00:28:46Z", e.eventTime());
    assertEquals("create pods", e.eventName());
    assertNull(e.get("errorCode"), "201 is a success");
    assertEquals(201, at(e, "responseElements", "responseStatus", "code"));
    assertEquals(AUDIT_ID, e.getString("requestId"));
    assertEquals(
        "/api/v1/namespaces/kube-system/pods?fieldManager=kubectl-run",
        at(e, "requestParameters", "requestURI"));
    assertEquals(
        "2021-02-10T00:28:46.451356Z", at(e, "additionalEventData", "requestReceivedTimestamp"));
    assertEquals("2021-02-10T00:28:46.467111Z", at(e, "additionalEventData", "stageTimestamp"));
    assertEquals("ResponseComplete", at(e, "additionalEventData", "stage"));
    assertEquals("Kubernetes", e.serviceName());
    assertEquals("kubernetes/prod", e.getString("eventSource"));
    assertEquals("v1", e.getString("apiVersion"));
    assertNull(e.accessKeyId(), "Kubernetes has no access keys");
    assertEquals(
        List.of("kube-system/webhook-audit", "webhook-audit", "kube-system"),
        LookupKey.RESOURCE_NAME.valuesOf(e));
    // the large objects are dropped by default, and say so
    assertNull(at(e, "requestParameters", "requestObject"));
    assertNull(at(e, "responseElements", "responseObject"));
    assertEquals(
        Map.of(
            "requestObject", "not kept (keep.request.objects=false)",
            "responseObject", "not kept (keep.request.objects=false)"),
        at(e, "additionalEventData", "omitted"));
  }

  @Test
  void eitherOrderGivesTheSameSingleCompleteEvent() throws Exception {
    Translation first = Payloads.translate(translator, "case09-input-1-RequestReceived.json");
    Translation second = Payloads.translate(translator, "case09-input-2-ResponseComplete.json");
    Translation reverse2 = Payloads.translate(translator, "case09-input-2-ResponseComplete.json");
    Translation reverse1 = Payloads.translate(translator, "case09-input-1-RequestReceived.json");
    assertEquals(first.events(), reverse1.events());
    assertEquals(second.events(), reverse2.events(), "deterministic, byte for byte");
    assertEquals(
        second.events().get(0).toString(), reverse2.events().get(0).toString(), "same JSON");
  }

  @Test
  void theEventIdIsDerivedFromTheRequestAndStableAcrossFinalStages() {
    Event complete =
        Payloads.translate(translator, "case09-input-2-ResponseComplete.json").events().get(0);
    String id = complete.eventId();
    assertTrue(
        id.matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
    // the same request ending in Panic instead is the same event
    String panic =
        Payloads.text("case09-input-2-ResponseComplete.json")
            .replace("\"stage\":\"ResponseComplete\"", "\"stage\":\"Panic\"");
    assertEquals(id, translate(panic).events().get(0).eventId());
    // another request reusing the auditID (a client's Audit-ID header) is another event
    String reused =
        Payloads.text("case09-input-2-ResponseComplete.json")
            .replace(
                "\"requestReceivedTimestamp\":\"2021-02-10T00:28:46.451356Z\"",
                "\"requestReceivedTimestamp\":\"2021-02-10T00:31:02.000001Z\"");
    assertNotEquals(id, translate(reused).events().get(0).eventId());
  }

  @Test
  void recordingRequestReceivedOnRequestMakesAnEventOfItsOwn() throws Exception {
    KubernetesTranslator all =
        new KubernetesTranslator(
            KubernetesOptions.of(
                "prod", new String[] {"RequestReceived,ResponseComplete"}, false, null));
    Event skeleton = Payloads.translate(all, "case09-input-1-RequestReceived.json").events().get(0);
    Event complete =
        Payloads.translate(all, "case09-input-2-ResponseComplete.json").events().get(0);
    assertNotEquals(skeleton.eventId(), complete.eventId(), "never merged with the complete one");
    assertEquals("RequestReceived", at(skeleton, "additionalEventData", "stage"));
    assertNull(skeleton.resourceName(), "the skeleton names no object: absent, not invented");
    assertNull(at(skeleton, "responseElements"));
    assertEquals(
        complete.eventId(),
        Payloads.translate(translator, "case09-input-2-ResponseComplete.json")
            .events()
            .get(0)
            .eventId(),
        "the complete event's id does not depend on record.stages");
    assertFalse(skeleton.eventId().equals(AUDIT_ID));
  }

  private Translation translate(String json) {
    try {
      return Payloads.translateText(translator, json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
