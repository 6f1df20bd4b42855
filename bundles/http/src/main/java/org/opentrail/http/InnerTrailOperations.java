package org.opentrail.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.api.trail.InnerTrailStatus;

/**
 * The account's inner trail (Inner-ActionTrail): CreateInnerTrail ({@code Name}),
 * DescribeInnerTrail, GetInnerTrailStatus, UpdateInnerTrail ({@code RetentionDays}),
 * EnableInnerTrail, DisableInnerTrail and DeleteInnerTrail, each authorized as {@code
 * actiontrail:<Operation>} on {@code acs:actiontrail:<region>:<account>:innertrail/<name>}. The
 * answer's fields are ActionTrail's style ({@code Name}, {@code LogStore}, {@code Status}, {@code
 * RetentionDays}, {@code CreateTime}, {@code UpdateTime}).
 */
final class InnerTrailOperations {
  private static final String TYPE = "ACS::ActionTrail::InnerTrail";

  private final InnerTrailService inner;

  InnerTrailOperations(InnerTrailService inner) {
    this.inner = inner;
  }

  List<Operation> operations() {
    return List.of(
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "CreateInnerTrail")
            .write()
            .parameters("Name")
            .resource("innertrail", "Name", TYPE)
            .handler(r -> trail(inner.create(r.account(), r.required("Name")))),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "DescribeInnerTrail")
            .handler(r -> trail(existing(r))),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "GetInnerTrailStatus")
            .handler(r -> status(inner.status(r.account()))),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "UpdateInnerTrail")
            .write()
            .parameters("RetentionDays")
            .handler(r -> trail(inner.setRetention(r.account(), retentionDays(r)))),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "EnableInnerTrail")
            .write()
            .handler(r -> trail(inner.enable(r.account()))),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "DisableInnerTrail")
            .write()
            .handler(r -> trail(inner.disable(r.account()))),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "DeleteInnerTrail")
            .write()
            .handler(
                r -> {
                  inner.delete(r.account());
                  return Map.of();
                }));
  }

  private InnerTrail existing(ApiRequest r) {
    return inner
        .get(r.account())
        .orElseThrow(
            () ->
                new OpenTrailException(
                    "InnerTrailNotFound", "The account has no inner trail.", 404));
  }

  private static int retentionDays(ApiRequest r) {
    String v = r.required("RetentionDays");
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidParameterException(
          "RetentionDays",
          "The parameter RetentionDays is a whole number of days from 1 to 3650, not '"
              + ApiRequest.clip(v)
              + "'.");
    }
  }

  private static Map<String, Object> trail(InnerTrail t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", t.name());
    m.put("LogStore", t.logstore());
    m.put("Status", t.enabled() ? "Enable" : "Disable");
    m.put("RetentionDays", t.retentionDays());
    m.put("CreateTime", Times.format(t.createTime()));
    m.put("UpdateTime", Times.format(t.updateTime()));
    return m;
  }

  private static Map<String, Object> status(InnerTrailStatus s) {
    Map<String, Object> m = trail(s.trail());
    m.put("Collecting", s.collecting());
    m.put("Entitled", s.entitled());
    m.put("DeliveryRoleGranted", s.roleGranted());
    m.put("StoredEvents", s.storedEvents());
    m.put("Problems", s.problems());
    return m;
  }
}
