package org.opentrail.shell;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.trail.DestinationSpec;

/**
 * Reads destinations written {@code [id@]type[:key=value[,key=value...]]}, e.g. {@code
 * file:bucket=audit-log}.
 */
final class Destinations {
  private Destinations() {}

  static DestinationSpec parse(String text) {
    String s = text.strip();
    String id = "";
    int at = s.indexOf('@');
    int colon = s.indexOf(':');
    if (at > 0 && (colon < 0 || at < colon)) {
      id = s.substring(0, at);
      s = s.substring(at + 1);
      colon = s.indexOf(':');
    }
    String type = colon < 0 ? s : s.substring(0, colon);
    Map<String, String> config = new LinkedHashMap<>();
    if (colon >= 0 && colon < s.length() - 1) {
      for (String pair : s.substring(colon + 1).split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "A destination is [id@]type[:key=value,...]; '"
                  + pair
                  + "' in '"
                  + text
                  + "' is not key=value");
        }
        config.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    if (type.isEmpty()) {
      throw new IllegalArgumentException(
          "A destination is [id@]type[:key=value,...], e.g. file:bucket=audit-log; '"
              + text
              + "' has no type");
    }
    return new DestinationSpec(id, type, config);
  }

  static String format(DestinationSpec d) {
    StringBuilder b = new StringBuilder(d.id()).append('@').append(d.type());
    String sep = ":";
    for (Map.Entry<String, String> e : d.config().entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = ",";
    }
    return b.toString();
  }
}
