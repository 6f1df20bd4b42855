package org.opentrail.http;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.alert.AlertService;
import org.opentrail.api.auth.Authenticator;
import org.opentrail.api.auth.Authorizer;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.source.EventSource;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.api.trail.TrailService;
import org.opentrail.internal.apicommon.Throttle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ActionTrail's OpenAPI (RPC style, version 2020-07-06), OpenTrail's PutEvents and RAM's identity
 * operations at {@code /}: {@code Action} and the common parameters in the query string or a form
 * body, answers in JSON with a {@code RequestId}, errors as an HTTP status with {@code Code},
 * {@code Message} and {@code RequestId}. Every call is authenticated by its signature, throttled
 * per access key, checked for parameters it does not know, authorized with RAM policies, and
 * recorded as an event, whatever its outcome.
 */
@Component(
    service = Servlet.class,
    configurationPid = HttpApiConfig.PID,
    property = {
      "osgi.http.whiteboard.servlet.pattern=/",
      "osgi.http.whiteboard.servlet.name=opentrail-api"
    })
@Designate(ocd = HttpApiConfig.class)
public final class ApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
  private static final String JSON = "application/json;charset=utf-8";

  private final transient Map<String, Operation> operations = new HashMap<>();
  private final transient Authenticator authenticator;
  private final transient Authorizer authorizer;
  private final transient RequestReader reader;
  private final transient Throttle throttle;
  private final transient ApiAudit audit;
  private final String region;
  private final transient List<EventSource> sources = new CopyOnWriteArrayList<>();
  private transient volatile AlertService alerts;
  private transient volatile LogExport logExport;

  @Activate
  public ApiServlet(
      @Reference EventRecorder recorder,
      @Reference EventQuery query,
      @Reference TrailService trails,
      @Reference InnerTrailService innerTrails,
      @Reference Authenticator authenticator,
      @Reference Authorizer authorizer,
      @Reference IdentityService identities,
      @Reference SigningKeys signingKeys,
      @Reference org.opentrail.api.auth.LoginProfiles loginProfiles,
      BundleContext context,
      HttpApiConfig config) {
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.region = firstNonBlank(config.region(), context.getProperty("opentrail.region"), "local");
    this.reader = new RequestReader(config.max_body_bytes(), config.max_parameters());
    this.throttle = new Throttle(config.requests_per_second_per_key());
    this.audit = new ApiAudit(recorder, authenticator, identities);
    for (List<Operation> group :
        List.of(
            new TrailOperations(
                    trails,
                    region,
                    new TrailParameters.SinkTypes(
                        config.oss_sink_type(),
                        config.sls_sink_type(),
                        config.maxcompute_sink_type()))
                .operations(),
            new EventOperations(query, recorder, region).operations(),
            new DeliveryJobOperations(trails, region).operations(),
            new InnerTrailOperations(innerTrails).operations(),
            new SourceOperations(() -> List.copyOf(sources)).operations(),
            new ProofOperations(signingKeys, Clock.systemUTC()).operations(),
            new RamUserOperations(identities).operations(),
            new RamPolicyOperations(identities).operations(),
            new AlertOperations(() -> alerts).operations(),
            new ExportOperations(() -> logExport).operations(),
            new RamLoginProfileOperations(loginProfiles).operations())) {
      for (Operation op : group) {
        if (operations.put(op.name(), op) != null) {
          throw new IllegalStateException("two operations named " + op.name());
        }
      }
    }
    LOG.info("HTTP API ready: {} operations, region {}", operations.size(), region);
  }

  /** Binds an installed source (a source bundle's {@link EventSource}). */
  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeSource")
  void addSource(EventSource source) {
    sources.add(source);
  }

  void removeSource(EventSource source) {
    sources.remove(source);
  }

  /** The alerts feature's service, when installed (alert rule operations answer 503 without). */
  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeAlerts")
  void setAlerts(AlertService s) {
    this.alerts = s;
  }

  void removeAlerts(AlertService s) {
    if (this.alerts == s) {
      this.alerts = null;
    }
  }

  /** The logsearch feature's export, when installed (ExportLogs answers 503 without). */
  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeLogExport")
  void setLogExport(LogExport e) {
    this.logExport = e;
  }

  void removeLogExport(LogExport e) {
    if (this.logExport == e) {
      this.logExport = null;
    }
  }

  @Override
  protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
    String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    ApiRequest r = null;
    Operation op = null;
    try {
      checkPathAndMethod(http, response);
      RequestReader.Read read = reader.read(requestId, http);
      r = read.api();
      op = operation(r, read.signed().headers());
      if (r.jsonBody != null && !(op.name().equals("PutEvents") && r.acs3Credential != null)) {
        throw new OpenTrailException(
            "UnsupportedMediaType",
            "A JSON body is accepted only by PutEvents signed with ACS3-HMAC-SHA256, whose signature"
                + " covers the body; send other parameters URL-encoded.",
            415);
      }
      r.principal = authenticator.authenticate(read.signed());
      if (!throttle.tryAcquire(r.principal.accessKeyId(), System.nanoTime())) {
        throw new OpenTrailException(
            "Throttling",
            "Request was denied due to request throttling of access key "
                + r.principal.accessKeyId()
                + ".",
            429);
      }
      r.refuseUnknown(op.name(), op.parameters(), op.parameterPrefixes());
      authorizer.authorize(r.principal, op.ramAction(), op.resourceArn(r, region));
      if (op.readsEvents()) {
        // e.g. an alert rule evaluates a search: what it tells is what LookupEvents would
        authorizer.authorize(
            r.principal,
            "actiontrail:LookupEvents",
            "acs:actiontrail:" + region + ":" + r.account() + ":*");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("RequestId", requestId);
      out.putAll(op.handler().handle(r));
      if (out.get(ExportOperations.StreamedAnswer.KEY)
          instanceof ExportOperations.StreamedAnswer streamed) {
        ApiRequest req = r;
        Operation o = op;
        boolean[] started = {false};
        try {
          streamed.send(
              response,
              () -> {
                started[0] = true;
                audit.record(req, o, null);
              });
        } catch (IOException | RuntimeException e) {
          if (started[0]) {
            throw new StreamAborted(e); // ends the chunked stream early
          }
          throw e;
        }
        return;
      }
      audit.record(r, op, null);
      write(response, 200, out);
    } catch (OpenTrailException e) {
      fail(http, response, requestId, r, op, e);
    } catch (IOException e) {
      if (e instanceof StreamAborted || response.isCommitted()) {
        throw e; // a streamed answer failed once started: the container aborts it (or answers 500)
      }
      fail(
          http,
          response,
          requestId,
          r,
          op,
          new OpenTrailException(
              "MalformedRequest", "The request could not be read: " + e.getMessage(), 400));
    } catch (RuntimeException e) {
      LOG.error("Request {} ({}) failed", requestId, op == null ? "unknown action" : op.name(), e);
      fail(
          http,
          response,
          requestId,
          r,
          op,
          new OpenTrailException(
              "InternalError",
              "The request processing has failed due to some unknown error; its RequestId is in the server's log.",
              500));
    }
  }

  private static void checkPathAndMethod(HttpServletRequest http, HttpServletResponse response) {
    if (http.getRequestURI().startsWith(org.opentrail.api.source.EventSource.PATH_PREFIX)) {
      throw new OpenTrailException(
          "SenderNotFound",
          "No sender is configured at "
              + FormCodec.printable(http.getRequestURI(), 200)
              + ": a sender is a file data/etc/org.opentrail.source.<source>-<instance>.cfg"
              + " (instance, auth.token.sha256) of an installed source (source:list).",
          404);
    }
    if (!"/".equals(http.getRequestURI())) {
      throw new OpenTrailException(
          "InvalidAction.NotFound",
          "Specified api is not found: OpenTrail's API answers at the path / only.",
          404);
    }
    String method = http.getMethod();
    if (!method.equals("GET") && !method.equals("POST")) {
      response.setHeader("Allow", "GET, POST");
      throw new OpenTrailException(
          "UnsupportedHTTPMethod",
          "The HTTP method " + FormCodec.printable(method) + " is not supported; use GET or POST.",
          405);
    }
  }

  private Operation operation(ApiRequest r, Map<String, String> headers) {
    String action = parameterOrHeader(r, "Action", headers.get("x-acs-action"));
    Operation op = operations.get(action);
    if (op == null) {
      throw new OpenTrailException(
          "InvalidAction.NotFound",
          "Specified api is not found, please check your url and method: there is no action "
              + FormCodec.printable(action)
              + ".",
          404);
    }
    String version = parameterOrHeader(r, "Version", headers.get("x-acs-version"));
    if (!version.equals(op.version())) {
      throw new InvalidParameterException(
          "InvalidVersion",
          "Version",
          "Specified parameter Version is not valid: "
              + op.name()
              + " is in version "
              + op.version()
              + ", not "
              + FormCodec.printable(version)
              + ".");
    }
    String format = r.optional("Format");
    if (format != null && !format.equalsIgnoreCase("JSON")) {
      throw new InvalidParameterException(
          "Format",
          "The parameter Format must be JSON (OpenTrail answers in JSON only), not '"
              + FormCodec.printable(format)
              + "'.");
    }
    return op;
  }

  private static String parameterOrHeader(ApiRequest r, String name, String header) {
    String p = r.optional(name);
    if (p != null && header != null && !header.equals(p)) {
      throw new InvalidParameterException(
          name,
          "The parameter "
              + name
              + " and the header x-acs-"
              + name.toLowerCase(Locale.ROOT)
              + " differ.");
    }
    String v = p != null ? p : header;
    if (v == null || v.isEmpty()) {
      throw InvalidParameterException.missing(name);
    }
    return v;
  }

  private void fail(
      HttpServletRequest http,
      HttpServletResponse response,
      String requestId,
      ApiRequest r,
      Operation op,
      OpenTrailException e)
      throws IOException {
    audit.record(r != null ? r : RequestReader.unreadable(requestId, http), op, e);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("RequestId", requestId);
    out.put("HostId", r != null ? r.host : "localhost");
    out.put("Code", e.code());
    out.put("Message", e.getMessage());
    if (e instanceof DetailedException d) {
      out.putAll(d.details());
    }
    int status = e.httpStatus();
    if (status < 400 || status > 599) {
      status = 500;
    }
    write(response, status, out);
  }

  private static void write(HttpServletResponse response, int status, Map<String, Object> body)
      throws IOException {
    byte[] json = EventJson.write(body);
    response.setStatus(status);
    response.setContentType(JSON);
    response.setContentLength(json.length);
    response.setHeader("x-acs-request-id", (String) body.get("RequestId"));
    response.getOutputStream().write(json);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** A streamed answer failed after it started: nothing more may be written to the response. */
  private static final class StreamAborted extends IOException {
    private static final long serialVersionUID = 1L;

    StreamAborted(Throwable cause) {
      super("streamed answer aborted", cause);
    }
  }
}
