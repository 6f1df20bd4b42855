package org.opentrail.logsearch;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.LeafReader;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.IndexConfig.FieldType;

/**
 * The column {@code event} of an {@code actiontrail_*} logstore's table: the event as JSON text,
 * where Log Service's ActionTrail logs keep it, for {@code json_extract(event, '$.a.b')} and {@code
 * json_extract_scalar}. It is rebuilt from the index's doc values, so it holds the event's indexed
 * fields ({@code event.<path>} of the index configuration, nested by their dots: {@code
 * {"eventName":"PutObject","userIdentity":{"userName":"alice"}}}), each text value at most 8 KiB,
 * {@code eventTime} as ISO-8601 UTC; fields that are not indexed are not in it. A logstore that
 * indexes a field named {@code event} itself, or no {@code event.*} field, has no such column.
 */
final class EventColumn {
  static final String NAME = "event";

  private final List<String> fields = new ArrayList<>();
  private final List<FieldType> types = new ArrayList<>();

  private EventColumn() {}

  /** The column for {@code config}, or null when it has none (see the class comment). */
  static EventColumn of(IndexConfig config) {
    if (config.fields().containsKey(NAME)) {
      return null;
    }
    EventColumn c = new EventColumn();
    for (Map.Entry<String, FieldType> f : config.fields().entrySet()) {
      if (f.getKey().startsWith(LogFields.EVENT_PREFIX)) {
        c.fields.add(f.getKey());
        c.types.add(f.getValue());
      }
    }
    return c.fields.isEmpty() ? null : c;
  }

  /** Reads the column in one leaf of the index. */
  Reader open(LeafReader leaf) throws IOException {
    Object[] readers = new Object[fields.size()];
    String[][] caches = new String[fields.size()][];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = LogTable.open(leaf, fields.get(i), types.get(i));
      caches[i] = LogTable.cache(readers[i]);
    }
    return new Reader(readers, caches);
  }

  /** The column's values in one leaf, documents in increasing order. */
  final class Reader {
    private final Object[] readers;
    private final String[][] caches;

    private Reader(Object[] readers, String[][] caches) {
      this.readers = readers;
      this.caches = caches;
    }

    /** The document's event as JSON text ({@code {}} if none of its fields is indexed). */
    String json(int doc) throws IOException {
      Map<String, Object> event = new LinkedHashMap<>();
      for (int i = 0; i < readers.length; i++) {
        Object v = LogTable.read(readers[i], types.get(i), doc, caches[i]);
        if (v == null) {
          continue;
        }
        String path = fields.get(i).substring(LogFields.EVENT_PREFIX.length());
        if ("eventTime".equals(path) && v instanceof Long millis) {
          v = Instant.ofEpochMilli(millis).toString();
        }
        put(event, path, v);
      }
      return EventJson.toString(event);
    }
  }

  /** Puts {@code value} at the dotted {@code path}, making the maps on the way. */
  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String path, Object value) {
    Map<String, Object> m = root;
    String[] parts = path.split("\\.", -1);
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = m.get(parts[i]);
      if (!(next instanceof Map<?, ?>)) {
        next = new LinkedHashMap<String, Object>();
        m.put(parts[i], next);
      }
      m = (Map<String, Object>) next;
    }
    m.putIfAbsent(parts[parts.length - 1], value);
  }
}
