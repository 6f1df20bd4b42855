package org.opentrail.source.kubernetes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON the API server posts with a streaming parser, strictly: UTF-8, duplicate keys
 * refused (Go's encoding/json never writes them, so one is a forged or corrupted body), numbers
 * exact. Values become plain trees ({@code LinkedHashMap}, {@code ArrayList}, {@code String},
 * {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code BigDecimal}, {@code
 * null}) that {@link org.opentrail.api.event.Event#of} accepts.
 *
 * <p>Structures nested deeper than {@link #MAX_DEPTH} levels below an audit entry are replaced by
 * {@link #TOO_DEEP}: an event is read back with at most 64 levels ({@link
 * org.opentrail.api.event.EventJson#MAX_DEPTH}), and an entry's values sit two levels down in it.
 */
final class AuditJson {
  /** Deepest nesting kept below an audit entry. */
  static final int MAX_DEPTH = 56;

  /** What stands for a structure nested deeper than {@link #MAX_DEPTH}. */
  static final String TOO_DEEP = "<omitted: nested more than " + MAX_DEPTH + " levels>";

  /** What stands for a value skipped unread (present, but not kept). */
  static final Object SKIPPED = new Object();

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(1000)
                  .maxNumberLength(1000)
                  .maxStringLength(64 << 20)
                  .build())
          .build();

  private AuditJson() {}

  /** A parser over a whole body. */
  static JsonParser parser(byte[] body) throws IOException {
    return FACTORY.createParser(body);
  }

  /**
   * Reads the object the parser is at (its {@code START_OBJECT} is the current token), leaving the
   * parser at its {@code END_OBJECT}. The values of top-level keys in {@code skip} are not read:
   * they map to {@link #SKIPPED}.
   */
  static Map<String, Object> readObject(JsonParser p, Set<String> skip) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (skip.contains(key)) {
        p.skipChildren();
        m.put(key, SKIPPED);
      } else {
        m.put(key, value(p, v, 1));
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected " + t);
    }
    return m;
  }

  /** Reads the value at the current token {@code t}, at {@code depth} below the entry. */
  static Object value(JsonParser p, JsonToken t, int depth) throws IOException {
    switch (t) {
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
      case START_OBJECT:
        {
          if (depth > MAX_DEPTH) {
            p.skipChildren();
            return TOO_DEEP;
          }
          Map<String, Object> m = new LinkedHashMap<>();
          JsonToken k;
          while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            m.put(key, value(p, p.nextToken(), depth + 1));
          }
          if (k != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + k);
          }
          return m;
        }
      case START_ARRAY:
        {
          if (depth > MAX_DEPTH) {
            p.skipChildren();
            return TOO_DEEP;
          }
          List<Object> l = new ArrayList<>();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == null) {
              throw new IOException("the body ends inside an array");
            }
            l.add(value(p, e, depth + 1));
          }
          return l;
        }
      default:
        throw new IOException("unexpected " + t);
    }
  }

  /** The string at {@code key} if it is one, else {@code null}. */
  static String string(Map<String, Object> m, String key) {
    return m != null && m.get(key) instanceof String s ? s : null;
  }

  /** The object at {@code key} if it is one, else {@code null}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> m, String key) {
    return m != null && m.get(key) instanceof Map<?, ?> o ? (Map<String, Object>) o : null;
  }
}
