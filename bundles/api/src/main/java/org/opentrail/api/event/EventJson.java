package org.opentrail.api.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON for events: UTF-8 only, duplicate keys rejected (an ambiguous audit record is a
 * tampering vector), nesting at most {@value #MAX_DEPTH} deep, nothing after the value, floating
 * point numbers kept exactly. Errors are {@link MalformedJsonException}s whose message says what
 * and where.
 */
public final class EventJson {
  /** Deepest nesting accepted in any document. */
  public static final int MAX_DEPTH = 64;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(100)
                  .maxStringLength(64 << 20)
                  .build())
          .build();

  /** For JSON this class wrote itself: no duplicate keys to look for. */
  private static final JsonFactory CANONICAL =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(100)
                  .maxStringLength(64 << 20)
                  .build())
          .build();

  private EventJson() {}

  /** Parses one event: a JSON object. */
  public static Event parseEvent(byte[] json) {
    Object value = read(json);
    if (!(value instanceof Map<?, ?>)) {
      throw new MalformedJsonException("An event must be a JSON object, not " + kind(value) + ".");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) value;
    return Event.trusted(fields, null);
  }

  /**
   * Parses an event from JSON this class wrote (as stores keep it), keeping those bytes as the
   * event's canonical JSON so that writing it again costs nothing.
   */
  public static Event parseCanonical(byte[] json) {
    return Event.trusted(readCanonicalObject(json), json);
  }

  /**
   * Like {@link #parseCanonical} but parsed only when first needed: {@code known} gives top-level
   * string fields (with {@code null} for absent ones) that are answered without parsing.
   */
  public static Event lazyCanonical(byte[] json, Map<String, String> known) {
    return Event.lazy(json, known);
  }

  static Map<String, Object> readCanonicalObject(byte[] json) {
    Object value = read(CANONICAL, json);
    if (!(value instanceof Map<?, ?>)) {
      throw new MalformedJsonException("An event must be a JSON object, not " + kind(value) + ".");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) value;
    return fields;
  }

  /**
   * Parses a batch of events: a JSON array of objects, or an object whose {@code Events} (or {@code
   * events}) field is such an array.
   */
  public static List<Event> parseEvents(byte[] json) {
    Object value = read(json);
    if (value instanceof Map<?, ?> m) {
      Object events = m.containsKey("Events") ? m.get("Events") : m.get("events");
      if (events == null) {
        throw new MalformedJsonException(
            "A batch must be a JSON array of events or an object with an \"Events\" array.");
      }
      value = events;
    }
    if (!(value instanceof List<?> list)) {
      throw new MalformedJsonException(
          "A batch of events must be a JSON array, not " + kind(value) + ".");
    }
    List<Event> events = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> item)) {
        throw new MalformedJsonException(
            "Element " + i + " of the batch is " + kind(list.get(i)) + ", not a JSON object.");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) item;
      events.add(Event.trusted(fields, null));
    }
    return events;
  }

  /**
   * Reads any JSON document into unmodifiable maps (in key order), lists, strings, booleans, {@code
   * null}, and numbers ({@code Integer}, {@code Long}, {@code BigInteger}, {@code BigDecimal}).
   */
  public static Object read(byte[] json) {
    return read(FACTORY, json);
  }

  private static Object read(JsonFactory factory, byte[] json) {
    if (json.length == 0) {
      throw new MalformedJsonException("The document is empty.");
    }
    try (JsonParser p = factory.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new MalformedJsonException("The document is empty.");
      }
      Object value = readValue(p, first);
      if (p.nextToken() != null) {
        throw new MalformedJsonException(
            "Unexpected content after the JSON value at " + where(p) + ".");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(
          "Malformed JSON: " + e.getOriginalMessage() + " at " + where(e) + ".", e);
    } catch (IOException e) {
      throw new MalformedJsonException("Unreadable JSON: " + e.getMessage(), e);
    }
  }

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          LinkedHashMap<String, Object> map = new LinkedHashMap<>(32);
          for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
            String name = p.currentName();
            map.put(name, readValue(p, p.nextToken()));
          }
          return Collections.unmodifiableMap(map);
        }
      case START_ARRAY:
        {
          ArrayList<Object> list = new ArrayList<>();
          for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
            list.add(readValue(p, v));
          }
          return Collections.unmodifiableList(list);
        }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> p.getIntValue();
          case LONG -> p.getLongValue();
          default -> p.getBigIntegerValue();
        };
      case VALUE_NUMBER_FLOAT:
        return p.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new MalformedJsonException("Unexpected token " + t + " at " + where(p) + ".");
    }
  }

  /** Writes a JSON value (as {@link #read} returns them, or an {@link Event}) as UTF-8. */
  public static byte[] write(Object value) {
    ByteArrayBuilder out = new ByteArrayBuilder(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writeValue(g, value, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@link #write} indented for people to read. */
  public static String toPrettyString(Object value) {
    ByteArrayBuilder out = new ByteArrayBuilder(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      writeValue(g, value, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  /** {@link #write} as a string. */
  public static String toString(Object value) {
    return new String(write(value), StandardCharsets.UTF_8);
  }

  /**
   * @param raw whether an {@link Event} is written as its JSON form as it is (compact output; the
   *     form is JSON this class wrote or parsed strictly), rather than re-encoded field by field
   */
  private static void writeValue(JsonGenerator g, Object v, boolean raw) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Event e) {
      if (raw) {
        g.writeRawValue(new RawJson(e.rawJson()));
      } else {
        writeValue(g, e.fields(), false);
      }
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue(), raw);
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object item : l) {
        writeValue(g, item, raw);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof Number n) {
      g.writeNumber(n.toString());
    } else {
      g.writeString(v.toString());
    }
  }

  private static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof List) {
      return "an array";
    }
    return "an object";
  }

  private static String where(JsonParser p) {
    return "line "
        + p.currentLocation().getLineNr()
        + ", column "
        + p.currentLocation().getColumnNr();
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? "an unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
