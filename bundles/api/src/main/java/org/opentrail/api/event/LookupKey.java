package org.opentrail.api.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;

/**
 * The attributes events are looked up by, with ActionTrail's {@code LookupAttribute.N.Key} names,
 * and which values of an event each one matches. Matching is exact and case-sensitive, as in
 * ActionTrail.
 */
public enum LookupKey {
  EVENT_NAME("EventName"),
  /** {@code userIdentity.userName}. */
  USER("User"),
  /** {@code resourceType} (several separated by {@code ;}) and the keys of referencedResources. */
  RESOURCE_TYPE("ResourceType"),
  /** {@code resourceName} (several separated by {@code ;}) and the names in referencedResources. */
  RESOURCE_NAME("ResourceName"),
  EVENT_RW("EventRW"),
  SERVICE_NAME("ServiceName"),
  /** {@code userIdentity.accessKeyId}. */
  EVENT_ACCESS_KEY_ID("EventAccessKeyId"),
  EVENT_ID("EventId");

  /** Longest value an event may carry in a looked-up attribute. */
  public static final int MAX_VALUE_LENGTH = 1024;

  /** Most values one event may carry for one key (e.g. resource names). */
  public static final int MAX_VALUES = 256;

  private final String actionTrailName;

  LookupKey(String actionTrailName) {
    this.actionTrailName = actionTrailName;
  }

  /** The key as ActionTrail's LookupEvents spells it. */
  public String actionTrailName() {
    return actionTrailName;
  }

  /**
   * The key ActionTrail spells {@code name}.
   *
   * @param parameter the request parameter the name came from, named in the error
   * @throws InvalidParameterException for a name that is not a lookup key
   */
  public static LookupKey fromActionTrailName(String name, String parameter) {
    for (LookupKey k : values()) {
      if (k.actionTrailName.equals(name)) {
        return k;
      }
    }
    List<String> names = new ArrayList<>();
    for (LookupKey k : values()) {
      names.add(k.actionTrailName);
    }
    throw new InvalidParameterException(
        parameter,
        "The parameter "
            + parameter
            + " has an unknown lookup key '"
            + name
            + "'; valid keys are "
            + String.join(", ", names)
            + ".");
  }

  /**
   * The values of this attribute in {@code event}, in order, without duplicates or blanks
   * (unmodifiable; computed once per event).
   */
  public List<String> valuesOf(Event event) {
    return event.lookupValues(this);
  }

  List<String> extract(Event event) {
    List<String> out = new ArrayList<>(2);
    switch (this) {
      case EVENT_NAME -> add(out, event.eventName());
      case USER -> add(out, event.userName());
      case EVENT_RW -> add(out, event.eventRW());
      case SERVICE_NAME -> add(out, event.serviceName());
      case EVENT_ACCESS_KEY_ID -> add(out, event.accessKeyId());
      case EVENT_ID -> add(out, event.eventId());
      case RESOURCE_TYPE -> {
        split(out, event.resourceType());
        if (event.get(EventFields.REFERENCED_RESOURCES) instanceof Map<?, ?> refs) {
          for (Object type : refs.keySet()) {
            add(out, (String) type);
          }
        }
      }
      case RESOURCE_NAME -> {
        split(out, event.resourceName());
        if (event.get(EventFields.REFERENCED_RESOURCES) instanceof Map<?, ?> refs) {
          for (Object names : refs.values()) {
            if (names instanceof Collection<?> c) {
              for (Object n : c) {
                if (n instanceof String s) {
                  add(out, s);
                }
              }
            } else if (names instanceof String s) {
              split(out, s);
            }
          }
        }
      }
    }
    return out;
  }

  private static void split(List<String> out, String value) {
    if (value == null) {
      return;
    }
    if (value.indexOf(';') < 0) {
      add(out, value);
      return;
    }
    for (String part : value.split(";")) {
      add(out, part);
    }
  }

  private static void add(List<String> out, String value) {
    if (value == null) {
      return;
    }
    String v = value.strip();
    if (!v.isEmpty() && !out.contains(v)) {
      out.add(v);
    }
  }
}
