package org.opentrail.console;

import java.util.Map;
import org.opentrail.api.event.Event;

/**
 * One event in plain language, e.g. "alice deleted bucket b from 192.0.2.7": who (userName, else
 * the identity type), the eventName's verb in the past tense and the rest of its words, the
 * resource's name, where from, and "(failed: code)" when it has an errorCode. Not HTML-escaped:
 * callers escape.
 */
final class Plain {
  private static final Map<String, String> PAST =
      Map.ofEntries(
          Map.entry("Create", "created"),
          Map.entry("Delete", "deleted"),
          Map.entry("Update", "updated"),
          Map.entry("Put", "put"),
          Map.entry("Get", "read"),
          Map.entry("List", "listed"),
          Map.entry("Describe", "described"),
          Map.entry("Lookup", "looked up"),
          Map.entry("Start", "started"),
          Map.entry("Stop", "stopped"),
          Map.entry("Enable", "enabled"),
          Map.entry("Disable", "disabled"),
          Map.entry("Attach", "attached"),
          Map.entry("Detach", "detached"),
          Map.entry("Set", "set"),
          Map.entry("Add", "added"),
          Map.entry("Remove", "removed"),
          Map.entry("Modify", "modified"),
          Map.entry("Copy", "copied"),
          Map.entry("Upload", "uploaded"),
          Map.entry("Download", "downloaded"),
          Map.entry("Head", "checked"),
          Map.entry("Grant", "granted"),
          Map.entry("Revoke", "revoked"));

  private Plain() {}

  static String describe(Event e) {
    String who = e.userName();
    if (who == null || who.isEmpty()) {
      Object type = e.userIdentity() == null ? null : e.userIdentity().get("type");
      who = type == null ? "someone" : type.toString();
    }
    String name = e.eventName() == null ? "" : e.eventName();
    StringBuilder b = new StringBuilder(who).append(' ');
    if (name.equals("ConsoleSignin")) {
      b.append("signed in to the console");
    } else if (name.equals("ConsoleSignout")) {
      b.append("signed out of the console");
    } else {
      String[] words = name.split("(?<=[a-z0-9])(?=[A-Z])");
      String verb = words.length > 0 ? PAST.get(words[0]) : null;
      if (verb == null) {
        b.append("called ").append(name.isEmpty() ? "an unnamed operation" : name);
      } else {
        b.append(verb);
        for (int i = 1; i < words.length; i++) {
          b.append(' ').append(words[i].toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    String resource = e.resourceName();
    if (resource != null && !resource.isEmpty() && !name.startsWith("Console")) {
      b.append(' ').append(Text.clip(resource, 120));
    }
    String ip = e.getString("sourceIpAddress");
    if (ip != null && !ip.isEmpty()) {
      b.append(" from ").append(ip);
    }
    String error = e.getString("errorCode");
    if (error != null && !error.isEmpty()) {
      b.append(" (failed: ").append(error).append(')');
    }
    return b.toString();
  }
}
