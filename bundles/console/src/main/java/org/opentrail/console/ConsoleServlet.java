package org.opentrail.console;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authorizer;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.LoginProfiles;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.source.EventSource;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.api.trail.TrailService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console at {@code /console/}, on the HTTP whiteboard listener of the API: pages rendered
 * here, a small script and stylesheet and ECharts served from the bundle. Every response carries a
 * strict Content-Security-Policy (no inline script, no eval, nothing from elsewhere), {@code
 * X-Frame-Options: DENY} and {@code nosniff}. Every page but sign-in needs a session, whose sign-in
 * still holds ({@link SigninPage#current}); every POST needs the session's CSRF token (form field
 * {@code _csrf} or header {@code X-CSRF-Token}), else 403 {@code InvalidCsrfToken}. Errors are
 * shown with the API's Code and Message, never a stack trace.
 */
@Component(
    service = Servlet.class,
    configurationPid = ConsoleConfig.PID,
    property = {
      "osgi.http.whiteboard.servlet.pattern=/console/*",
      "osgi.http.whiteboard.servlet.name=opentrail-console"
    })
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);

  /** The most bytes of a form the HTTP service reads (Jetty's default maxFormContentSize). */
  static final long MAX_FORM_BYTES = 200_000;

  /**
   * The eventName of a ConsoleOperation recording a change the console refused before knowing which
   * operation it was (no valid CSRF token): the path asked is in its requestParameters.
   */
  static final String REFUSED_REQUEST = "ConsoleRequest";

  private final transient ConsoleAudit audit;
  private final transient Sessions sessions;
  private final transient SigninPage signin;
  private final transient Exports exports;
  private final transient Routes routes;
  private final transient Assets assets = new Assets();
  private final transient List<InnerTrailPage.Installed> sources = new CopyOnWriteArrayList<>();
  private transient volatile LogSearch search;
  private transient volatile LogExport export;

  @Activate
  public ConsoleServlet(
      @Reference EventRecorder recorder,
      @Reference EventQuery query,
      @Reference TrailService trailService,
      @Reference InnerTrailService innerTrails,
      @Reference Authorizer authorizer,
      @Reference org.opentrail.api.auth.Authenticator authenticator,
      @Reference IdentityService identities,
      @Reference LoginProfiles profiles,
      BundleContext context,
      ConsoleConfig config) {
    String region = first(config.region(), context.getProperty("opentrail.region"), "local");
    Clock clock = Clock.systemUTC();
    ConsoleAudit audit = new ConsoleAudit(recorder, region);
    this.audit = audit;
    Access access = new Access(authorizer, audit, region);
    this.sessions =
        new Sessions(Duration.ofMinutes(clamp(config.idle_timeout_minutes(), 1, 1440)), clock);
    SigninGuard guard =
        new SigninGuard(
            clamp(config.lockout_failures(), 1, 100),
            Duration.ofMinutes(clamp(config.lockout_window_minutes(), 1, 1440)),
            clock);
    this.signin = new SigninPage(profiles, authenticator, identities, sessions, guard, audit);
    InnerTrailPage inner =
        new InnerTrailPage(
            innerTrails,
            trailService,
            identities,
            query,
            () -> List.copyOf(sources),
            access,
            audit);
    ChartsPage charts = new ChartsPage(() -> search, query, access);
    String data = context.getProperty("opentrail.data");
    Path dir =
        !config.export_directory().isBlank()
            ? Paths.get(config.export_directory())
            : (data != null ? Paths.get(data) : context.getDataFile("").toPath())
                .resolve("console")
                .resolve("exports");
    this.exports = new Exports(() -> export, access, audit, dir);
    this.routes =
        new Routes(
            signin,
            new HistoryPage(query, access),
            charts,
            exports,
            new TrailsPage(trailService, access, audit),
            new TrailForm(trailService, access, audit),
            inner);
    LOG.info("Web console ready at /console/ (region {})", region);
  }

  @Deactivate
  void deactivate() {
    exports.close();
  }

  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unsetSearch")
  void setSearch(LogSearch s) {
    this.search = s;
  }

  void unsetSearch(LogSearch s) {
    if (this.search == s) {
      this.search = null;
    }
  }

  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unsetExport")
  void setExport(LogExport e) {
    this.export = e;
  }

  void unsetExport(LogExport e) {
    if (this.export == e) {
      this.export = null;
    }
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeSource")
  void addSource(EventSource s, org.osgi.framework.ServiceReference<EventSource> ref) {
    org.osgi.framework.Bundle b = ref.getBundle();
    sources.add(
        new InnerTrailPage.Installed(
            s.info(),
            b == null ? "" : b.getSymbolicName(),
            b == null ? "" : b.getVersion().toString()));
  }

  void removeSource(EventSource s) {
    sources.removeIf(i -> i.info().name().equals(s.info().name()));
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Replies.secure(resp);
    String path = Optional.ofNullable(req.getPathInfo()).orElse("/");
    String method = req.getMethod();
    ConsoleAudit.Origin origin =
        new ConsoleAudit.Origin(
            req.getRemoteAddr(),
            Optional.ofNullable(req.getHeader("User-Agent")).orElse(""),
            UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
    if (path.startsWith("/static/")) {
      assets.serve(path.substring("/static/".length()), resp);
      return;
    }
    resp.setHeader("Cache-Control", "no-store");
    if (!method.equals("GET") && !method.equals("POST")) {
      resp.setHeader("Allow", "GET, POST");
      new Call(req, resp, null, origin)
          .json(
              405,
              Replies.error(
                  "UnsupportedHTTPMethod",
                  "The console answers GET and POST, not " + Text.quote(method) + "."));
      return;
    }
    Sessions.Session session = sessions.touch(cookie(req)).orElse(null);
    if (session != null && !signin.current(session)) {
      sessions.end(session.id());
      session = null;
    }
    Call c = new Call(req, resp, session, origin);
    try {
      if (method.equals("POST") && !sameOrigin(req)) {
        c.json(
            403,
            Replies.error(
                "InvalidOrigin", "The request comes from another site's page; it is refused."));
        return;
      }
      if (method.equals("POST")) {
        readForm(req);
      }
      if (path.equals("/signin")) {
        if (method.equals("POST")) {
          signin.signin(c);
        } else if (session != null) {
          c.redirect("/history");
        } else {
          signin.form(c, null, null);
        }
        return;
      }
      if (session == null) {
        if (method.equals("GET") && !path.startsWith("/api/")) {
          c.redirect("/signin");
        } else {
          c.json(
              401,
              Replies.error(
                  "SessionExpired", "Sign in to the console first (no session, or it has ended)."));
        }
        return;
      }
      if (method.equals("POST") && !csrfOk(c)) {
        // a change refused is recorded like any refusal: the signed-in user's name on it, what
        // was asked (the console's path), and why
        OpenTrailException refused =
            new OpenTrailException(
                "InvalidCsrfToken",
                "The request has no valid CSRF token; reload the page and try again.",
                403);
        audit.operation(
            session.principal(),
            REFUSED_REQUEST,
            true,
            null,
            null,
            java.util.Map.of("path", Text.clip(path, 256)),
            origin,
            refused);
        c.json(403, Replies.error(refused.code(), refused.getMessage()));
        return;
      }
      routes.route(c, path);
    } catch (OpenTrailException e) {
      Replies.refuse(c, e);
    } catch (RuntimeException e) {
      LOG.error("Console request {} {} failed ({})", method, path, origin.requestId(), e);
      Replies.refuse(
          c,
          new OpenTrailException(
              "InternalError",
              "The request processing has failed due to some unknown error; its RequestId "
                  + origin.requestId()
                  + " is in the server's log.",
              500));
    }
  }

  /**
   * Whether a POST's {@code Origin} header, if the browser sent one, is this console's own (OWASP
   * CSRF Cheat Sheet, "Verifying Origin with standard headers"): also guards the sign-in form,
   * which has no session token yet.
   */
  static boolean sameOrigin(HttpServletRequest req) {
    String origin = req.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String host = req.getHeader("Host");
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  /**
   * Reads a POST's form now, so that one too large or malformed is refused as the client's error
   * (413 {@code RequestTooLarge}, 400 {@code InvalidParameter}), not as a failure of the server.
   */
  static void readForm(HttpServletRequest req) {
    try {
      req.getParameterMap();
    } catch (RuntimeException e) {
      long length = req.getContentLengthLong();
      if (length > MAX_FORM_BYTES) {
        throw new OpenTrailException(
            "RequestTooLarge",
            "A console form may have at most "
                + MAX_FORM_BYTES
                + " bytes; this one has "
                + length
                + ".",
            413);
      }
      throw new OpenTrailException(
          "InvalidParameter",
          "The form cannot be read: it is not application/x-www-form-urlencoded, is malformed or"
              + " is larger than the server accepts.",
          400);
    }
  }

  private static boolean csrfOk(Call c) {
    String token = c.req.getHeader("X-CSRF-Token");
    if (token == null) {
      token = c.req.getParameter("_csrf");
    }
    return Sessions.csrfMatches(c.session, token);
  }

  private static String cookie(HttpServletRequest req) {
    Cookie[] cookies = req.getCookies();
    if (cookies != null) {
      for (Cookie k : cookies) {
        if (k.getName().equals(SigninPage.COOKIE)) {
          return k.getValue();
        }
      }
    }
    return null;
  }

  private static int clamp(int v, int min, int max) {
    return Math.max(min, Math.min(max, v));
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
