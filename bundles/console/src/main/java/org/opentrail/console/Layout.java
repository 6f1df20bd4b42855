package org.opentrail.console;

/**
 * The frame of every page: the navigation, who is signed in, the sign-out form (with the CSRF
 * token) and the stylesheet and script from {@code /console/static/}; no inline script or style, so
 * the Content-Security-Policy can forbid them.
 */
final class Layout {
  private Layout() {}

  /** A page for a signed-in user. */
  static String page(Call c, String title, String active, String body) {
    StringBuilder b = new StringBuilder(8192);
    head(b, title);
    b.append(
        "<header class=\"top\"><a class=\"brand\" href=\"/console/history\">OpenTrail</a><nav>");
    nav(b, active, "history", "Event history");
    nav(b, active, "charts", "Charts");
    nav(b, active, "trails", "Trails");
    nav(b, active, "innertrail", "Inner trail");
    nav(b, active, "installed", "Sinks and sources");
    b.append("</nav><form class=\"signout\" method=\"post\" action=\"/console/signout\">")
        .append(csrf(c))
        .append("<span id=\"whoami\">")
        .append(Text.esc(who(c)))
        .append("</span> <button type=\"submit\" id=\"signout\">Sign out</button></form></header>");
    b.append("<main data-csrf=\"").append(Text.esc(c.session.csrf())).append("\">");
    b.append("<h1>").append(Text.esc(title)).append("</h1>").append(body).append("</main>");
    b.append("</body></html>");
    return b.toString();
  }

  /** A page for no one signed in (the sign-in form). */
  static String bare(String title, String body) {
    StringBuilder b = new StringBuilder(4096);
    head(b, title);
    b.append("<main class=\"bare\"><h1>").append(Text.esc(title)).append("</h1>");
    b.append(body).append("</main></body></html>");
    return b.toString();
  }

  /** The hidden CSRF field of a form. */
  static String csrf(Call c) {
    return "<input type=\"hidden\" name=\"_csrf\" value=\"" + Text.esc(c.session.csrf()) + "\">";
  }

  /** An error as the API gives it, Code and Message, beside the field it names. */
  static String error(String id, String code, String message) {
    return "<p class=\"error\" id=\""
        + Text.esc(id)
        + "\" role=\"alert\"><b>"
        + Text.esc(code)
        + "</b>: "
        + Text.esc(message)
        + "</p>";
  }

  static String who(Call c) {
    var p = c.principal();
    return (p.userName() == null ? "root" : p.userName()) + "@" + p.accountId();
  }

  private static void head(StringBuilder b, String title) {
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(Text.esc(title))
        .append(" - OpenTrail</title>")
        .append("<link rel=\"stylesheet\" href=\"/console/static/console.css\">")
        .append("<script src=\"/console/static/console.js\" defer></script>")
        .append("</head><body>");
  }

  private static void nav(StringBuilder b, String active, String page, String label) {
    b.append("<a href=\"/console/")
        .append(page)
        .append("\"")
        .append(page.equals(active) ? " class=\"active\" aria-current=\"page\"" : "")
        .append(" id=\"nav-")
        .append(page)
        .append("\">")
        .append(label)
        .append("</a>");
  }
}
