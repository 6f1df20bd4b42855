package org.opentrail.sink.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.StoredEvent;

/**
 * One event as a table row: the typed columns of {@link #TEXT_COLUMNS} (ActionTrail's field of the
 * same meaning, e.g. {@code source_ip} is {@code sourceIpAddress}, {@code user_name} is {@code
 * userIdentity.userName}), {@code event_time} (its {@code eventTime}, UTC) and {@code event}, the
 * whole event as canonical JSON.
 *
 * @param text the values of {@link #TEXT_COLUMNS}, in order, {@code null} where the event has none
 * @param eventTimeMillis eventTime, epoch milliseconds
 * @param json the event's JSON, fit for a PostgreSQL {@code jsonb} (see {@link #jsonFor})
 */
record EventRow(String[] text, long eventTimeMillis, String json) {
  /** Text columns, {@code event_id} first; then come {@code event_time} and {@code event}. */
  static final List<String> TEXT_COLUMNS =
      List.of(
          "event_id",
          "event_name",
          "event_rw",
          "event_type",
          "event_category",
          "event_source",
          "service_name",
          "acs_region",
          "user_name",
          "user_type",
          "access_key_id",
          "source_ip",
          "resource_type",
          "resource_name",
          "error_code",
          "request_id",
          "recipient_account_id");

  /** Every column, in the order rows are written. */
  static final String COLUMN_LIST = String.join(", ", TEXT_COLUMNS) + ", event_time, event";

  String eventId() {
    return text[0];
  }

  /**
   * The row of a stored event.
   *
   * @throws IllegalArgumentException if the event has no eventId (the recorder always gives one)
   */
  static EventRow of(StoredEvent stored) {
    Event e = stored.event();
    Map<String, Object> identity = e.userIdentity();
    String[] t = {
      e.eventId(),
      e.eventName(),
      e.eventRW(),
      e.eventType(),
      e.eventCategory(),
      e.getString("eventSource"),
      e.serviceName(),
      e.acsRegion(),
      e.userName(),
      identity.get("type") instanceof String s ? s : null,
      e.accessKeyId(),
      e.getString("sourceIpAddress"),
      e.resourceType(),
      e.resourceName(),
      e.getString("errorCode"),
      e.getString("requestId"),
      e.recipientAccountId()
    };
    if (t[0] == null) {
      throw new IllegalArgumentException(
          "the event at sequence " + stored.sequence() + " has no eventId");
    }
    if (t[t.length - 1] == null) {
      throw new IllegalArgumentException(
          "the event at sequence " + stored.sequence() + " has no recipientAccountId");
    }
    for (int i = 0; i < t.length; i++) {
      if (t[i] != null && t[i].indexOf('\0') >= 0) {
        t[i] = t[i].replace('\0', '\uFFFD'); // SQL text cannot hold NUL; the JSON keeps the event
      }
    }
    long millis = stored.timeMillis();
    try {
      millis = e.eventTimeMillis();
    } catch (RuntimeException noTime) {
      // the store's time stands in for an eventTime it never lacks after the recorder
    }
    return new EventRow(t, millis, jsonFor(new String(e.toJson(), StandardCharsets.UTF_8)));
  }

  /**
   * The row's identity, as the store's: the recipient account and the eventId ({@code
   * <account>/<eventId>}); the table's primary key is the same pair.
   */
  String key() {
    return text()[text().length - 1] + "/" + eventId();
  }

  /** eventTime as ISO-8601 UTC, e.g. {@code 2026-11-30T12:00:00.123Z}. */
  String eventTime() {
    return Instant.ofEpochMilli(eventTimeMillis).toString();
  }

  /**
   * {@code json} with every {@code \u0000} escape written as the six characters {@code \\u0000}
   * instead: PostgreSQL's jsonb refuses the NUL character, and a batch that can never be loaded
   * would stop the destination for good.
   */
  static String jsonFor(String json) {
    if (!json.contains("u0000")) {
      return json;
    }
    StringBuilder b = new StringBuilder(json.length() + 8);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\\' && i + 1 < json.length()) {
        if (json.startsWith("u0000", i + 1)) {
          b.append("\\\\u0000");
          i += 5;
        } else {
          b.append(c).append(json.charAt(i + 1));
          i++;
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Appends this row in PostgreSQL's COPY text format (columns of {@link #COLUMN_LIST}, tab
   * separated, {@code \N} for null, backslash escapes; documented under "COPY: Text Format").
   */
  void appendCopyText(StringBuilder out) {
    for (String v : text) {
      copyValue(out, v);
      out.append('\t');
    }
    out.append(eventTime()).append('\t');
    copyValue(out, json);
    out.append('\n');
  }

  private static void copyValue(StringBuilder out, String v) {
    if (v == null) {
      out.append("\\N");
      return;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }
}
