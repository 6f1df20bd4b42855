package org.opentrail.recorder;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.LookupKey;

/**
 * Checks one event against ActionTrail's format and completes it: a time-ordered eventId and the
 * current eventTime if absent, eventTime in UTC, the account stamped as recipientAccountId, the
 * region, eventVersion and eventCategory defaulted. Fields it does not know are kept as they are.
 */
final class EventNormalizer {
  private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
  private static final Set<String> RW = Set.of(EventFields.READ, EventFields.WRITE);
  private static final Set<String> CATEGORIES = Set.of("Management", "Data", "Insight");
  private static final List<String> STRING_FIELDS =
      List.of(
          EventFields.EVENT_TYPE,
          EventFields.EVENT_SOURCE,
          EventFields.ACS_REGION,
          EventFields.API_VERSION,
          EventFields.REQUEST_ID,
          EventFields.SOURCE_IP_ADDRESS,
          EventFields.USER_AGENT,
          EventFields.RESOURCE_TYPE,
          EventFields.RESOURCE_NAME,
          EventFields.RECIPIENT_ACCOUNT_ID,
          EventFields.ERROR_CODE,
          EventFields.ERROR_MESSAGE,
          EventFields.EVENT_CATEGORY);
  private static final List<String> IDENTITY_STRINGS =
      List.of(
          EventFields.IDENTITY_TYPE,
          EventFields.IDENTITY_ACCOUNT_ID,
          EventFields.IDENTITY_PRINCIPAL_ID,
          EventFields.IDENTITY_USER_NAME,
          EventFields.IDENTITY_ACCESS_KEY_ID);

  private final EventIdGenerator ids = new EventIdGenerator();
  private final String region;

  EventNormalizer(String region) {
    this.region = region;
  }

  /**
   * The event as it will be stored, with {@code stamps} (fields only OpenTrail sets, such as
   * recordedBy) added in the same copy.
   *
   * @param oldestMillis the oldest eventTime accepted (the history's retention)
   * @param newestMillis the newest eventTime accepted (now plus the allowed clock skew)
   * @throws EventRejected naming every problem the event has
   */
  Event normalize(
      Event e,
      String account,
      long nowMillis,
      long oldestMillis,
      long newestMillis,
      Map<String, Object> stamps)
      throws EventRejected {
    EventRejected.Problems problems = new EventRejected.Problems();
    requiredString(e, EventFields.EVENT_NAME, problems);
    requiredString(e, EventFields.SERVICE_NAME, problems);
    Object rw = e.get(EventFields.EVENT_RW);
    if (rw != null && !RW.contains(rw)) {
      problems.add(
          rw instanceof String
              ? EventRejected.value(EventFields.EVENT_RW, "must be Read or Write, not '" + rw + "'")
              : EventRejected.type(EventFields.EVENT_RW, "Read or Write"));
    }
    Object version = e.get(EventFields.EVENT_VERSION);
    if (version != null && !(version instanceof String) && !isInteger(version)) {
      problems.add(EventRejected.type(EventFields.EVENT_VERSION, "a string or a whole number"));
    }
    if (e.fields().keySet().stream().anyMatch(EventNormalizer::looksLikeRecordedBy)) {
      problems.add(
          new EventRejected(
              "ReservedField",
              "The field "
                  + EventFields.RECORDED_BY
                  + " is set by OpenTrail to who recorded the event; an event cannot carry it."));
    }
    Object identity = e.get(EventFields.USER_IDENTITY);
    if (identity == null) {
      problems.add(EventRejected.missing(EventFields.USER_IDENTITY));
    } else if (!(identity instanceof Map<?, ?> id)) {
      problems.add(EventRejected.type(EventFields.USER_IDENTITY, "an object"));
    } else {
      for (String f : IDENTITY_STRINGS) {
        if (id.get(f) != null && !(id.get(f) instanceof String)) {
          problems.add(EventRejected.type(EventFields.USER_IDENTITY + "." + f, "a string"));
        }
      }
    }
    for (String f : STRING_FIELDS) {
      if (e.get(f) != null && !(e.get(f) instanceof String)) {
        problems.add(EventRejected.type(f, "a string"));
      }
    }
    if (e.get(EventFields.IS_GLOBAL) != null
        && !(e.get(EventFields.IS_GLOBAL) instanceof Boolean)) {
      problems.add(EventRejected.type(EventFields.IS_GLOBAL, "true or false"));
    }
    checkReferencedResources(e.get(EventFields.REFERENCED_RESOURCES), problems);
    Object categoryValue = e.get(EventFields.EVENT_CATEGORY);
    String category = categoryValue instanceof String c ? c : null;
    if (category != null && !CATEGORIES.contains(category)) {
      problems.add(
          EventRejected.value(
              EventFields.EVENT_CATEGORY,
              "must be Management, Data or Insight, not '" + category + "'"));
    }
    Object recipientValue = e.get(EventFields.RECIPIENT_ACCOUNT_ID);
    String recipient = recipientValue instanceof String r ? r : null;
    if (recipient != null && !recipient.equals(account)) {
      problems.add(
          new EventRejected(
              "AccountMismatch",
              "The event's recipientAccountId "
                  + recipient
                  + " is not the account recording it ("
                  + account
                  + ")."));
    }

    Map<String, Object> changes = new LinkedHashMap<>();
    Object rawId = e.get(EventFields.EVENT_ID);
    if (rawId == null) {
      changes.put(EventFields.EVENT_ID, ids.next(nowMillis));
    } else if (!(rawId instanceof String id2)) {
      problems.add(EventRejected.type(EventFields.EVENT_ID, "a string"));
    } else if (!EVENT_ID.matcher(id2).matches()) {
      problems.add(
          EventRejected.value(
              EventFields.EVENT_ID, "must be 1 to 128 printable ASCII characters without spaces"));
    }
    Object rawTime = e.get(EventFields.EVENT_TIME);
    if (rawTime == null) {
      // whole seconds, as ActionTrail writes eventTime and strict consumers parse it
      changes.put(EventFields.EVENT_TIME, Instant.ofEpochSecond(nowMillis / 1000).toString());
    } else if (!(rawTime instanceof String t)) {
      problems.add(
          EventRejected.type(
              EventFields.EVENT_TIME, "an ISO-8601 time string such as 2024-01-31T08:00:00Z"));
    } else {
      checkTime(e, t, oldestMillis, newestMillis, changes, problems);
    }
    if (problems.any()) {
      // the checks of the completed event, on the event as sent, so that every problem is named
      checkLookupValues(e, problems);
      if (e.jsonSize() > EventRecorder.MAX_EVENT_BYTES) {
        problems.add(tooLarge(e.jsonSize()));
      }
      throw problems.rejection();
    }
    if (recipient == null) {
      changes.put(EventFields.RECIPIENT_ACCOUNT_ID, account);
    }
    if (e.acsRegion() == null) {
      changes.put(EventFields.ACS_REGION, region);
    }
    if (version == null) {
      changes.put(EventFields.EVENT_VERSION, "1");
    }
    if (category == null) {
      changes.put(EventFields.EVENT_CATEGORY, "Management");
    }
    changes.putAll(stamps);
    Event out = changes.isEmpty() ? e : e.withAll(changes);
    checkLookupValues(out, problems);
    if (out.jsonSize() > EventRecorder.MAX_EVENT_BYTES) {
      problems.add(tooLarge(out.jsonSize()));
    }
    if (problems.any()) {
      throw problems.rejection();
    }
    return out;
  }

  private static void checkTime(
      Event e,
      String t,
      long oldestMillis,
      long newestMillis,
      Map<String, Object> changes,
      EventRejected.Problems problems) {
    Instant time;
    try {
      time = Instant.ofEpochMilli(e.eventTimeMillis());
    } catch (DateTimeParseException ex) {
      problems.add(
          EventRejected.value(
              EventFields.EVENT_TIME,
              "must be an ISO-8601 time with a zone, such as 2024-01-31T08:00:00Z, not '"
                  + t
                  + "'"));
      return;
    }
    if (time.toEpochMilli() < oldestMillis) {
      problems.add(
          new EventRejected(
              "EventTimeOutOfRange",
              "The eventTime "
                  + t
                  + " is older than the event history keeps events (since "
                  + Instant.ofEpochMilli(oldestMillis)
                  + ")."));
    } else if (time.toEpochMilli() > newestMillis) {
      problems.add(
          new EventRejected(
              "EventTimeOutOfRange",
              "The eventTime "
                  + t
                  + " is in the future (later than "
                  + Instant.ofEpochMilli(newestMillis)
                  + ")."));
    }
    String utc = time.toString();
    if (!utc.equals(t) && !t.endsWith("Z")) {
      changes.put(EventFields.EVENT_TIME, utc); // an offset is written in UTC; Z forms stay as sent
    }
  }

  /** recordedBy, or a key a reader matching loosely could take for it ("RecordedBy "). */
  private static boolean looksLikeRecordedBy(String key) {
    return key.strip().equalsIgnoreCase(EventFields.RECORDED_BY);
  }

  private static EventRejected tooLarge(long bytes) {
    return new EventRejected(
        "EventTooLarge",
        "The event is "
            + bytes
            + " bytes; an event may have at most "
            + EventRecorder.MAX_EVENT_BYTES
            + " bytes.");
  }

  private static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger;
  }

  private static void requiredString(Event e, String field, EventRejected.Problems problems) {
    Object v = e.get(field);
    if (v == null) {
      problems.add(EventRejected.missing(field));
    } else if (!(v instanceof String s)) {
      problems.add(EventRejected.type(field, "a string"));
    } else if (s.isBlank()) {
      problems.add(EventRejected.value(field, "must not be empty"));
    }
  }

  private static void checkReferencedResources(Object refs, EventRejected.Problems problems) {
    if (refs == null) {
      return;
    }
    if (!(refs instanceof Map<?, ?> m)) {
      problems.add(
          EventRejected.type(
              EventFields.REFERENCED_RESOURCES, "an object of resource type to resource names"));
      return;
    }
    for (Map.Entry<?, ?> entry : m.entrySet()) {
      Object names = entry.getValue();
      boolean ok =
          names instanceof String
              || (names instanceof List<?> l && l.stream().allMatch(n -> n instanceof String));
      if (!ok) {
        problems.add(
            EventRejected.type(
                EventFields.REFERENCED_RESOURCES + "." + entry.getKey(),
                "a list of resource names"));
      }
    }
  }

  private static void checkLookupValues(Event e, EventRejected.Problems problems) {
    for (LookupKey k : LookupKey.values()) {
      List<String> values = k.valuesOf(e);
      if (values.size() > LookupKey.MAX_VALUES) {
        problems.add(
            EventRejected.value(
                k.actionTrailName(),
                "has "
                    + values.size()
                    + " values; at most "
                    + LookupKey.MAX_VALUES
                    + " are allowed"));
        continue;
      }
      for (String v : values) {
        if (v.length() > LookupKey.MAX_VALUE_LENGTH) {
          problems.add(
              EventRejected.value(
                  k.actionTrailName(),
                  "has a value of "
                      + v.length()
                      + " characters; at most "
                      + LookupKey.MAX_VALUE_LENGTH
                      + " are allowed"));
          break;
        }
      }
    }
  }
}
