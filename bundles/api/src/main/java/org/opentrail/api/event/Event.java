package org.opentrail.api.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One audit event in ActionTrail's format. Immutable: its fields are a deep, unmodifiable JSON tree
 * (strings, numbers, booleans, null, lists and maps in their original order), and fields this class
 * has no accessor for are kept, never dropped. The canonical JSON form is computed once and cached.
 *
 * <p>An {@code Event} may hold content the recorder will reject (a number where a string belongs, a
 * missing {@code eventName}); typed accessors then answer {@code null} and the recorder says what
 * is wrong.
 */
public final class Event {
  /**
   * The fields; for an event read back from a store, parsed from {@code json} when first needed.
   */
  private volatile Map<String, Object> fields;

  /** Top-level string fields known without parsing (a store's record of them), or {@code null}. */
  private final Map<String, String> known;

  private volatile byte[] json;
  // computed on first use: what the recorder checks is what the store indexes, computed once
  private final Object[] lookupValues = new Object[LookupKey.values().length];
  private volatile long timeMillis = NO_TIME;
  private static final long NO_TIME = Long.MIN_VALUE;

  private Event(Map<String, Object> fields, byte[] json) {
    this(fields, json, null);
  }

  private Event(Map<String, Object> fields, byte[] json, Map<String, String> known) {
    this.fields = fields;
    this.known = known;
    this.json = json;
  }

  /**
   * An event with the given fields, deep-copied. Values must be JSON values: {@code String}, {@code
   * Boolean}, a {@code Number} ({@code Integer}, {@code Long}, {@code BigInteger}, {@code
   * BigDecimal}, {@code Double} or {@code Float}), {@code null}, a {@code List} or a {@code Map}
   * with string keys, nested the same way.
   *
   * @throws IllegalArgumentException if a value is not a JSON value
   */
  public static Event of(Map<String, ?> fields) {
    return new Event(copyObject(fields, "event"), null);
  }

  /** Used by {@link EventJson}, whose trees are already unmodifiable and hold only JSON values. */
  static Event trusted(Map<String, Object> fields, byte[] json) {
    return new Event(fields, json);
  }

  /**
   * An event read back as the canonical JSON {@link EventJson} wrote: parsed only when a field not
   * in {@code known} is asked for (delivering it as JSON needs no parsing at all).
   */
  static Event lazy(byte[] json, Map<String, String> known) {
    return new Event(null, json, known);
  }

  /** All fields, in their original order; unmodifiable, nested values too. */
  public Map<String, Object> fields() {
    Map<String, Object> f = fields;
    if (f == null) {
      f = EventJson.readCanonicalObject(json);
      fields = f;
    }
    return f;
  }

  /** The value of a top-level field, or {@code null}. */
  public Object get(String field) {
    return fields().get(field);
  }

  /** The value of a top-level field if it is a string, else {@code null}. */
  public String getString(String field) {
    if (known != null && known.containsKey(field)) {
      return known.get(field);
    }
    return fields().get(field) instanceof String s ? s : null;
  }

  public String eventId() {
    return getString(EventFields.EVENT_ID);
  }

  public String eventTime() {
    return getString(EventFields.EVENT_TIME);
  }

  /**
   * {@code eventTime} in epoch milliseconds (UTC).
   *
   * @throws java.time.format.DateTimeParseException if eventTime is not an ISO-8601 time with a
   *     zone or offset
   * @throws IllegalStateException if the event has no eventTime string
   */
  public long eventTimeMillis() {
    long t = timeMillis;
    if (t == NO_TIME) {
      String s = eventTime();
      if (s == null) {
        throw new IllegalStateException("the event has no eventTime");
      }
      t = EventTimes.parseMillis(s);
      timeMillis = t;
    }
    return t;
  }

  /** The values of a lookup attribute, computed once per event. */
  @SuppressWarnings("unchecked")
  List<String> lookupValues(LookupKey key) {
    Object v = lookupValues[key.ordinal()];
    if (v == null) {
      v = List.copyOf(key.extract(this));
      lookupValues[key.ordinal()] = v;
    }
    return (List<String>) v;
  }

  public String eventName() {
    return getString(EventFields.EVENT_NAME);
  }

  public String eventRW() {
    return getString(EventFields.EVENT_RW);
  }

  public String eventType() {
    return getString(EventFields.EVENT_TYPE);
  }

  public String eventCategory() {
    return getString(EventFields.EVENT_CATEGORY);
  }

  public String serviceName() {
    return getString(EventFields.SERVICE_NAME);
  }

  public String acsRegion() {
    return getString(EventFields.ACS_REGION);
  }

  public String recipientAccountId() {
    return getString(EventFields.RECIPIENT_ACCOUNT_ID);
  }

  public String resourceType() {
    return getString(EventFields.RESOURCE_TYPE);
  }

  public String resourceName() {
    return getString(EventFields.RESOURCE_NAME);
  }

  /** {@code userIdentity} if it is an object, else an empty map. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> userIdentity() {
    return fields().get(EventFields.USER_IDENTITY) instanceof Map<?, ?> m
        ? (Map<String, Object>) m
        : Map.of();
  }

  /** {@code userIdentity.userName}, or {@code null}. */
  public String userName() {
    return userIdentity().get(EventFields.IDENTITY_USER_NAME) instanceof String s ? s : null;
  }

  /** {@code userIdentity.accessKeyId}, or {@code null}. */
  public String accessKeyId() {
    return userIdentity().get(EventFields.IDENTITY_ACCESS_KEY_ID) instanceof String s ? s : null;
  }

  /** A copy of this event with one top-level field set (appended if new); {@code null} removes. */
  public Event with(String field, Object value) {
    return withAll(Collections.singletonMap(field, value));
  }

  /** A copy of this event with several top-level fields set; a {@code null} value removes one. */
  public Event withAll(Map<String, ?> changes) {
    boolean onlyNew = true;
    for (Map.Entry<String, ?> change : changes.entrySet()) {
      if (change.getValue() == null || fields().containsKey(change.getKey())) {
        onlyNew = false;
        break;
      }
    }
    if (onlyNew) {
      // appending fields: keep the original tree and lay the new ones over it
      LinkedHashMap<String, Object> added = new LinkedHashMap<>();
      for (Map.Entry<String, ?> change : changes.entrySet()) {
        added.put(
            Objects.requireNonNull(change.getKey(), "field name"),
            copyValue(change.getValue(), change.getKey()));
      }
      return new Event(new OverlayMap(fields(), Collections.unmodifiableMap(added)), null);
    }
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(fields());
    for (Map.Entry<String, ?> change : changes.entrySet()) {
      Objects.requireNonNull(change.getKey(), "field name");
      if (change.getValue() == null) {
        copy.remove(change.getKey());
      } else {
        copy.put(change.getKey(), copyValue(change.getValue(), change.getKey()));
      }
    }
    return new Event(Collections.unmodifiableMap(copy), null);
  }

  /** The canonical JSON form (UTF-8), a fresh copy. */
  public byte[] toJson() {
    return json().clone();
  }

  /** The size in bytes of the canonical JSON form. */
  public int jsonSize() {
    return json().length;
  }

  /** The JSON form itself, not a copy: for writers in this package, which only read it. */
  byte[] rawJson() {
    return json();
  }

  private byte[] json() {
    byte[] j = json;
    if (j == null) {
      j = EventJson.write(fields());
      json = j;
    }
    return j;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e && fields().equals(e.fields());
  }

  @Override
  public int hashCode() {
    return fields().hashCode();
  }

  @Override
  public String toString() {
    return new String(json(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A deep, unmodifiable copy of a JSON object. Paths for the error message are built only when a
   * value is refused, not for every key copied.
   *
   * @param path where {@code source} is, e.g. {@code event}
   */
  static Map<String, Object> copyObject(Map<?, ?> source, String path) {
    try {
      return copyObject(source);
    } catch (NotJson e) {
      throw new IllegalArgumentException(path + e.path + e.problem);
    }
  }

  /** {@link #copyValue(Object)} with {@code path} naming the value in an error. */
  static Object copyValue(Object value, String path) {
    try {
      return copyValue(value);
    } catch (NotJson e) {
      throw new IllegalArgumentException(path + e.path + e.problem);
    }
  }

  private static Map<String, Object> copyObject(Map<?, ?> source) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, source.size() * 2));
    for (Map.Entry<?, ?> e : source.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new NotJson(" has a key that is not a string: " + e.getKey());
      }
      try {
        copy.put(key, copyValue(e.getValue()));
      } catch (NotJson bad) {
        throw bad.under("." + key);
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NotJson(" is not a finite number");
      }
      return BigDecimal.valueOf(d);
    }
    if (value instanceof Short || value instanceof Byte) {
      return ((Number) value).intValue();
    }
    if (value instanceof Map<?, ?> m) {
      return copyObject(m);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      int i = 0;
      for (Object item : l) {
        try {
          copy.add(copyValue(item));
        } catch (NotJson bad) {
          throw bad.under("[" + i + "]");
        }
        i++;
      }
      return Collections.unmodifiableList(copy);
    }
    throw new NotJson(" is not a JSON value: " + value.getClass().getName());
  }

  /** A refused value, with its path within the value being copied, built as it unwinds. */
  private static final class NotJson extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String problem;
    private String path = "";

    NotJson(String problem) {
      super(null, null, false, false);
      this.problem = problem;
    }

    NotJson under(String segment) {
      path = segment + path;
      return this;
    }
  }
}
