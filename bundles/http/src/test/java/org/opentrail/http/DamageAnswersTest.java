package org.opentrail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupResult;
import org.opentrail.api.store.StorageFullException;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailStatus;

/**
 * What the HTTP API answers when the store is damaged or full: LookupEvents says what it could not
 * read (only then), GetTrailStatus shows each destination's gaps, and PutEvents fails with {@code
 * ServiceUnavailable.StorageFull} (503), which the servlet answers as Code and status unchanged.
 */
class DamageAnswersTest {
  static final String A = "1234567890123456";

  @SuppressWarnings("unchecked")
  static <T> T stub(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, m, args) -> {
              Object a = answers.get(m.getName());
              if (a instanceof RuntimeException e) {
                throw e;
              }
              if (a == null) {
                throw new UnsupportedOperationException(m.getName());
              }
              return a;
            });
  }

  static ApiRequest request(Map<String, String> params) {
    ApiRequest r = new ApiRequest("R1", "127.0.0.1", "test", params, Map.of());
    r.principal = new Principal(A, Principal.Type.ROOT, "root", "AK");
    return r;
  }

  static Operation.Handler handler(List<Operation> ops, String name) {
    return ops.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().handler();
  }

  EventOperations events(LookupResult answer, EventRecorder recorder) {
    return new EventOperations(
        stub(EventQuery.class, Map.of("lookup", answer)), recorder, "cn-test");
  }

  @Test
  void lookupEventsAddsWhatItCouldNotReadOnlyWhenSomethingIsMissing() {
    Instant t = Instant.parse("2026-11-30T00:00:00Z");
    Map<String, Object> complete =
        handler(events(new LookupResult(List.of(), null, t, t), null).operations(), "LookupEvents")
            .handle(request(Map.of()));
    assertFalse(complete.containsKey("UnreadableEvents"));
    assertFalse(complete.containsKey("RebuildingRanges"));
    Map<String, Object> damaged =
        handler(
                events(
                        new LookupResult(
                            List.of(),
                            "tok",
                            t,
                            t,
                            3,
                            List.of("2026-11-29T00:00:00Z/2026-11-30T00:00:00Z")),
                        null)
                    .operations(),
                "LookupEvents")
            .handle(request(Map.of()));
    assertEquals(3, damaged.get("UnreadableEvents"));
    assertEquals(
        List.of("2026-11-29T00:00:00Z/2026-11-30T00:00:00Z"), damaged.get("RebuildingRanges"));
    assertEquals("tok", damaged.get("NextToken"));
  }

  @Test
  void putEventsWhileTheStorageIsFullFailsWithStorageFull() {
    EventRecorder full =
        stub(
            EventRecorder.class,
            Map.of(
                "record",
                new StorageFullException(
                    "ServiceUnavailable.StorageFull: 12 MB free on /data, floor 256 MB")));
    OpenTrailException e =
        assertThrows(
            OpenTrailException.class,
            () ->
                handler(
                        events(new LookupResult(List.of(), null, null, null), full).operations(),
                        "PutEvents")
                    .handle(request(Map.of("Events", "[{\"eventName\":\"X\"}]"))));
    assertEquals("ServiceUnavailable.StorageFull", e.code());
    assertEquals(503, e.httpStatus());
  }

  @Test
  void getTrailStatusShowsEachDestinationsGaps() {
    DestinationStatus d =
        new DestinationStatus(
            "mem",
            "file",
            DestinationStatus.State.DELIVERING,
            "up to date except 1 gap",
            10,
            0,
            0,
            null,
            null,
            null,
            List.of("GAP 11-20: damaged in store"));
    TrailService trails =
        stub(
            TrailService.class,
            Map.of(
                "status", new TrailStatus(true, null, null, null, null, List.of(d), null, null)));
    Map<String, Object> m =
        handler(
                new TrailOperations(trails, "cn-test", TrailParameters.SinkTypes.DEFAULTS)
                    .operations(),
                "GetTrailStatus")
            .handle(request(Map.of("Name", "gap-trail")));
    @SuppressWarnings("unchecked")
    Map<String, Object> dm = ((List<Map<String, Object>>) m.get("Destinations")).get(0);
    assertEquals(List.of("GAP 11-20: damaged in store"), dm.get("Gaps"));
    assertEquals("up to date except 1 gap", dm.get("Detail"));
  }
}
