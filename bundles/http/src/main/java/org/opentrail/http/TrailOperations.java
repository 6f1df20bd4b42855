package org.opentrail.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailService;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.api.trail.TrailStatus;

/**
 * ActionTrail's trail operations: CreateTrail, UpdateTrail, DeleteTrail, DescribeTrails,
 * GetTrailStatus, StartLogging and StopLogging, with its parameter and response field names; how
 * their OSS and SLS parameters become destinations is {@link TrailParameters}'s business.
 */
final class TrailOperations {
  private static final String TRAIL = "ACS::ActionTrail::Trail";

  private final TrailService trails;
  private final TrailParameters parameters;
  private final String region;

  TrailOperations(TrailService trails, String region, TrailParameters.SinkTypes types) {
    this.trails = trails;
    this.region = region;
    this.parameters = new TrailParameters(types);
  }

  List<Operation> operations() {
    String[] specParameters = {
      "Name",
      "EventRW",
      "TrailRegion",
      "OssBucketName",
      "OssKeyPrefix",
      "OssWriteRoleArn",
      "SlsProjectArn",
      "SlsWriteRoleArn",
      "MaxComputeProjectArn",
      "MaxComputeWriteRoleArn",
      "IsOrganizationTrail",
      "EventCategories",
      "Destinations"
    };
    return List.of(
        op("CreateTrail")
            .write()
            .parameters(specParameters)
            .handler(r -> describe(trails.create(r.account(), parameters.create(r)))),
        op("UpdateTrail")
            .write()
            .parameters(specParameters)
            .handler(
                r ->
                    describe(
                        trails.update(
                            r.account(),
                            parameters.update(
                                r, trails.get(r.account(), parameters.name(r)).spec())))),
        op("DeleteTrail")
            .write()
            .parameters("Name")
            .handler(
                r -> {
                  trails.delete(r.account(), parameters.name(r));
                  return new LinkedHashMap<>();
                }),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "DescribeTrails")
            .parameters("NameList", "IncludeShadowTrails", "IncludeOrganizationTrail")
            .handler(this::describeTrails),
        op("GetTrailStatus").parameters("Name", "IsOrganizationTrail").handler(this::status),
        op("StartLogging")
            .write()
            .parameters("Name")
            .handler(
                r -> {
                  trails.startLogging(r.account(), parameters.name(r));
                  return new LinkedHashMap<>();
                }),
        op("StopLogging")
            .write()
            .parameters("Name")
            .handler(
                r -> {
                  trails.stopLogging(r.account(), parameters.name(r));
                  return new LinkedHashMap<>();
                }));
  }

  private static Operation.Builder op(String name) {
    return Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, name)
        .resource("trail", "Name", TRAIL);
  }

  private Map<String, Object> describeTrails(ApiRequest r) {
    r.bool("IncludeShadowTrails");
    r.bool("IncludeOrganizationTrail");
    List<String> names = new ArrayList<>();
    String list = r.optional("NameList");
    if (list != null) {
      for (String n : list.split(",")) {
        String name = n.strip();
        if (name.isEmpty()) {
          continue;
        }
        if (!TrailSpec.NAME.matcher(name).matches()) {
          throw new InvalidParameterException(
              "NameList",
              "The parameter NameList names '"
                  + ApiRequest.clip(FormCodec.printable(name))
                  + "', which cannot be a trail name (6 to 36 characters: lowercase letters,"
                  + " digits, - and _, starting with a letter).");
        }
        names.add(name);
      }
      if (names.size() > 100) {
        throw new InvalidParameterException(
            "NameList", "The parameter NameList may name at most 100 trails.");
      }
    }
    List<Object> out = new ArrayList<>();
    for (Trail t : trails.describe(r.account(), names)) {
      out.add(trailFields(t));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("TrailList", out);
    return m;
  }

  private Map<String, Object> describe(Trail t) {
    Map<String, Object> m = trailFields(t);
    m.keySet()
        .retainAll(
            List.of(
                "Name",
                "HomeRegion",
                "EventRW",
                "TrailRegion",
                "OssBucketName",
                "OssKeyPrefix",
                "OssWriteRoleArn",
                "SlsProjectArn",
                "SlsWriteRoleArn",
                "MaxComputeProjectArn",
                "MaxComputeWriteRoleArn",
                "Destinations"));
    return m;
  }

  /** DescribeTrails' fields of a trail, plus OpenTrail's {@code Destinations}. */
  Map<String, Object> trailFields(Trail t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", t.name());
    m.put("HomeRegion", region);
    m.put("Region", region);
    m.put("EventRW", t.spec().eventRW());
    m.put("TrailRegion", String.join(",", t.spec().regions()));
    m.put("Status", t.logging() ? "Enable" : "Disable");
    parameters.actionTrailFields(t, m);
    m.put("CreateTime", Times.format(t.createTime()));
    m.put("UpdateTime", Times.format(t.updateTime()));
    m.put("StartLoggingTime", Times.format(t.startLoggingTime()));
    m.put("StopLoggingTime", Times.format(t.stopLoggingTime()));
    m.put("TrailArn", "acs:actiontrail:" + region + ":" + t.accountId() + ":trail/" + t.name());
    m.put("IsOrganizationTrail", false);
    m.put("EventCategories", String.join(",", new java.util.TreeSet<>(t.spec().categories())));
    m.put("Destinations", DestinationsParameter.write(t.spec().destinations()));
    return m;
  }

  private Map<String, Object> status(ApiRequest r) {
    if (Boolean.TRUE.equals(r.bool("IsOrganizationTrail"))) {
      throw new InvalidParameterException(
          "IsOrganizationTrail", "OpenTrail has no organization trails.");
    }
    TrailStatus s = trails.status(r.account(), parameters.name(r));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("IsLogging", s.isLogging());
    m.put("LatestDeliveryTime", Times.format(s.latestDeliveryTime()));
    m.put("LatestDeliveryError", s.latestDeliveryError());
    m.put("StartLoggingTime", Times.format(s.startLoggingTime()));
    m.put("StopLoggingTime", Times.format(s.stopLoggingTime()));
    List<Object> destinations = new ArrayList<>();
    for (DestinationStatus d : s.destinations()) {
      if (d.type().equals("file")) {
        m.putIfAbsent("OssBucketStatus", healthy(d));
      } else if (d.type().equals("logstore")) {
        m.putIfAbsent("SlsLogStoreStatus", healthy(d));
        m.putIfAbsent("LatestDeliveryLogServiceTime", Times.format(d.lastDeliveryTime()));
        m.putIfAbsent("LatestDeliveryLogServiceError", d.lastError());
      }
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("Id", d.id());
      dm.put("Type", d.type());
      dm.put("State", d.state().name());
      dm.put("Detail", d.detail());
      dm.put("Delivered", d.delivered());
      dm.put("LagEvents", d.lagEvents());
      dm.put("LagSeconds", d.lagSeconds());
      dm.put("LatestDeliveryTime", Times.format(d.lastDeliveryTime()));
      dm.put("LatestDeliveryError", d.lastError());
      dm.put("LatestDeliveryErrorTime", Times.format(d.lastErrorTime()));
      dm.put("Gaps", d.gaps()); // events the store could not read: "GAP 63721-127440: ..."
      destinations.add(dm);
    }
    m.put("Destinations", destinations);
    if (s.retentionAlarm() != null) {
      m.put("RetentionAlarm", s.retentionAlarm());
    }
    return m;
  }

  private static boolean healthy(DestinationStatus d) {
    return d.state() == DestinationStatus.State.DELIVERING
        || d.state() == DestinationStatus.State.STOPPED;
  }
}
