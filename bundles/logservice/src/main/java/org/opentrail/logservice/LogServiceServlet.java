package org.opentrail.logservice;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authenticator;
import org.opentrail.api.auth.Authorizer;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.TrailService;
import org.opentrail.internal.apicommon.Throttle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log Service's REST API over OpenTrail's logstores, at {@code /logstores} and {@code /logstores/*}
 * on the HTTP API's listener (the RPC API keeps {@code /}), so that Log Service's official SDK
 * works unchanged (docs/logservice-api.md). Every call is authenticated by its {@code LOG}
 * signature, throttled per access key, routed ({@link LogOperation}), checked against the caller's
 * projects ({@link Projects}), authorized with RAM policies on {@code
 * acs:log:<region>:<account>:project/<project>/logstore/<logstore>[/consumergroup/<group>]} under
 * every name of the project (so that no policy on one of its names can be evaded by another), and
 * recorded in the history ({@link LogAudit}) whatever its outcome. Errors are Log Service's JSON
 * {@code {"errorCode","errorMessage","requestId"}} with the header {@code x-log-requestid}; never a
 * stack trace.
 */
@Component(
    service = Servlet.class,
    configurationPid = LogServiceConfig.PID,
    property = {
      "osgi.http.whiteboard.servlet.pattern=/logstores",
      "osgi.http.whiteboard.servlet.pattern=/logstores/*",
      "osgi.http.whiteboard.servlet.name=opentrail-logservice"
    })
@Designate(ocd = LogServiceConfig.class)
public final class LogServiceServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(LogServiceServlet.class);

  private final transient Authenticator authenticator;
  private final transient Authorizer authorizer;
  private final transient Projects projects;
  private final transient SearchOperations search;
  private final transient ConsumeOperations consume;
  private final transient LogAudit audit;
  private final transient Throttle throttle;
  private final String endpoint;
  private final String region;
  private final int maxBody;

  @Activate
  public LogServiceServlet(
      @Reference LogSearch logSearch,
      @Reference LogConsumer consumer,
      @Reference EventStore store,
      @Reference TrailService trails,
      @Reference EventRecorder recorder,
      @Reference Authenticator authenticator,
      @Reference Authorizer authorizer,
      @Reference IdentityService identities,
      BundleContext context,
      LogServiceConfig config) {
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.endpoint = config.endpoint().strip().toLowerCase(Locale.ROOT);
    this.region = firstNonBlank(config.region(), context.getProperty("opentrail.region"), "local");
    this.maxBody = Math.max(1024, config.max_body_bytes());
    this.projects = new Projects(store, trails, config.project_prefix());
    this.search = new SearchOperations(logSearch, projects);
    this.consume = new ConsumeOperations(consumer);
    this.audit = new LogAudit(recorder, authenticator, identities, region);
    this.throttle = new Throttle(config.requests_per_second_per_key());
    LOG.info("Log Service API ready: endpoint {}, region {}", endpoint, region);
  }

  @Override
  protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
    String requestId = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
    LogRequest r = null;
    try {
      r = LogRequest.read(requestId, http, endpoint, maxBody);
      OpenTrailException unrouted = null;
      try {
        r.route = LogOperation.route(r.method, r.path, r.param("type"));
      } catch (OpenTrailException e) {
        unrouted = e; // answered once the caller is known
      }
      if (r.accessKeyId() == null) {
        throw new OpenTrailException(
            "Unauthorized",
            "The request must be signed with Log Service's scheme: Authorization: LOG"
                + " <AccessKeyId>:<Signature>.",
            401);
      }
      r.principal = authenticator.authenticate(r.signed());
      if (!throttle.tryAcquire(r.principal.accessKeyId(), System.nanoTime())) {
        throw new OpenTrailException(
            "ReadQuotaExceed",
            "Request was denied due to request throttling of access key "
                + r.principal.accessKeyId()
                + ".",
            403);
      }
      if (unrouted != null) {
        throw unrouted;
      }
      String account = r.principal.accountId();
      // the project's names are one project: a policy on any of them (a Deny above all) holds
      for (String name : projects.names(account, r.project)) {
        authorizer.authorize(r.principal, r.route.op().ramAction, resource(r, account, name));
      }
      Reply reply = handle(r);
      audit.record(r, null);
      write(response, 200, requestId, reply.contentType(), reply.headers(), reply.body());
    } catch (OpenTrailException e) {
      fail(http, response, requestId, r, LogErrors.asLogService(e));
    } catch (IOException e) {
      fail(
          http,
          response,
          requestId,
          r,
          LogErrors.invalid("The request could not be read: " + e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("Log Service request {} failed", requestId, e);
      fail(
          http,
          response,
          requestId,
          r,
          new OpenTrailException(
              "InternalServerError",
              "The request failed; its requestId is in the server's log.",
              500));
    }
  }

  private Reply handle(LogRequest r) {
    return switch (r.route.op()) {
      case LIST_LOGSTORES -> search.listLogStores(r);
      case GET_LOGS -> search.getLogs(r);
      case GET_HISTOGRAMS -> search.getHistograms(r);
      case LIST_SHARDS -> consume.listShards(r);
      case GET_CURSOR -> consume.getCursor(r);
      case PULL_LOGS -> consume.pullLogs(r);
      case CREATE_CONSUMER_GROUP -> consume.createGroup(r);
      case LIST_CONSUMER_GROUP -> consume.listGroups(r);
      case DELETE_CONSUMER_GROUP -> consume.deleteGroup(r);
      case UPDATE_CHECKPOINT -> consume.updateCheckpoint(r);
      case HEARTBEAT -> consume.heartbeat(r);
      case GET_CHECKPOINT -> consume.checkpoints(r);
    };
  }

  /** The RAM resource of a call (Log Service's "Resource" descriptions for RAM). */
  private String resource(LogRequest r, String account, String project) {
    LogOperation.Route route = r.route;
    String base = "acs:log:" + region + ":" + account + ":project/" + project + "/logstore/";
    if (route.logstore() == null) {
      return base + "*";
    }
    return switch (route.op()) {
      case CREATE_CONSUMER_GROUP, LIST_CONSUMER_GROUP ->
          base + route.logstore() + "/consumergroup/*";
      case DELETE_CONSUMER_GROUP, UPDATE_CHECKPOINT, HEARTBEAT, GET_CHECKPOINT ->
          base + route.logstore() + "/consumergroup/" + route.group();
      default -> base + route.logstore();
    };
  }

  private void fail(
      HttpServletRequest http,
      HttpServletResponse response,
      String requestId,
      LogRequest r,
      OpenTrailException e)
      throws IOException {
    audit.record(r != null ? r : LogRequest.unreadable(requestId, http), e);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("errorCode", e.code());
    out.put("errorMessage", e.getMessage() == null ? "" : e.getMessage());
    out.put("requestId", requestId);
    int status = e.httpStatus() < 400 || e.httpStatus() > 599 ? 500 : e.httpStatus();
    write(response, status, requestId, Reply.JSON, Map.of(), EventJson.write(out));
  }

  private static void write(
      HttpServletResponse response,
      int status,
      String requestId,
      String contentType,
      Map<String, String> headers,
      byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.setHeader("x-log-requestid", requestId);
    headers.forEach(response::setHeader);
    response.getOutputStream().write(body);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
