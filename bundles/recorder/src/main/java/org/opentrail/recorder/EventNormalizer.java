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
          EventFields.EVENT_VERSION,
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
   * The event as it will be stored.
   *
   * @param oldestMillis the oldest eventTime accepted (the history's retention)
   * @param newestMillis the newest eventTime accepted (now plus the allowed clock skew)
   */
  Event normalize(Event e, String account, long nowMillis, long oldestMillis, long newestMillis)
      throws EventRejected {
    requiredString(e, EventFields.EVENT_NAME);
    requiredString(e, EventFields.SERVICE_NAME);
    String rw = requiredString(e, EventFields.EVENT_RW);
    if (!RW.contains(rw)) {
      throw EventRejected.value(EventFields.EVENT_RW, "must be Read or Write, not '" + rw + "'");
    }
    Object identity = e.get(EventFields.USER_IDENTITY);
    if (identity == null) {
      throw EventRejected.missing(EventFields.USER_IDENTITY);
    }
    if (!(identity instanceof Map<?, ?> id)) {
      throw EventRejected.type(EventFields.USER_IDENTITY, "an object");
    }
    for (String f : IDENTITY_STRINGS) {
      if (id.get(f) != null && !(id.get(f) instanceof String)) {
        throw EventRejected.type(EventFields.USER_IDENTITY + "." + f, "a string");
      }
    }
    for (String f : STRING_FIELDS) {
      if (e.get(f) != null && !(e.get(f) instanceof String)) {
        throw EventRejected.type(f, "a string");
      }
    }
    if (e.get(EventFields.IS_GLOBAL) != null
        && !(e.get(EventFields.IS_GLOBAL) instanceof Boolean)) {
      throw EventRejected.type(EventFields.IS_GLOBAL, "true or false");
    }
    checkReferencedResources(e.get(EventFields.REFERENCED_RESOURCES));
    String category = e.eventCategory();
    if (category != null && !CATEGORIES.contains(category)) {
      throw EventRejected.value(
          EventFields.EVENT_CATEGORY,
          "must be Management, Data or Insight, not '" + category + "'");
    }
    String recipient = e.recipientAccountId();
    if (recipient != null && !recipient.equals(account)) {
      throw new EventRejected(
          "AccountMismatch",
          "The event's recipientAccountId "
              + recipient
              + " is not the account recording it ("
              + account
              + ").");
    }

    Map<String, Object> changes = new LinkedHashMap<>();
    Object rawId = e.get(EventFields.EVENT_ID);
    if (rawId == null) {
      changes.put(EventFields.EVENT_ID, ids.next(nowMillis));
    } else if (!(rawId instanceof String id2)) {
      throw EventRejected.type(EventFields.EVENT_ID, "a string");
    } else if (!EVENT_ID.matcher(id2).matches()) {
      throw EventRejected.value(
          EventFields.EVENT_ID, "must be 1 to 128 printable ASCII characters without spaces");
    }
    Object rawTime = e.get(EventFields.EVENT_TIME);
    if (rawTime == null) {
      changes.put(EventFields.EVENT_TIME, Instant.ofEpochMilli(nowMillis).toString());
    } else if (!(rawTime instanceof String t)) {
      throw EventRejected.type(
          EventFields.EVENT_TIME, "an ISO-8601 time string such as 2024-01-31T08:00:00Z");
    } else {
      Instant time = parseTime(e, t);
      if (time.toEpochMilli() < oldestMillis) {
        throw new EventRejected(
            "EventTimeOutOfRange",
            "The eventTime "
                + t
                + " is older than the event history keeps events (since "
                + Instant.ofEpochMilli(oldestMillis)
                + ").");
      }
      if (time.toEpochMilli() > newestMillis) {
        throw new EventRejected(
            "EventTimeOutOfRange",
            "The eventTime "
                + t
                + " is in the future (later than "
                + Instant.ofEpochMilli(newestMillis)
                + ").");
      }
      String utc = time.toString();
      if (!utc.equals(t)) {
        changes.put(EventFields.EVENT_TIME, utc);
      }
    }
    if (recipient == null) {
      changes.put(EventFields.RECIPIENT_ACCOUNT_ID, account);
    }
    if (e.acsRegion() == null) {
      changes.put(EventFields.ACS_REGION, region);
    }
    if (e.get(EventFields.EVENT_VERSION) == null) {
      changes.put(EventFields.EVENT_VERSION, "1");
    }
    if (category == null) {
      changes.put(EventFields.EVENT_CATEGORY, "Management");
    }
    Event out = changes.isEmpty() ? e : e.withAll(changes);
    checkLookupValues(out);
    if (out.jsonSize() > EventRecorder.MAX_EVENT_BYTES) {
      throw new EventRejected(
          "EventTooLarge",
          "The event is "
              + out.jsonSize()
              + " bytes; an event may have at most "
              + EventRecorder.MAX_EVENT_BYTES
              + " bytes.");
    }
    return out;
  }

  private static String requiredString(Event e, String field) throws EventRejected {
    Object v = e.get(field);
    if (v == null) {
      throw EventRejected.missing(field);
    }
    if (!(v instanceof String s)) {
      throw EventRejected.type(field, "a string");
    }
    if (s.isBlank()) {
      throw EventRejected.value(field, "must not be empty");
    }
    return s;
  }

  private static void checkReferencedResources(Object refs) throws EventRejected {
    if (refs == null) {
      return;
    }
    if (!(refs instanceof Map<?, ?> m)) {
      throw EventRejected.type(
          EventFields.REFERENCED_RESOURCES, "an object of resource type to resource names");
    }
    for (Map.Entry<?, ?> entry : m.entrySet()) {
      Object names = entry.getValue();
      boolean ok =
          names instanceof String
              || (names instanceof List<?> l && l.stream().allMatch(n -> n instanceof String));
      if (!ok) {
        throw EventRejected.type(
            EventFields.REFERENCED_RESOURCES + "." + entry.getKey(), "a list of resource names");
      }
    }
  }

  private static void checkLookupValues(Event e) throws EventRejected {
    for (LookupKey k : LookupKey.values()) {
      List<String> values = k.valuesOf(e);
      if (values.size() > LookupKey.MAX_VALUES) {
        throw EventRejected.value(
            k.actionTrailName(),
            "has " + values.size() + " values; at most " + LookupKey.MAX_VALUES + " are allowed");
      }
      for (String v : values) {
        if (v.length() > LookupKey.MAX_VALUE_LENGTH) {
          throw EventRejected.value(
              k.actionTrailName(),
              "has a value of "
                  + v.length()
                  + " characters; at most "
                  + LookupKey.MAX_VALUE_LENGTH
                  + " are allowed");
        }
      }
    }
  }

  private static Instant parseTime(Event e, String t) throws EventRejected {
    try {
      return Instant.ofEpochMilli(e.eventTimeMillis());
    } catch (DateTimeParseException ex) {
      throw EventRejected.value(
          EventFields.EVENT_TIME,
          "must be an ISO-8601 time with a zone, such as 2024-01-31T08:00:00Z, not '" + t + "'");
    }
  }
}
