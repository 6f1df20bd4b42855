package org.opentrail.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailSpec;

/**
 * How CreateTrail's and UpdateTrail's parameters become a {@link TrailSpec} and back: {@code
 * OssBucketName}/{@code OssKeyPrefix} are the destination {@code oss} of sink type {@code file},
 * {@code SlsProjectArn} the destination {@code sls} of sink type {@code logstore}, and OpenTrail's
 * {@code Destinations} (a JSON array of {@code {"Id", "Type", "Config"}}) adds destinations of any
 * sink type, e.g. those ActionTrail lacks.
 */
final class TrailParameters {
  static final String OSS = "oss";
  static final String SLS = "sls";
  private static final Pattern SLS_ARN =
      Pattern.compile(
          "acs:log:([a-z0-9-]*):(\\d{12,16}):project/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])");
  private static final Set<String> DESTINATION_KEYS = Set.of("Id", "Type", "Config");

  String name(ApiRequest r) {
    return r.required("Name");
  }

  TrailSpec create(ApiRequest r) {
    refuseOrganization(r);
    List<DestinationSpec> destinations = new ArrayList<>();
    String bucket = r.optional("OssBucketName");
    if (bucket != null) {
      destinations.add(oss(bucket, r.optional("OssKeyPrefix")));
    } else if (r.optional("OssKeyPrefix") != null) {
      throw InvalidParameterException.missing("OssBucketName");
    }
    String sls = r.optional("SlsProjectArn");
    if (sls != null) {
      destinations.add(sls(r, sls));
    }
    destinations.addAll(extra(r));
    checkRoles(r);
    return new TrailSpec(name(r), r.optional("EventRW"), categories(r), regions(r), destinations);
  }

  /**
   * UpdateTrail: what is given replaces what was; an empty OssBucketName or SlsProjectArn removes
   * it.
   */
  TrailSpec update(ApiRequest r, TrailSpec old) {
    refuseOrganization(r);
    checkRoles(r);
    Map<String, DestinationSpec> byId = new LinkedHashMap<>();
    for (DestinationSpec d : old.destinations()) {
      byId.put(d.id(), d);
    }
    if (r.params.containsKey("OssBucketName")) {
      String bucket = r.optional("OssBucketName");
      if (bucket == null) {
        byId.remove(OSS);
      } else {
        DestinationSpec was = byId.get(OSS);
        String prefix =
            r.params.containsKey("OssKeyPrefix")
                ? r.optional("OssKeyPrefix")
                : was == null ? null : was.config().get("prefix");
        byId.put(OSS, oss(bucket, prefix));
      }
    } else if (r.params.containsKey("OssKeyPrefix")) {
      DestinationSpec was = byId.get(OSS);
      if (was == null) {
        throw InvalidParameterException.missing("OssBucketName");
      }
      byId.put(OSS, oss(was.config().get("bucket"), r.optional("OssKeyPrefix")));
    }
    if (r.params.containsKey("SlsProjectArn")) {
      String arn = r.optional("SlsProjectArn");
      if (arn == null) {
        byId.remove(SLS);
      } else {
        byId.put(SLS, sls(r, arn));
      }
    }
    if (r.params.containsKey("Destinations")) {
      byId.keySet().removeIf(id -> !id.equals(OSS) && !id.equals(SLS));
      for (DestinationSpec d : extra(r)) {
        byId.put(d.id(), d);
      }
    }
    return new TrailSpec(
        old.name(),
        r.optional("EventRW") != null ? r.optional("EventRW") : old.eventRW(),
        r.optional("EventCategories") != null ? categories(r) : old.categories(),
        r.optional("TrailRegion") != null ? regions(r) : old.regions(),
        new ArrayList<>(byId.values()));
  }

  /**
   * OssBucketName, OssKeyPrefix, SlsProjectArn and the write roles of a trail, as ActionTrail shows
   * them.
   */
  void actionTrailFields(Trail t, Map<String, Object> m) {
    String role = roleArn(t.accountId());
    for (DestinationSpec d : t.spec().destinations()) {
      if (d.id().equals(OSS) && d.type().equals("file")) {
        m.put("OssBucketName", d.config().get("bucket"));
        m.put("OssKeyPrefix", d.config().getOrDefault("prefix", ""));
        m.put("OssWriteRoleArn", role);
      } else if (d.id().equals(SLS) && d.type().equals("logstore")) {
        m.put("SlsProjectArn", d.config().get("project"));
        m.put("SlsWriteRoleArn", role);
      }
    }
  }

  static List<Object> destinations(List<DestinationSpec> specs) {
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

  private static DestinationSpec oss(String bucket, String prefix) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("bucket", bucket);
    if (prefix != null && !prefix.isEmpty()) {
      config.put("prefix", prefix);
    }
    return new DestinationSpec(OSS, "file", config);
  }

  private static DestinationSpec sls(ApiRequest r, String arn) {
    var m = SLS_ARN.matcher(arn);
    if (!m.matches()) {
      throw new InvalidParameterException(
          "SlsProjectArn",
          "The parameter SlsProjectArn must look like acs:log:<region>:<account>:project/<project>, not '"
              + ApiRequest.clip(arn)
              + "'.");
    }
    if (!m.group(2).equals(r.account())) {
      throw new InvalidParameterException(
          "SlsProjectArn", "The parameter SlsProjectArn must name a project of your own account.");
    }
    return new DestinationSpec(SLS, "logstore", Map.of("project", arn));
  }

  /** OpenTrail's Destinations: a JSON array of {"Id", "Type", "Config": {key: value}}. */
  private static List<DestinationSpec> extra(ApiRequest r) {
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
      if (OSS.equals(id) || SLS.equals(id)) {
        throw new InvalidParameterException(
            "Destinations",
            where + ".Id '" + id + "' is reserved for OssBucketName and SlsProjectArn.");
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

  private static Set<String> categories(ApiRequest r) {
    String v = r.optional("EventCategories");
    return v == null ? null : new LinkedHashSet<>(Arrays.asList(v.split(",")));
  }

  private static List<String> regions(ApiRequest r) {
    String v = r.optional("TrailRegion");
    return v == null ? null : Arrays.stream(v.split(",")).map(String::strip).toList();
  }

  private static void refuseOrganization(ApiRequest r) {
    if (Boolean.TRUE.equals(r.bool("IsOrganizationTrail"))) {
      throw new InvalidParameterException(
          "IsOrganizationTrail", "OpenTrail has no organization (multi-account) trails.");
    }
  }

  /** Trails write as the account's delivery role; another role cannot be named. */
  private static void checkRoles(ApiRequest r) {
    for (String p : List.of("OssWriteRoleArn", "SlsWriteRoleArn")) {
      String v = r.optional(p);
      if (v != null && !v.toLowerCase(Locale.ROOT).equals(roleArn(r.account()))) {
        throw new InvalidParameterException(
            p,
            "The parameter "
                + p
                + " can only be the account's delivery role "
                + roleArn(r.account())
                + ": OpenTrail delivers as "
                + DeliveryRole.ROLE_NAME
                + ".");
      }
    }
  }

  static String roleArn(String account) {
    return "acs:ram::" + account + ":role/" + DeliveryRole.ROLE_NAME.toLowerCase(Locale.ROOT);
  }
}
