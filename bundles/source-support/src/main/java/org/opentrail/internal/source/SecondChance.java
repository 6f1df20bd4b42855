package org.opentrail.internal.source;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.event.RecordResult;

/**
 * What a source does with an entry the recorder refused for a reason the sender cannot fix by
 * sending it again: the operation is recorded anyway, reduced, rather than acknowledged and lost.
 *
 * <ul>
 *   <li>{@code EventTooLarge} (a client can make its own entry too large with a long User-Agent,
 *       query string or group list, to keep its operation out of the trail): the event is recorded
 *       with the fields that say who did what to which resource and how it ended, each string cut
 *       to {@value #MAX_TEXT} characters, and {@code additionalEventData.truncated} naming what was
 *       dropped.
 *   <li>{@code EventTimeOutOfRange} in the future (a sender whose clock runs ahead): the event is
 *       recorded at the time it arrived, whole seconds, with the time it claimed in {@code
 *       additionalEventData.eventTimeAsSent}.
 * </ul>
 *
 * The eventId stays, so a sender's retry of the same entry is still a duplicate.
 */
final class SecondChance {
  static final int MAX_TEXT = 1024;

  private static final List<String> KEPT =
      List.of(
          EventFields.EVENT_ID,
          EventFields.EVENT_VERSION,
          EventFields.EVENT_TIME,
          EventFields.EVENT_NAME,
          EventFields.EVENT_RW,
          EventFields.EVENT_TYPE,
          EventFields.EVENT_CATEGORY,
          EventFields.EVENT_SOURCE,
          EventFields.SERVICE_NAME,
          EventFields.ACS_REGION,
          EventFields.API_VERSION,
          EventFields.REQUEST_ID,
          EventFields.SOURCE_IP_ADDRESS,
          EventFields.USER_AGENT,
          EventFields.RESOURCE_TYPE,
          EventFields.RESOURCE_NAME,
          EventFields.ERROR_CODE,
          EventFields.ERROR_MESSAGE,
          EventFields.IS_GLOBAL);

  private static final List<String> IDENTITY =
      List.of(
          EventFields.IDENTITY_TYPE,
          EventFields.IDENTITY_ACCOUNT_ID,
          EventFields.IDENTITY_PRINCIPAL_ID,
          EventFields.IDENTITY_USER_NAME,
          EventFields.IDENTITY_ACCESS_KEY_ID);

  private SecondChance() {}

  /**
   * The events of {@code batch} that {@code result} refused for a reason above, repaired, with
   * their positions in {@code batch}.
   */
  static Repaired repair(List<Event> batch, RecordResult result) {
    List<Event> events = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (EventOutcome o : result.outcomes()) {
      if (o.status() != EventOutcome.Status.REJECTED || o.errorCode() == null) {
        continue;
      }
      Event e = batch.get(o.index());
      Event fixed = null;
      if (o.errorCode().equals("EventTooLarge")) {
        fixed = reduced(e);
      } else if (o.errorCode().equals("EventTimeOutOfRange")
          && o.errorMessage() != null
          && o.errorMessage().contains("in the future")) {
        fixed = arrivedNow(e);
      }
      if (fixed != null) {
        events.add(fixed);
        positions.add(o.index());
      }
    }
    return new Repaired(events, positions);
  }

  /** Repaired events and where each was in its batch. */
  record Repaired(List<Event> events, List<Integer> positions) {}

  /** The outcomes of {@code first} with those of the repaired events put in their places. */
  static RecordResult merge(RecordResult first, Repaired repaired, RecordResult second) {
    List<EventOutcome> out = new ArrayList<>(first.outcomes());
    for (int i = 0; i < repaired.positions().size(); i++) {
      int at = repaired.positions().get(i);
      EventOutcome o = second.outcomes().get(i);
      out.set(at, new EventOutcome(at, o.status(), o.eventId(), o.errorCode(), o.errorMessage()));
    }
    return new RecordResult(out);
  }

  static Event reduced(Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    for (Map.Entry<String, Object> f : e.fields().entrySet()) {
      if (KEPT.contains(f.getKey())) {
        m.put(f.getKey(), clip(f.getValue(), MAX_TEXT));
      } else if (!f.getKey().equals(EventFields.USER_IDENTITY)) {
        dropped.add(f.getKey());
      }
    }
    if (e.get(EventFields.USER_IDENTITY) instanceof Map<?, ?> id) {
      Map<String, Object> kept = new LinkedHashMap<>();
      for (String k : IDENTITY) {
        if (id.get(k) != null) {
          kept.put(k, clip(id.get(k), LookupKey.MAX_VALUE_LENGTH));
        }
      }
      if (kept.size() < id.size()) {
        dropped.add(
            EventFields.USER_IDENTITY + " (other than " + String.join(", ", IDENTITY) + ")");
      }
      m.put(EventFields.USER_IDENTITY, kept);
    }
    if (m.get(EventFields.RESOURCE_NAME) != null) {
      m.put(
          EventFields.RESOURCE_NAME,
          clip(m.get(EventFields.RESOURCE_NAME), LookupKey.MAX_VALUE_LENGTH));
    }
    Map<String, Object> note = new LinkedHashMap<>();
    note.put(
        "truncated",
        "the event was "
            + e.jsonSize()
            + " bytes, over "
            + EventRecorder.MAX_EVENT_BYTES
            + "; texts cut to "
            + MAX_TEXT
            + " characters and these fields dropped: "
            + String.join(", ", dropped));
    m.put(EventFields.ADDITIONAL_EVENT_DATA, note);
    return Event.of(m);
  }

  static Event arrivedNow(Event e) {
    Map<String, Object> extra = new LinkedHashMap<>();
    if (e.get(EventFields.ADDITIONAL_EVENT_DATA) instanceof Map<?, ?> old) {
      old.forEach((k, v) -> extra.put(String.valueOf(k), v));
    } else if (e.get(EventFields.ADDITIONAL_EVENT_DATA) != null) {
      extra.put("additionalEventData", e.get(EventFields.ADDITIONAL_EVENT_DATA));
    }
    extra.put("eventTimeAsSent", e.get(EventFields.EVENT_TIME));
    return e.withAll(
        Map.of(
            EventFields.EVENT_TIME,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            EventFields.ADDITIONAL_EVENT_DATA,
            extra));
  }

  private static Object clip(Object v, int max) {
    return v instanceof String s && s.length() > max ? s.substring(0, max) : v;
  }
}
