package org.opentrail.logservice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.StoredEvent;

/** Which events PullLogs passes over as the records of its own consumption calls. */
class ConsumeOperationsTest {
  static StoredEvent event(String eventName, Object recordedBy) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("eventName", eventName);
    f.put("eventSource", ConsumeOperations.EVENT_SOURCE);
    f.put("serviceName", "log");
    if (recordedBy != null) {
      f.put("recordedBy", recordedBy);
    }
    return new StoredEvent(1, 0, Event.of(f));
  }

  @Test
  void onlyThisBundlesRecordsOfConsumptionCallsArePassedOver() {
    Map<String, Object> mine = Map.of("bundle", "org.opentrail.logservice 0.2.0.202612010218");
    Map<String, Object> posted =
        Map.of(
            "bundle",
            "org.opentrail.http 0.2.0.202612010218",
            "principal",
            "acs:ram::1234567890123456:root");
    assertEquals(
        List.of(true, false, false, false, false, false),
        List.of(
            ConsumeOperations.ownConsumption(event("PullLogs", mine)),
            ConsumeOperations.ownConsumption(event("GetLogs", mine)),
            // a user's own event that claims to be one: PutEvents, a source
            ConsumeOperations.ownConsumption(event("PullLogs", posted)),
            ConsumeOperations.ownConsumption(event("PullLogs", null)),
            ConsumeOperations.ownConsumption(
                event("PullLogs", Map.of("bundle", "org.opentrail.logservicex 1"))),
            ConsumeOperations.ownConsumption(event("PullLogs", "org.opentrail.logservice 1"))));
  }
}
