package org.opentrail.console;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.opentrail.api.OpenTrailException;

/**
 * The headers every console response carries — a strict Content-Security-Policy (scripts, styles
 * and connections from this origin only, no inline script, no eval, no framing, forms posting only
 * here), {@code X-Frame-Options: DENY}, {@code nosniff}, no referrer to other sites — and refusals
 * in the API's shape: Code and Message, as JSON for the script's calls and for no session, else as
 * a page.
 */
final class Replies {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private Replies() {}

  static void secure(HttpServletResponse resp) {
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Referrer-Policy", "same-origin"); // no-referrer would send "Origin: null"
  }

  static void refuse(Call c, OpenTrailException e) throws IOException {
    if (c.resp.isCommitted()) {
      return;
    }
    c.resp.reset();
    secure(c.resp);
    c.resp.setHeader("Cache-Control", "no-store");
    int status = e.httpStatus() >= 400 && e.httpStatus() <= 599 ? e.httpStatus() : 500;
    String path = Optional.ofNullable(c.req.getPathInfo()).orElse("/");
    if (path.startsWith("/api/") || c.session == null) {
      c.json(status, error(e.code(), e.getMessage()));
      return;
    }
    String title = status == 403 ? "Not authorized" : "Something is wrong";
    c.html(
        status,
        Layout.page(
            c,
            title,
            "",
            Layout.error("page-error", e.code(), e.getMessage())
                + "<p><a href=\"/console/history\">Back to the event history</a></p>"));
  }

  static java.util.Map<String, Object> error(String code, String message) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("Code", code);
    m.put("Message", message);
    return m;
  }
}
