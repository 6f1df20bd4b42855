package org.opentrail.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.MalformedJsonException;
import org.opentrail.api.event.Provenance;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;

/**
 * LookupEvents and DescribeRegions as ActionTrail answers them, and OpenTrail's PutEvents: a batch
 * of events in ActionTrail's format, answered per event.
 */
final class EventOperations {
  private static final Pattern ATTRIBUTE =
      Pattern.compile("LookupAttribute\\.([1-9][0-9]?)\\.(Key|Value)");
  private static final Pattern LOGSTORE =
      Pattern.compile("(actiontrail|innertrail)_[a-z][a-z0-9_-]{0,63}");

  private final EventQuery query;
  private final EventRecorder recorder;
  private final String region;

  EventOperations(EventQuery query, EventRecorder recorder, String region) {
    this.query = query;
    this.recorder = recorder;
    this.region = region;
  }

  List<Operation> operations() {
    return List.of(
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "LookupEvents")
            .parameters("StartTime", "EndTime", "MaxResults", "NextToken", "Direction", "LogStore")
            .prefixes("LookupAttribute.")
            .handler(this::lookup),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "DescribeRegions")
            .parameters("AcceptLanguage")
            .handler(this::regions),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "PutEvents")
            .write()
            .parameters("Events", "LogStore")
            .bulky("Events")
            .handler(this::put));
  }

  private Map<String, Object> lookup(ApiRequest r) {
    LookupRequest.Builder b = LookupRequest.builder(r.account());
    String logstore = r.params.get("LogStore");
    if (logstore != null) {
      if (!LOGSTORE.matcher(logstore).matches()) {
        throw new InvalidParameterException(
            "LogStore",
            "The parameter LogStore names a trail's logstore (actiontrail_<trail> or innertrail_<name>), not '"
                + ApiRequest.clip(logstore)
                + "'.");
      }
      b.stream(logstore);
    }
    if (r.optional("StartTime") != null) {
      b.startTime(r.optional("StartTime"));
    }
    if (r.optional("EndTime") != null) {
      b.endTime(r.optional("EndTime"));
    }
    if (r.optional("MaxResults") != null) {
      b.maxResults(r.optional("MaxResults"));
    }
    if (r.optional("Direction") != null) {
      b.direction(r.optional("Direction"));
    }
    b.nextToken(r.optional("NextToken"));
    Map<Integer, String[]> attributes = new TreeMap<>();
    for (Map.Entry<String, String> e : r.params.entrySet()) {
      if (!e.getKey().startsWith("LookupAttribute.")) {
        continue;
      }
      Matcher m = ATTRIBUTE.matcher(e.getKey());
      if (!m.matches()) {
        throw new InvalidParameterException(
            FormCodec.printable(e.getKey()),
            "The parameter "
                + FormCodec.printable(e.getKey())
                + " is not LookupAttribute.N.Key or LookupAttribute.N.Value with N from 1 to 99.");
      }
      String[] kv = attributes.computeIfAbsent(Integer.parseInt(m.group(1)), n -> new String[2]);
      kv[m.group(2).equals("Key") ? 0 : 1] = e.getValue();
    }
    for (Map.Entry<Integer, String[]> a : attributes.entrySet()) {
      b.attribute(a.getKey(), a.getValue()[0], a.getValue()[1]);
    }
    LookupResult result = query.lookup(b.build());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("StartTime", Times.format(result.startTime()));
    m.put("EndTime", Times.format(result.endTime()));
    m.put("NextToken", result.nextToken() == null ? "" : result.nextToken());
    m.put("Events", result.events());
    // OpenTrail's additions, only when something is missing: ActionTrail's shape otherwise
    if (result.unreadable() > 0) {
      m.put("UnreadableEvents", result.unreadable());
    }
    if (!result.rebuilding().isEmpty()) {
      m.put("RebuildingRanges", result.rebuilding());
    }
    return m;
  }

  private Map<String, Object> regions(ApiRequest r) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("RegionId", region);
    one.put("LocalName", region);
    one.put("RegionEndpoint", r.host);
    Map<String, Object> regions = new LinkedHashMap<>();
    regions.put("Region", List.of(one));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Regions", regions);
    return m;
  }

  private Map<String, Object> put(ApiRequest r) {
    String logstore = r.params.get("LogStore");
    if (logstore != null) {
      throw new OpenTrailException(
          "Forbidden.LogStoreWriteProtected",
          "The logstore "
              + ApiRequest.clip(logstore)
              + " is written only by OpenTrail (a trail's delivery or the inner trail); PutEvents"
              + " records into the event history. Nothing was stored.",
          403);
    }
    byte[] json =
        r.jsonBody != null
            ? r.jsonBody
            : r.required("Events").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (json.length > EventRecorder.MAX_BATCH_BYTES * 2L) {
      throw new InvalidParameterException(
          "BatchTooLarge",
          "Events",
          "A batch may have at most " + EventRecorder.MAX_BATCH_BYTES + " bytes of events.");
    }
    List<Event> events;
    try {
      events = EventJson.parseEvents(json);
    } catch (MalformedJsonException e) {
      throw new InvalidParameterException(
          "MalformedJson", "Events", "The parameter Events: " + e.getMessage());
    }
    if (events.isEmpty()) {
      throw new InvalidParameterException("Events", "The parameter Events has no events.");
    }
    RecordResult result =
        recorder.record(
            r.account(),
            events,
            Provenance.principal(r.principal.arn(), r.principal.accessKeyId()));
    List<Object> outcomes = new ArrayList<>(result.outcomes().size());
    for (EventOutcome o : result.outcomes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Index", o.index());
      m.put("Status", status(o.status()));
      if (o.eventId() != null) {
        m.put("EventId", o.eventId());
      }
      if (o.errorCode() != null) {
        m.put("ErrorCode", o.errorCode());
        m.put("ErrorMessage", o.errorMessage());
      }
      outcomes.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    if (result.accepted() + result.duplicates() == 0) {
      EventOutcome first = result.outcomes().get(0);
      m.put("Rejected", result.rejected());
      m.put("Results", outcomes);
      throw new DetailedException(
          first.errorCode(),
          "None of the "
              + result.rejected()
              + " events was accepted (see Results); event 0: "
              + first.errorMessage(),
          400,
          m);
    }
    m.put("Accepted", result.accepted());
    m.put("Duplicates", result.duplicates());
    m.put("Rejected", result.rejected());
    m.put("Results", outcomes);
    r.auditNote =
        result.accepted()
            + " accepted, "
            + result.duplicates()
            + " duplicates, "
            + result.rejected()
            + " rejected";
    return m;
  }

  private static String status(EventOutcome.Status s) {
    return switch (s) {
      case ACCEPTED -> "Accepted";
      case DUPLICATE -> "Duplicate";
      case REJECTED -> "Rejected";
      case NOT_COLLECTED -> "NotCollected";
    };
  }
}
