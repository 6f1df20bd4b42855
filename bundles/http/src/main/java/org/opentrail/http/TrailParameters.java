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
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailSpec;

/**
 * How CreateTrail's and UpdateTrail's parameters become a {@link TrailSpec} and back: {@code
 * OssBucketName}/{@code OssKeyPrefix} are the destination {@code oss} (sink type {@code file}, or
 * the OSS provider the operator chose, e.g. {@code s3}), {@code SlsProjectArn} the destination
 * {@code sls} ({@code logstore}, or e.g. {@code opensearch}), {@code MaxComputeProjectArn} the
 * destination {@code maxcompute} ({@code jdbc}), each with its write role ({@code OssWriteRoleArn},
 * ...) when that is another account's role (ActionTrail's delivery to another account); and
 * OpenTrail's {@code Destinations} (a JSON array of {@code {"Id", "Type", "Config"}}) adds
 * destinations of any sink type.
 */
final class TrailParameters {
  static final String OSS = "oss";
  static final String SLS = "sls";
  static final String MAXCOMPUTE = "maxcompute";

  /**
   * The sink types behind ActionTrail's storage parameters.
   *
   * @param oss for OssBucketName ({@code file} or {@code s3})
   * @param sls for SlsProjectArn ({@code logstore} or {@code opensearch})
   * @param maxCompute for MaxComputeProjectArn ({@code jdbc})
   */
  record SinkTypes(String oss, String sls, String maxCompute) {
    static final SinkTypes DEFAULTS = new SinkTypes("file", "logstore", "jdbc");
  }

  private final SinkTypes types;

  TrailParameters(SinkTypes types) {
    this.types = types;
  }

  private static final Pattern SLS_ARN =
      Pattern.compile(
          "acs:log:([a-z0-9-]*):(\\d{12,16}):project/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])");
  private static final Pattern ODPS_ARN =
      Pattern.compile("acs:odps:([a-z0-9-]*):(\\d{12,16}):project/([A-Za-z][A-Za-z0-9_]{2,27})");

  String name(ApiRequest r) {
    return r.required("Name");
  }

  TrailSpec create(ApiRequest r) {
    refuseOrganization(r);
    List<DestinationSpec> destinations = new ArrayList<>();
    String bucket = r.optional("OssBucketName");
    if (bucket != null) {
      destinations.add(oss(bucket, r.optional("OssKeyPrefix"), role(r, "OssWriteRoleArn", null)));
    } else if (r.optional("OssKeyPrefix") != null) {
      throw InvalidParameterException.missing("OssBucketName");
    }
    String sls = r.optional("SlsProjectArn");
    if (sls != null) {
      destinations.add(sls(sls, name(r), role(r, "SlsWriteRoleArn", null)));
    }
    String odps = r.optional("MaxComputeProjectArn");
    if (odps != null) {
      destinations.add(maxCompute(odps, role(r, "MaxComputeWriteRoleArn", null)));
    }
    destinations.addAll(DestinationsParameter.read(r));
    checkRoles(r);
    return new TrailSpec(name(r), r.optional("EventRW"), categories(r), regions(r), destinations);
  }

  /**
   * UpdateTrail: what is given replaces what was; an empty OssBucketName or SlsProjectArn removes
   * it.
   */
  TrailSpec update(ApiRequest r, TrailSpec old) {
    refuseOrganization(r);

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
        byId.put(OSS, oss(bucket, prefix, role(r, "OssWriteRoleArn", was)));
      }
    } else if (r.params.containsKey("OssKeyPrefix") || r.params.containsKey("OssWriteRoleArn")) {
      DestinationSpec was = byId.get(OSS);
      if (was == null) {
        throw InvalidParameterException.missing("OssBucketName");
      }
      String prefix =
          r.params.containsKey("OssKeyPrefix")
              ? r.optional("OssKeyPrefix")
              : was.config().get("prefix");
      byId.put(OSS, oss(was.config().get("bucket"), prefix, role(r, "OssWriteRoleArn", was)));
    }
    if (r.params.containsKey("SlsProjectArn") || r.params.containsKey("SlsWriteRoleArn")) {
      DestinationSpec was = byId.get(SLS);
      String arn =
          r.params.containsKey("SlsProjectArn") ? r.optional("SlsProjectArn") : project(was);
      if (arn == null && !r.params.containsKey("SlsProjectArn")) {
        throw InvalidParameterException.missing("SlsProjectArn");
      }
      if (arn == null) {
        byId.remove(SLS);
      } else {
        byId.put(SLS, sls(arn, old.name(), role(r, "SlsWriteRoleArn", was)));
      }
    }
    if (r.params.containsKey("MaxComputeProjectArn")
        || r.params.containsKey("MaxComputeWriteRoleArn")) {
      DestinationSpec was = byId.get(MAXCOMPUTE);
      String arn =
          r.params.containsKey("MaxComputeProjectArn")
              ? r.optional("MaxComputeProjectArn")
              : project(was);
      if (arn == null && !r.params.containsKey("MaxComputeProjectArn")) {
        throw InvalidParameterException.missing("MaxComputeProjectArn");
      }
      if (arn == null) {
        byId.remove(MAXCOMPUTE);
      } else {
        byId.put(MAXCOMPUTE, maxCompute(arn, role(r, "MaxComputeWriteRoleArn", was)));
      }
    }
    if (r.params.containsKey("Destinations")) {
      byId.keySet().removeIf(id -> !id.equals(OSS) && !id.equals(SLS) && !id.equals(MAXCOMPUTE));
      for (DestinationSpec d : DestinationsParameter.read(r)) {
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
    String own = roleArn(t.accountId());
    for (DestinationSpec d : t.spec().destinations()) {
      String role = d.config().getOrDefault(DestinationSpec.ROLE_ARN, own);
      if (d.id().equals(OSS) && d.type().equals(types.oss())) {
        m.put("OssBucketName", d.config().get("bucket"));
        m.put("OssKeyPrefix", d.config().getOrDefault("prefix", ""));
        m.put("OssWriteRoleArn", role);
      } else if (d.id().equals(SLS) && d.type().equals(types.sls()) && project(d) != null) {
        m.put("SlsProjectArn", project(d));
        m.put("SlsWriteRoleArn", role);
      } else if (d.id().equals(MAXCOMPUTE)
          && d.type().equals(types.maxCompute())
          && project(d) != null) {
        m.put("MaxComputeProjectArn", project(d));
        m.put("MaxComputeWriteRoleArn", role);
      }
    }
  }

  /** The project ARN a destination was made from, or null. */
  private static String project(DestinationSpec d) {
    if (d == null) {
      return null;
    }
    String p = d.config().get(DestinationSpec.PROJECT_ARN);
    return p != null ? p : d.config().get("project");
  }

  /**
   * The role a destination delivers through: {@code null} for the account's own delivery role (the
   * default), else the role ARN of another account (delivery to another account), as given in
   * {@code parameter} or, when absent, as {@code was} had it.
   */
  private static String role(ApiRequest r, String parameter, DestinationSpec was) {
    String v = r.params.containsKey(parameter) ? r.optional(parameter) : null;
    if (v == null) {
      return r.params.containsKey(parameter) || was == null
          ? null
          : was.config().get(DestinationSpec.ROLE_ARN);
    }
    if (v.toLowerCase(Locale.ROOT).equals(roleArn(r.account()))) {
      return null;
    }
    if (org.opentrail.api.auth.RoleTrust.accountOf(v) == null) {
      throw new InvalidParameterException(
          parameter,
          "The parameter "
              + parameter
              + " is a RAM role ARN, acs:ram::<accountId>:role/<roleName>, not '"
              + ApiRequest.clip(v)
              + "'.");
    }
    return v;
  }

  private DestinationSpec oss(String bucket, String prefix, String role) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("bucket", bucket);
    if (prefix != null && !prefix.isEmpty()) {
      config.put("prefix", prefix);
    }
    if (role != null) {
      config.put(DestinationSpec.ROLE_ARN, role);
    }
    return new DestinationSpec(OSS, types.oss(), config);
  }

  /**
   * The Log Service destination: for the embedded logstore the project is its {@code project}; for
   * another provider it is kept as {@link DestinationSpec#PROJECT_ARN}. Whether the project is the
   * account's own, or its role's account's, the trail engine checks. For OpenSearch the project
   * names the index, {@code <project>.actiontrail_<trail>}, as it holds the logstore {@code
   * actiontrail_<trail>} in Log Service: two accounts' trails of one name never meet in one index.
   */
  private DestinationSpec sls(String arn, String trail, String role) {
    if (!SLS_ARN.matcher(arn).matches()) {
      throw new InvalidParameterException(
          "SlsProjectArn",
          "The parameter SlsProjectArn must look like acs:log:<region>:<account>:project/<project>, not '"
              + ApiRequest.clip(arn)
              + "'.");
    }
    Map<String, String> config = new LinkedHashMap<>();
    // the trail engine checks the project's account against the destination's owner
    config.put(DestinationSpec.PROJECT_ARN, arn);
    if (types.sls().equals("opensearch")) {
      String project = arn.substring(arn.lastIndexOf('/') + 1);
      config.put("index", project + ".actiontrail_" + trail.toLowerCase(Locale.ROOT));
    }
    if (role != null) {
      config.put(DestinationSpec.ROLE_ARN, role);
    }
    return new DestinationSpec(SLS, types.sls(), config);
  }

  /**
   * The MaxCompute destination: a table of the warehouse sink in the schema named after the project
   * (a MaxCompute project is the account's own warehouse, as a schema is: two accounts' projects
   * never share a table), its project kept.
   */
  private DestinationSpec maxCompute(String arn, String role) {
    var m = ODPS_ARN.matcher(arn);
    if (!m.matches()) {
      throw new InvalidParameterException(
          "MaxComputeProjectArn",
          "The parameter MaxComputeProjectArn must look like acs:odps:<region>:<account>:project/<project>, not '"
              + ApiRequest.clip(arn)
              + "'.");
    }
    Map<String, String> config = new LinkedHashMap<>();
    config.put(DestinationSpec.PROJECT_ARN, arn);
    if (types.maxCompute().equals("jdbc")) {
      config.put("schema", m.group(3).toLowerCase(Locale.ROOT));
    }
    if (role != null) {
      config.put(DestinationSpec.ROLE_ARN, role);
    }
    return new DestinationSpec(MAXCOMPUTE, types.maxCompute(), config);
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
  /** A write role given without the storage it is for is a mistake worth saying. */
  private static void checkRoles(ApiRequest r) {
    String[][] pairs = {
      {"OssWriteRoleArn", "OssBucketName"},
      {"SlsWriteRoleArn", "SlsProjectArn"},
      {"MaxComputeWriteRoleArn", "MaxComputeProjectArn"}
    };
    for (String[] p : pairs) {
      if (r.optional(p[0]) != null && r.optional(p[1]) == null) {
        throw InvalidParameterException.missing(p[1]);
      }
    }
  }

  static String roleArn(String account) {
    return "acs:ram::" + account + ":role/" + DeliveryRole.ROLE_NAME.toLowerCase(Locale.ROOT);
  }
}
