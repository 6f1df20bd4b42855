package org.opentrail.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.trail.DestinationSpec;

/**
 * OpenTrail's {@code Destinations} parameter of CreateTrail and UpdateTrail, and field of
 * DescribeTrails: a JSON array of {@code {"Id", "Type", "Config": {key: value}}}, for sink types
 * ActionTrail's own parameters do not name.
 */
final class DestinationsParameter {
  private static final Set<String> DESTINATION_KEYS = Set.of("Id", "Type", "Config");

  private DestinationsParameter() {}

  /** OpenTrail's Destinations: a JSON array of {"Id", "Type", "Config": {key: value}}. */
  static List<DestinationSpec> read(ApiRequest r) {
    String json = r.optional("Destinations");
    if (json == null) {
      return List.of();
    }
    Object value;
    try {
      value = EventJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (OpenTrailException e) {
      throw new InvalidParameterException(
          "Destinations", "The parameter Destinations: " + e.getMessage());
    }
    if (!(value instanceof List<?> list)) {
      throw new InvalidParameterException(
          "Destinations",
          "The parameter Destinations must be a JSON array of {\"Id\", \"Type\", \"Config\"} objects.");
    }
    List<DestinationSpec> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "Destinations[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> d)) {
        throw new InvalidParameterException("Destinations", where + " must be a JSON object.");
      }
      for (Object k : d.keySet()) {
        if (!DESTINATION_KEYS.contains(k)) {
          throw new InvalidParameterException(
              "Destinations",
              where
                  + " has an unknown field '"
                  + FormCodec.printable(String.valueOf(k))
                  + "' (fields: Id, Type, Config).");
        }
      }
      if (!(d.get("Type") instanceof String type) || type.isEmpty()) {
        throw new InvalidParameterException(
            "Destinations", where + ".Type must be a sink type such as file or logstore.");
      }
      Object id = d.get("Id");
      if (id != null && !(id instanceof String)) {
        throw new InvalidParameterException("Destinations", where + ".Id must be a string.");
      }
      if (TrailParameters.OSS.equals(id)
          || TrailParameters.SLS.equals(id)
          || TrailParameters.MAXCOMPUTE.equals(id)) {
        throw new InvalidParameterException(
            "Destinations",
            where
                + ".Id '"
                + id
                + "' is reserved for OssBucketName, SlsProjectArn and MaxComputeProjectArn.");
      }
      Map<String, String> config = new LinkedHashMap<>();
      Object c = d.get("Config");
      if (c != null) {
        if (!(c instanceof Map<?, ?> cm)) {
          throw new InvalidParameterException(
              "Destinations", where + ".Config must be a JSON object of strings.");
        }
        for (Map.Entry<?, ?> e : cm.entrySet()) {
          if (!(e.getValue() instanceof String v)) {
            throw new InvalidParameterException(
                "Destinations",
                where
                    + ".Config."
                    + FormCodec.printable(String.valueOf(e.getKey()))
                    + " must be a string.");
          }
          config.put((String) e.getKey(), v);
        }
      }
      out.add(new DestinationSpec((String) id, type, config));
    }
    return out;
  }

  /** The destinations as DescribeTrails answers them (secrets already hidden by the trail). */
  static List<Object> write(List<DestinationSpec> specs) {
    List<Object> out = new ArrayList<>();
    for (DestinationSpec d : specs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Id", d.id());
      m.put("Type", d.type());
      m.put("Config", new LinkedHashMap<>(d.config()));
      out.add(m);
    }
    return out;
  }
}
