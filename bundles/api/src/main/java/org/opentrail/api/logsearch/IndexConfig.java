package org.opentrail.api.logsearch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which fields of a logstore are indexed, and how (Log Service's field index configuration).
 *
 * @param fullText whether bare words and phrases search the whole event (Log Service's full-text
 *     index)
 * @param fields field name, as queries address it (e.g. {@code event.userIdentity.userName} in an
 *     {@code actiontrail_*} logstore), to its type
 */
public record IndexConfig(boolean fullText, Map<String, FieldType> fields) {
  public IndexConfig {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** How a field is indexed. */
  public enum FieldType {
    /** The whole value as one term (Log Service: text with no delimiters). */
    KEYWORD,
    /** Words of the value (Log Service: text with its default delimiters). */
    TEXT,
    /** A 64-bit integer; ranges allowed (Log Service: long). */
    LONG,
    /** A floating point number; ranges allowed (Log Service: double). */
    DOUBLE
  }
}
