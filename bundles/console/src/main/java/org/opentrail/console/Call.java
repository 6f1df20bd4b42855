package org.opentrail.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.auth.Principal;

/** One request to the console: the request, the response, the session and where it came from. */
final class Call {
  final HttpServletRequest req;
  final HttpServletResponse resp;
  final Sessions.Session session;
  final ConsoleAudit.Origin origin;

  Call(
      HttpServletRequest req,
      HttpServletResponse resp,
      Sessions.Session session,
      ConsoleAudit.Origin origin) {
    this.req = req;
    this.resp = resp;
    this.session = session;
    this.origin = origin;
  }

  Principal principal() {
    return session.principal();
  }

  String account() {
    return session.principal().accountId();
  }

  /** A parameter, or {@code null}. */
  String param(String name) {
    return req.getParameter(name);
  }

  /** A parameter, stripped, {@code null} if absent or blank. */
  String value(String name) {
    String v = req.getParameter(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  boolean post() {
    return req.getMethod().equals("POST");
  }

  /** Writes a page (status 200 unless set before). */
  void html(String page) throws IOException {
    html(200, page);
  }

  void html(int status, String page) throws IOException {
    byte[] b = page.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("text/html;charset=utf-8");
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }

  void json(int status, Object body) throws IOException {
    byte[] b = org.opentrail.api.event.EventJson.write(body);
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }

  /** Answers 303 See Other to a path under /console. */
  void redirect(String path) {
    resp.setStatus(303);
    resp.setHeader("Location", req.getContextPath() + "/console" + path);
  }

  /** The parameters of a request, for a ConsoleOperation event (secrets redacted, clipped). */
  Map<String, Object> auditParameters(String... names) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String n : names) {
      String v = param(n);
      if (v != null && !v.isEmpty()) {
        m.put(n, Text.clip(org.opentrail.api.trail.DestinationSpec.redactSecrets(v), 1024));
      }
    }
    return m;
  }
}
