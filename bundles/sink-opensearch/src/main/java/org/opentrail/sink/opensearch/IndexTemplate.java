package org.opentrail.sink.opensearch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composable index template ({@code PUT _index_template/<name>}, OpenSearch 1+ and
 * Elasticsearch 7.8+) for a destination's indices: ActionTrail's event fields typed (keywords for
 * ids and names, {@code date} for eventTime, {@code text} for userAgent and errorMessage), the
 * free-form {@code requestParameters}, {@code responseElements}, {@code additionalEventData},
 * {@code referencedResources} and {@code userIdentity.sessionContext} kept in {@code _source} but
 * not indexed ({@code enabled: false}), and other fields not mapped ({@code dynamic: false}), so
 * that no shape of event ever causes a mapping conflict.
 */
final class IndexTemplate {
  static final List<String> KEYWORDS =
      List.of(
          "eventId",
          "eventVersion",
          "eventName",
          "eventRW",
          "eventType",
          "eventCategory",
          "eventSource",
          "serviceName",
          "acsRegion",
          "apiVersion",
          "requestId",
          "sourceIpAddress",
          "resourceType",
          "resourceName",
          "recipientAccountId",
          "errorCode");
  static final List<String> OPAQUE =
      List.of(
          "requestParameters", "responseElements", "additionalEventData", "referencedResources");

  private IndexTemplate() {}

  /** The template's name for a destination's index (base) name. */
  static String name(String index) {
    return "opentrail-" + index;
  }

  /** The template body, a JSON value for {@link org.opentrail.api.event.EventJson#write}. */
  static Map<String, Object> body(String pattern, int shards, int replicas) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (String k : KEYWORDS) {
      props.put(k, Map.of("type", "keyword", "ignore_above", 1024));
    }
    props.put(
        "eventTime", Map.of("type", "date", "format", "strict_date_optional_time||epoch_millis"));
    props.put(
        "userAgent",
        Map.of(
            "type",
            "text",
            "fields",
            Map.of("raw", Map.of("type", "keyword", "ignore_above", 512))));
    props.put("errorMessage", Map.of("type", "text"));
    props.put("isGlobal", Map.of("type", "boolean"));
    for (String k : OPAQUE) {
      props.put(k, Map.of("type", "object", "enabled", false));
    }
    Map<String, Object> identity = new LinkedHashMap<>();
    for (String k : List.of("type", "accountId", "principalId", "userName", "accessKeyId")) {
      identity.put(k, Map.of("type", "keyword", "ignore_above", 1024));
    }
    identity.put("sessionContext", Map.of("type", "object", "enabled", false));
    props.put("userIdentity", Map.of("type", "object", "properties", identity));
    Map<String, Object> mappings = new LinkedHashMap<>();
    mappings.put("dynamic", false);
    mappings.put("properties", props);
    Map<String, Object> settings =
        Map.of("index", Map.of("number_of_shards", shards, "number_of_replicas", replicas));
    return Map.of(
        "index_patterns",
        List.of(pattern),
        "priority",
        200,
        "template",
        Map.of("settings", settings, "mappings", mappings),
        "_meta",
        Map.of("created_by", "OpenTrail sink-opensearch"));
  }
}
