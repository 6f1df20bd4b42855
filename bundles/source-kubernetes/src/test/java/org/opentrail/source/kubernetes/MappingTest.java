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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentrail.api.event.Event;
import org.opentrail.internal.source.Translation;

/** The field mapping, on real captures (see src/test/resources/payloads/README.md). */
class MappingTest {
  final KubernetesTranslator translator = Payloads.translator();

  @Test
  void impersonationKeepsTheRealCallerVisible() {
    Translation t = Payloads.translate(translator, "kodekloud-citadel-batch.json");
    Event e = byAuditId(t, "b3e1de1c-c54c-4e4e-86a9-52f794379ddd");
    assertTrue(t.events().contains(e), "an impersonated request is a client operation");
    assertEquals("delete configmaps", e.eventName());
    assertEquals("Write", e.eventRW());
    assertEquals("kubernetes-admin", e.userName(), "the authenticated caller");
    assertEquals("kubernetes-user", at(e, "userIdentity", "type"));
    assertEquals(
        "agent-smith", at(e, "userIdentity", "sessionContext", "impersonatedUser", "username"));
    assertEquals(
        List.of("system:masters", "system:authenticated"),
        at(e, "userIdentity", "sessionContext", "groups"));
    assertNull(at(e, "userIdentity", "principalId"), "no uid in the entry: absent");
    assertEquals("citadel/webapp-config-map", e.resourceName());
    assertEquals("ACS::CS::Kubernetes::configmaps", e.resourceType());
    assertEquals("198.51.100.7", e.getString("sourceIpAddress"));
    assertEquals("2024-03-26T15:15:41Z", e.eventTime());
    assertEquals(
        "RBAC: allowed by RoleBinding \"important_binding_do_not_delete/citadel\" of Role"
            + " \"important_role_do_not_delete\" to User \"agent-smith\"",
        at(e, "additionalEventData", "annotations", "authorization.k8s.io/reason"));
  }

  @Test
  void aBatchSplitsIntoHistoryInternalAndSuperseded() {
    Translation t = Payloads.translate(translator, "kodekloud-citadel-batch.json");
    assertEquals(9, t.entries());
    assertEquals(
        List.of("superseded stage ResponseStarted of auditID e1d5837a-859c-4662-b6df-80d8f97d853a"),
        t.skipped());
    // the kubelet's get (404) and watch are the node acting on its own behalf
    assertEquals(2, t.serviceInternal().size());
    Event notFound = byAuditId(t, "67d1a272-e8ef-47fe-9c81-b3206fe5d2d4");
    assertTrue(t.serviceInternal().contains(notFound));
    assertEquals("kubernetes-node", at(notFound, "userIdentity", "type"));
    assertEquals("NotFound", notFound.getString("errorCode"), "reason of a code >= 400");
    assertNull(notFound.get("errorMessage"), "no message in the entry: absent");
    Event watch = byAuditId(t, "99e7d15b-7481-4f95-ab21-7e491230e7d4");
    assertEquals("watch configmaps", watch.eventName());
    assertEquals("Read", watch.eventRW());
    assertEquals("2024-03-26T15:15:32Z", watch.eventTime(), "when the request was made");
    assertEquals(6, t.events().size());
    Event list = byAuditId(t, "9ecfd411-5b26-4a7c-925b-0b6b4b6ed386");
    assertEquals("list pods", list.eventName());
    assertNull(list.resourceName(), "a list names no object");
    assertEquals(
        Map.of("ACS::CS::Kubernetes::namespaces", List.of("eden-prime")),
        list.get("referencedResources"));
  }

  @Test
  void aRefusedControlPlaneIdentityGoesToTheHistory() {
    Translation t =
        Payloads.translate(translator, "sysnet4admin-controller-manager-forbidden.json");
    assertEquals(1, t.events().size(), "403 for an internal user is worth seeing");
    Event e = t.events().get(0);
    assertEquals("get leases", e.eventName());
    assertEquals("Forbidden", e.getString("errorCode"));
    assertEquals("ACS::CS::Kubernetes::leases.coordination.k8s.io", e.resourceType());
    assertEquals("coordination.k8s.io/v1", e.getString("apiVersion"));
    assertEquals("kubernetes-system", at(e, "userIdentity", "type"));
    assertEquals(
        "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=5s",
        at(e, "requestParameters", "requestURI"));
  }

  @Test
  void theControlPlaneActingByItselfIsServiceInternal() {
    Translation t = Payloads.translate(translator, "falco-controller-manager-token-secret.json");
    assertTrue(t.events().isEmpty());
    assertEquals(1, t.serviceInternal().size());
    Event e = t.serviceInternal().get(0);
    assertEquals("system:kube-controller-manager", e.userName());
    assertEquals("create secrets", e.eventName());
  }

  @Test
  void serviceAccountsOutsideKubeSystemAreClients() {
    Translation t = Payloads.translate(translator, "gdc-gatekeeper-serviceaccount.json");
    assertEquals(1, t.events().size());
    Event e = t.events().get(0);
    assertEquals("kubernetes-service-account", at(e, "userIdentity", "type"));
    assertEquals("253b9e2f-fde2-4e37-ae7b-36a55d57aafb", at(e, "userIdentity", "principalId"));
    assertEquals(
        List.of("gatekeeper-audit-7fd7bc5d97-x9x8b"),
        at(e, "userIdentity", "sessionContext", "extra", "authentication.kubernetes.io/pod-name"));
    assertEquals("list organizations", e.eventName());
    assertEquals("ACS::CS::Kubernetes::organizations.resourcemanager.gdc.goog", e.resourceType());
    assertEquals("resourcemanager.gdc.goog/v1alpha1", e.getString("apiVersion"));
    assertNull(e.resourceName());
    assertNull(e.get("referencedResources"), "cluster-scoped list: nothing referenced");
    // what the log collector added is kept, not dropped
    assertEquals("root-admin", at(e, "additionalEventData", "_gdch_cluster"));
    assertEquals("apiserver", at(e, "additionalEventData", "_gdch_service_name"));
  }

  @Test
  void v1beta1EntriesAndNamespacesAreNamedAsKubernetesNamesThem() {
    Translation t = Payloads.translate(translator, "falco-v1beta1-minikube.json");
    Event anonymous = byAuditId(t, "841d3e6d-90d2-43df-8da4-684738bee3d5");
    assertTrue(t.events().contains(anonymous), "system:anonymous is a client");
    assertEquals("kubernetes-anonymous", at(anonymous, "userIdentity", "type"));
    assertEquals("foo", anonymous.resourceName());
    assertNull(anonymous.get("userAgent"), "absent in the entry: absent");
    assertEquals("2018-10-25T13:58:49Z", at(anonymous, "additionalEventData", "timestamp"));
    Event delete = byAuditId(t, "693f4726-2430-450a-83e1-123c050fde98");
    assertEquals("foo", delete.resourceName(), "namespace foo in namespace foo is just foo");
    assertEquals(
        Map.of("ACS::CS::Kubernetes::namespaces", List.of("foo")),
        delete.get("referencedResources"));
    Event binding = byAuditId(t, "c97244c7-4aec-4714-946a-8204d00ecdca");
    assertEquals("create clusterrolebindings", binding.eventName());
    assertEquals(
        "ACS::CS::Kubernetes::clusterrolebindings.rbac.authorization.k8s.io",
        binding.resourceType());
    assertEquals("some-reader-binding", binding.resourceName());
    assertEquals(
        List.of("superseded stage ResponseStarted of auditID ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6"),
        t.skipped());
  }

  @Test
  void panicIsAFailedRequest() {
    Translation t = Payloads.translate(translator, "documented-shapes.json");
    Event e = byAuditId(t, "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e01");
    assertEquals("patch deployments/scale", e.eventName());
    assertEquals("InternalError", e.getString("errorCode"));
    assertTrue(e.getString("errorMessage").startsWith("APIServer panic'd"));
    assertEquals("Panic", at(e, "additionalEventData", "stage"));
    assertEquals("2024-06-01T08:15:30Z", e.eventTime(), "truncated, never rounded up");
    assertEquals("203.0.113.20", e.getString("sourceIpAddress"), "sourceIPs[0]");
    assertEquals(List.of("203.0.113.20", "10.0.0.8"), at(e, "additionalEventData", "sourceIPs"));
    assertEquals("oidc:5f0c3e2a", at(e, "userIdentity", "principalId"));
  }

  @Test
  void nonResourceRequestsAreNamedByPath() {
    Event e =
        byAuditId(
            Payloads.translate(translator, "documented-shapes.json"),
            "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e04");
    assertEquals("get /version", e.eventName());
    assertEquals("Read", e.eventRW());
    assertNull(e.resourceType());
    assertNull(e.resourceName());
    assertNull(e.getString("apiVersion"));
  }

  @Test
  void aLongRunningRequestIsRecordedWhenItCompletes() {
    Translation t = Payloads.translate(translator, "documented-shapes.json");
    Event exec = byAuditId(t, "5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e08");
    assertEquals("create pods/exec", exec.eventName());
    assertEquals("Write", exec.eventRW());
    assertEquals("shop/api-7d9c6-xk2lp", exec.resourceName());
    assertNull(exec.get("errorCode"), "101 Switching Protocols is a success");
    assertEquals("2024-06-01T08:27:42.918000Z", at(exec, "additionalEventData", "stageTimestamp"));
    assertTrue(
        t.skipped()
            .contains(
                "superseded stage ResponseStarted of auditID 5b0e5a0e-6d3c-4c1e-9a57-0c0f6a1d2e08"));
  }

  @ParameterizedTest
  @CsvSource({
    "get,Read",
    "list,Read",
    "watch,Read",
    "head,Read",
    "options,Read",
    "create,Write",
    "update,Write",
    "patch,Write",
    "delete,Write",
    "deletecollection,Write",
    "impersonate,Write",
    "bind,Write",
    "escalate,Write",
    "approve,Write",
    "post,Write",
    "put,Write",
    "somefutureverb,Write"
  })
  void readAndWrite(String verb, String rw) throws Exception {
    Translation t =
        Payloads.translateText(translator, Payloads.eventList(Payloads.entry("a-1", verb, "bob")));
    assertEquals(rw, t.events().get(0).eventRW());
    assertEquals(verb + " pods", t.events().get(0).eventName());
  }

  @Test
  void internalUsersFollowTheConfiguredRule() {
    KubernetesOptions o = KubernetesOptions.defaults("x");
    for (String u :
        List.of(
            "system:apiserver",
            "system:kube-controller-manager",
            "system:kube-scheduler",
            "system:kube-proxy",
            "system:node:worker-1",
            "system:serviceaccount:kube-system:replicaset-controller")) {
      assertTrue(o.isInternalUser(u), u);
    }
    for (String u :
        List.of(
            "system:anonymous",
            "system:serviceaccount:ci:deployer",
            "system:serviceaccount:kube-systemx:a",
            "kubernetes-admin",
            "system:node")) {
      assertFalse(o.isInternalUser(u), u);
    }
  }
}
