package org.opentrail.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.TrailService;

/**
 * ActionTrail's delivery history jobs: CreateDeliveryHistoryJob (idempotent per {@code
 * ClientToken}), GetDeliveryHistoryJob, ListDeliveryHistoryJobs and DeleteDeliveryHistoryJob. Job
 * states are ActionTrail's numbers (1 running, 2 finished, 3 failed) with OpenTrail's progress.
 */
final class DeliveryJobOperations {
  private static final String JOB = "ACS::ActionTrail::DeliveryHistoryJob";
  private static final int CLIENT_TOKENS = 10_000;

  private final TrailService trails;
  private final String region;

  /** ClientToken → job id, for the latest tokens (an SDK retrying a create gets the same job). */
  private final Map<String, Long> clientTokens =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > CLIENT_TOKENS;
        }
      };

  DeliveryJobOperations(TrailService trails, String region) {
    this.trails = trails;
    this.region = region;
  }

  List<Operation> operations() {
    return List.of(
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "CreateDeliveryHistoryJob")
            .write()
            .parameters("TrailName", "ClientToken")
            .resource("trail", "TrailName", "ACS::ActionTrail::Trail")
            .handler(this::create),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "GetDeliveryHistoryJob")
            .parameters("JobId")
            .resource("deliveryhistoryjob", "JobId", JOB)
            .handler(r -> job(trails.getDeliveryJob(r.account(), jobId(r)))),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "ListDeliveryHistoryJobs")
            .parameters("PageNumber", "PageSize")
            .handler(this::list),
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "DeleteDeliveryHistoryJob")
            .write()
            .parameters("JobId")
            .resource("deliveryhistoryjob", "JobId", JOB)
            .handler(
                r -> {
                  trails.deleteDeliveryJob(r.account(), jobId(r));
                  return new LinkedHashMap<>();
                }));
  }

  private Map<String, Object> create(ApiRequest r) {
    String trail = r.required("TrailName");
    String token = r.optional("ClientToken");
    if (token != null && token.length() > 64) {
      throw new InvalidParameterException(
          "ClientToken", "The parameter ClientToken has at most 64 characters.");
    }
    String key = token == null ? null : r.account() + "\u0000" + trail + "\u0000" + token;
    synchronized (clientTokens) {
      Long known = key == null ? null : clientTokens.get(key);
      if (known != null) {
        try {
          trails.getDeliveryJob(r.account(), known);
          return Map.of("JobId", known);
        } catch (OpenTrailException e) {
          clientTokens.remove(key); // deleted since: create anew
        }
      }
      DeliveryJob job = trails.createDeliveryJob(r.account(), trail);
      if (key != null) {
        clientTokens.put(key, job.id());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("JobId", job.id());
      return m;
    }
  }

  private Map<String, Object> list(ApiRequest r) {
    long page =
        r.number("PageNumber", 1, 1_000_000) == null ? 1 : r.number("PageNumber", 1, 1_000_000);
    long size = r.number("PageSize", 1, 50) == null ? 10 : r.number("PageSize", 1, 50);
    List<DeliveryJob> jobs = trails.listDeliveryJobs(r.account());
    List<Object> out = new ArrayList<>();
    for (long i = (page - 1) * size; i < jobs.size() && i < page * size; i++) {
      out.add(job(jobs.get((int) i)));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("DeliveryHistoryJobs", out);
    m.put("PageNumber", page);
    m.put("PageSize", size);
    m.put("TotalCount", jobs.size());
    return m;
  }

  private static long jobId(ApiRequest r) {
    Long id = r.number("JobId", 1, Integer.MAX_VALUE);
    if (id == null) {
      throw InvalidParameterException.missing("JobId");
    }
    return id;
  }

  private Map<String, Object> job(DeliveryJob j) {
    int state =
        switch (j.state()) {
          case RUNNING -> 1;
          case FINISHED -> 2;
          case FAILED -> 3;
        };
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("JobId", j.id());
    m.put("TrailName", j.trailName());
    m.put("HomeRegion", region);
    m.put("JobStatus", state);
    m.put("CreatedTime", Times.format(j.createTime()));
    m.put("UpdatedTime", Times.format(j.updateTime()));
    m.put("Status", List.of(Map.of("Region", region, "Status", state)));
    m.put("EventsDone", j.eventsDone());
    m.put("EventsTotal", j.eventsTotal());
    if (j.error() != null) {
      m.put("Error", j.error());
    }
    return m;
  }
}
