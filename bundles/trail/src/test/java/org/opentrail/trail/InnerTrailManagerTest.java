package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.Provenance;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;
import org.opentrail.query.LookupEventsService;

/**
 * Inner trails with the real identity registry, recorder, store and lookups: enabling needs the
 * entitlement and the delivery role, service-internal operations land only in the account's own
 * {@code innertrail_<name>}, and the trail's settings win over the logstore's.
 */
class InnerTrailManagerTest extends TrailFixture {
  IdentityRegistry ids;
  InnerTrailManager inner;
  String b;

  @BeforeEach
  void openInner() throws Exception {
    ids = new IdentityRegistry(AuthPaths.under(dir.resolve("auth")), A);
    b = ids.createAccount().key().accountId();
    inner = new InnerTrailManager(store, ids, ids, dir.resolve("innertrails"));
    recorder.innerTrails(inner);
  }

  static Event internal(String id) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventId", id);
    e.put("eventName", "DeleteObject");
    e.put("eventRW", "Write");
    e.put("serviceName", "MinIO");
    e.put("resourceName", "logs/old.gz");
    e.put("userIdentity", Map.of("type", "service"));
    e.put("eventTime", Instant.now().minusSeconds(60).toString().replaceAll("\\.\\d+Z", "Z"));
    return Event.of(e);
  }

  private RecordResult recordInternal(String account, String id) {
    return recorder.recordServiceInternal(
        account, List.of(internal(id)), Provenance.sender("minio/prod"));
  }

  @Test
  void enablingNeedsTheEntitlementAndTheRoleAndSaysWhichIsMissing() {
    OpenTrailException e =
        assertThrows(OpenTrailException.class, () -> inner.create(A, "ops-inner"));
    assertEquals("InnerTrailNotEntitled", e.code());
    assertEquals(403, e.httpStatus());
    assertTrue(e.getMessage().contains("auth:entitle -a " + A + " InnerTrail"), e.getMessage());
    assertTrue(e.getMessage().contains("AliyunActionTrailDefaultRole"), e.getMessage());
    ids.entitle(A, InnerTrailService.ENTITLEMENT);
    e = assertThrows(OpenTrailException.class, () -> inner.create(A, "ops-inner"));
    assertEquals("NoPermission.DeliveryRole", e.code());
    ids.createRole(A, "AliyunActionTrailDefaultRole", TRUST, null);
    InnerTrail t = inner.create(A, "ops-inner");
    assertEquals("innertrail_ops-inner", t.logstore());
    assertEquals(180, store.stream(t.stream()).orElseThrow().spec().retentionDays());
    assertTrue(store.stream(t.stream()).orElseThrow().spec().writeProtected());
    assertEquals(
        "InnerTrailAlreadyExists",
        assertThrows(OpenTrailException.class, () -> inner.create(A, "another-one")).code());
  }

  static final String TRUST =
      "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":[\"actiontrail.aliyuncs.com\"]}}],\"Version\":\"1\"}";

  @Test
  void serviceInternalOperationsLandOnlyInTheAccountsOwnInnerTrail() throws Exception {
    assertEquals(1, recordInternal(A, "before").notCollected(), "nothing to collect into yet");
    for (String account : List.of(A, b)) {
      ids.entitle(account, InnerTrailService.ENTITLEMENT);
      ids.createRole(account, "AliyunActionTrailDefaultRole", TRUST, null);
      inner.create(account, "shared-name"); // same name, two accounts, two logstores
    }
    assertEquals(1, recordInternal(A, "a-1").accepted());
    assertEquals(1, recordInternal(b, "b-1").accepted());
    LookupEventsService query = new LookupEventsService(store, new byte[32]);
    List<Event> found =
        query.lookup(LookupRequest.builder(A).stream("innertrail_shared-name").build()).events();
    assertEquals(List.of("a-1"), found.stream().map(Event::eventId).toList());
    assertEquals("ALIYUN_INITIATED_SERVICE", found.get(0).get("EventType"));
    assertTrue(store.find(EventStore.HISTORY, A, "a-1").isEmpty(), "never in the history");
    assertTrue(
        store.find(inner.get(A).orElseThrow().stream(), b, "b-1").isEmpty(),
        "B's operation is not in A's logstore");

    inner.setRetention(b, 7);
    assertEquals(
        180,
        store.stream(inner.get(A).orElseThrow().stream()).orElseThrow().spec().retentionDays());
    assertEquals(
        7, store.stream(inner.get(b).orElseThrow().stream()).orElseThrow().spec().retentionDays());

    inner.disable(A);
    assertEquals(1, recordInternal(A, "a-2").notCollected(), "disabled: not collected");
    inner.enable(A);
    ids.revokeEntitlement(A, InnerTrailService.ENTITLEMENT);
    assertEquals(1, recordInternal(A, "a-3").notCollected(), "entitlement withdrawn");
    assertFalse(inner.status(A).collecting());
    ids.entitle(A, InnerTrailService.ENTITLEMENT);
    ids.deleteRole(A, "AliyunActionTrailDefaultRole");
    assertEquals(1, recordInternal(A, "a-4").notCollected(), "role deleted");
    assertEquals(
        List.of("the account has no delivery role AliyunActionTrailDefaultRole"),
        inner.status(A).problems());

    // the logstore's own setting is overwritten by the trail's at the next start
    String streamB = inner.get(b).orElseThrow().stream();
    store.updateStream(new StreamSpec(streamB, 30, true));
    InnerTrailManager restarted =
        new InnerTrailManager(store, ids, ids, dir.resolve("innertrails"));
    assertEquals(7, store.stream(streamB).orElseThrow().spec().retentionDays());
    assertEquals("shared-name", restarted.get(b).orElseThrow().name());
    restarted.delete(b);
    assertTrue(restarted.get(b).isEmpty());
    assertEquals(1, store.stream(streamB).orElseThrow().eventCount(), "what it holds stays");
    OpenTrailException gone =
        assertThrows(
            OpenTrailException.class,
            () -> query.lookup(LookupRequest.builder(A).stream("innertrail_no-such-one").build()));
    assertEquals("LogStoreNotExist", gone.code());
  }
}
