package org.opentrail.selfaudit;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Records configuration changes, whatever made them (a {@code .cfg} edited in {@code etc/}, a shell
 * command), from Configuration Admin's own events: {@code UpdateConfiguration} or {@code
 * DeleteConfiguration} on resource {@code ACS::OpenTrail::Configuration} {@code <pid>}, with the
 * keys that changed and, for keys that are not secrets, their new values (secret values are never
 * recorded: {@link SelfAuditEvents#secret}).
 */
@Component(service = ConfigurationListener.class)
public final class ConfigurationChanges implements ConfigurationListener {
  private static final int MAX_VALUE = 256;

  private final ConfigurationAdmin admin;
  private final SelfAuditEvents events;

  /** The last properties seen per PID, to tell which keys an update changed. */
  private final Map<String, Map<String, Object>> known = new ConcurrentHashMap<>();

  @Activate
  public ConfigurationChanges(
      @Reference ConfigurationAdmin admin,
      @Reference EventRecorder recorder,
      @Reference IdentityService identities)
      throws IOException, InvalidSyntaxException {
    this.admin = admin;
    this.events = new SelfAuditEvents(recorder, identities);
    Configuration[] all = admin.listConfigurations(null);
    if (all != null) {
      for (Configuration c : all) {
        known.put(c.getPid(), properties(c.getProperties()));
      }
    }
  }

  @Override
  public void configurationEvent(ConfigurationEvent event) {
    String pid = event.getPid();
    Map<String, Object> params = new LinkedHashMap<>();
    if (event.getFactoryPid() != null) {
      params.put("factoryPid", event.getFactoryPid());
    }
    String name;
    if (event.getType() == ConfigurationEvent.CM_DELETED) {
      name = "DeleteConfiguration";
      Map<String, Object> before = known.remove(pid);
      params.put("removedKeys", before == null ? java.util.List.of() : before.keySet());
    } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
      name = "UpdateConfiguration";
      Map<String, Object> now;
      try {
        Configuration[] c = admin.listConfigurations("(service.pid=" + pid + ")");
        now = c == null || c.length == 0 ? Map.of() : properties(c[0].getProperties());
      } catch (IOException | InvalidSyntaxException e) {
        now = Map.of();
      }
      Map<String, Object> before = known.getOrDefault(pid, Map.of());
      Map<String, Object> changed = new TreeMap<>();
      for (Map.Entry<String, Object> e : now.entrySet()) {
        if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
          changed.put(e.getKey(), shown(e.getKey(), e.getValue()));
        }
      }
      for (String k : before.keySet()) {
        if (!now.containsKey(k)) {
          changed.put(k, "(removed)");
        }
      }
      known.put(pid, now);
      if (changed.isEmpty()) {
        return; // re-registered with the same properties: nothing changed
      }
      params.put("changed", changed);
    } else {
      return;
    }
    events.record(
        SelfAuditEvents.PLATFORM,
        name,
        EventFields.WRITE,
        SelfAuditEvents.platform(),
        "ACS::OpenTrail::Configuration",
        pid,
        params,
        null);
  }

  private static Object shown(String key, Object value) {
    if (SelfAuditEvents.secret(key)) {
      return SelfAuditEvents.REDACTED;
    }
    String s = value == null ? "null" : value.getClass().isArray() ? "(array)" : value.toString();
    return SelfAuditEvents.clip(s, MAX_VALUE);
  }

  /** A configuration's properties without Configuration Admin's and File Install's own. */
  static Map<String, Object> properties(Dictionary<String, Object> d) {
    Map<String, Object> out = new TreeMap<>();
    if (d == null) {
      return out;
    }
    for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
      String k = keys.nextElement();
      if (k.startsWith("service.") || k.startsWith("felix.fileinstall.")) {
        continue;
      }
      Object v = d.get(k);
      out.put(
          k,
          v != null && v.getClass().isArray()
              ? java.util.Arrays.deepToString(new Object[] {v})
              : v);
    }
    return out;
  }
}
