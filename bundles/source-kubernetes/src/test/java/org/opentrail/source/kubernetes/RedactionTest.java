package org.opentrail.source.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.kubernetes.Payloads.at;
import static org.opentrail.source.kubernetes.Payloads.byAuditId;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.internal.source.Translation;

/** Credentials never reach the store: Secret data, known secret fields, query parameters. */
class RedactionTest {
  static final String R = Redaction.REDACTED;

  @Test
  void secretDataIsRedactedWhenObjectsAreKept() {
    Translation t = Payloads.translate(Payloads.keeping(), "falco-create-secret.json");
    Event e = t.events().get(0);
    assertEquals(Map.of("access-key", R), at(e, "requestParameters", "requestObject", "data"));
    assertEquals(Map.of("access-key", R), at(e, "responseElements", "responseObject", "data"));
    assertEquals("Opaque", at(e, "responseElements", "responseObject", "type"), "the rest is kept");
    assertEquals(
        "9c812531-09bd-11ea-a1f9-08002719228f",
        at(e, "responseElements", "responseObject", "metadata", "uid"));
    assertFalse(e.toString().contains("MzFiNGQ0YjctMDAy"), e.toString());
    assertNull(at(e, "additionalEventData", "omitted"));
  }

  @Test
  void serviceAccountTokenSecretsAreRedactedForTheInnerTrailToo() {
    Translation t =
        Payloads.translate(Payloads.keeping(), "falco-controller-manager-token-secret.json");
    Event e = t.serviceInternal().get(0);
    assertEquals(
        Map.of("ca.crt", R, "namespace", R, "token", R),
        at(e, "requestParameters", "requestObject", "data"));
    assertFalse(e.toString().contains("ZXlKaGJHY2lPaUpT"));
  }

  @Test
  void tokensPatchesEnvAndLastAppliedAreRedacted() {
    Translation t = Payloads.translate(Payloads.keeping(), "documented-shapes.json");
    String all = t.events().toString();
    for (String secret :
        List.of(
            "eyJhbGciOiJSUzI1NiIsImtpZCI6IkZBS0UifQ", // TokenRequest status.token
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ", // TokenReview spec.token
            "bmV3LXBhc3N3b3Jk", // JSON patch value and Secret data
            "b2xkLXBhc3N3b3Jk", // last-applied-configuration of the Secret
            "c2VjcmV0", // a mutating webhook's patch on the Secret
            "hunter2", // env DB_PASSWORD
            "sk_test_123", // env STRIPE_API_KEY
            "gf-secret-token", // ?access_token=
            "abc123")) { // X-Amz-Signature
      assertFalse(all.contains(secret), secret + " leaked: " + all);
    }
    Event token = byAuditId(t, "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e02");
    assertEquals("create serviceaccounts/token", token.eventName());
    assertEquals(R, at(token, "responseElements", "responseObject", "status", "token"));
    assertEquals(R, at(token, "requestParameters", "requestObject", "status", "token"));
    assertEquals(
        "2024-06-01T09:16:00Z",
        at(token, "responseElements", "responseObject", "status", "expirationTimestamp"));
    Event patch = byAuditId(t, "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e05");
    assertEquals("/data/password", at(patch, "requestParameters", "requestObject", 0, "path"));
    assertEquals(R, at(patch, "requestParameters", "requestObject", 0, "value"));
    assertEquals(
        R,
        at(
            patch,
            "responseElements",
            "responseObject",
            "metadata",
            "annotations",
            "kubectl.kubernetes.io/last-applied-configuration"));
    assertEquals(
        R,
        at(
            patch,
            "additionalEventData",
            "annotations",
            "patch.webhook.admission.k8s.io/round_0_index_0"));
    Event deploy = byAuditId(t, "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e06");
    List<?> env =
        (List<?>)
            at(
                deploy,
                "requestParameters",
                "requestObject",
                "spec",
                "template",
                "spec",
                "containers",
                0,
                "env");
    assertEquals(Map.of("name", "DB_HOST", "value", "db.shop.svc"), env.get(0), "not a secret");
    assertEquals(Map.of("name", "DB_PASSWORD", "value", R), env.get(1));
    assertEquals(Map.of("name", "STRIPE_API_KEY", "value", R), env.get(2));
    assertTrue(((Map<?, ?>) env.get(3)).containsKey("valueFrom"), "a reference is kept");
    assertTrue(t.events().contains(deploy), "a CI service account is a client");
  }

  @Test
  void credentialsInTheQueryAreRedactedEvenWhenObjectsAreDropped() {
    Translation t = Payloads.translate(Payloads.translator(), "documented-shapes.json");
    Event proxy = byAuditId(t, "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e07");
    assertEquals("get services/proxy", proxy.eventName());
    assertEquals(
        "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/api/dashboards/home"
            + "?access_token=<redacted>&orgId=1&X-Amz-Signature=<redacted>"
            + "&X-Amz-Credential=AKIDEXAMPLE%2F20240601%2Fus-east-1%2Fs3%2Faws4_request",
        at(proxy, "requestParameters", "requestURI"));
    Event patch = byAuditId(t, "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e05");
    Map<?, ?> annotations = (Map<?, ?>) at(patch, "additionalEventData", "annotations");
    assertFalse(
        annotations.containsKey("patch.webhook.admission.k8s.io/round_0_index_0"),
        "request content, dropped with the objects");
    assertTrue(annotations.containsKey("mutation.webhook.admission.k8s.io/round_0_index_0"));
    assertTrue(
        ((String) at(patch, "additionalEventData", "omitted", "annotations"))
            .contains("patch.webhook.admission.k8s.io/round_0_index_0"));
    assertFalse(t.events().toString().contains("c2VjcmV0"));
  }

  @Test
  void queryRedactionLeavesOtherUrisAlone() {
    String plain = "/api/v1/namespaces/default/pods?limit=500&labelSelector=app%3Dweb";
    assertEquals(plain, Redaction.requestUri(plain));
    assertEquals("/x?token=<redacted>", Redaction.requestUri("/x?token=abc"));
    assertEquals("/x?Token=<redacted>&a", Redaction.requestUri("/x?Token=abc&a"));
    assertEquals("/x?a=1&&password=<redacted>", Redaction.requestUri("/x?a=1&&password=p"));
    assertEquals("/x?tokens=abc", Redaction.requestUri("/x?tokens=abc"));
    assertEquals("/x?", Redaction.requestUri("/x?"));
  }
}
