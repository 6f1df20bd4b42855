package org.opentrail.api.trail;

import java.util.Map;
import java.util.Objects;

/**
 * One place a trail delivers to.
 *
 * @param id the destination's name within its trail (lowercase letters, digits, {@code -}, {@code
 *     _}; empty or {@code null} makes one from the sink type)
 * @param type the sink type, e.g. {@code file} or {@code logstore}
 * @param config the sink's configuration, checked by the sink type's provider
 */
public record DestinationSpec(String id, String type, Map<String, String> config) {
  public DestinationSpec {
    Objects.requireNonNull(type, "type");
    id = id == null ? "" : id;
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  public static DestinationSpec of(String type, Map<String, String> config) {
    return new DestinationSpec("", type, config);
  }
}
