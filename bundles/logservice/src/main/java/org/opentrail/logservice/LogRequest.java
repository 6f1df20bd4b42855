package org.opentrail.logservice;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.auth.SignedRequest;

/**
 * One Log Service request as read: method, path, query parameters (decoded, each at most once),
 * headers (names in lower case), the body within its size limit, and the project named by the
 * {@code Host} header ({@code <project>.<endpoint>}). Filled in as the call proceeds: the caller,
 * the operation, the logstore.
 */
final class LogRequest {
  private static final int MAX_HEADERS = 100;
  private static final int MAX_PARAMETERS = 64;
  private static final int MAX_TEXT = 256;
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

  final String requestId;
  final String method;
  final String path;
  final String sourceIp;
  final String userAgent;
  final Map<String, String> query = new LinkedHashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();
  byte[] body = new byte[0];

  /** The project named by Host, or {@code null} if it names none or not under the endpoint. */
  String project;

  Principal principal;
  LogOperation.Route route;

  /** What the audit event notes about the outcome (e.g. how many logs were read). */
  String auditNote;

  private LogRequest(String requestId, HttpServletRequest http) {
    this.requestId = requestId;
    this.method = http.getMethod();
    this.path = decodePath(http.getRequestURI());
    this.sourceIp = http.getRemoteAddr();
    String ua = http.getHeader("User-Agent");
    this.userAgent = ua == null ? "" : printable(ua, 512);
  }

  /** A request made in code (tests), from nowhere. */
  LogRequest(String requestId, String method, String path) {
    this.requestId = requestId;
    this.method = method;
    this.path = path;
    this.sourceIp = "127.0.0.1";
    this.userAgent = "";
  }

  /**
   * A request that could not be read, to answer and audit it: its origin and the access key its
   * Authorization header names (so that it is recorded in that key's account, naming the key).
   */
  static LogRequest unreadable(String requestId, HttpServletRequest http) {
    LogRequest r = new LogRequest(requestId, http);
    String authorization = http.getHeader("Authorization");
    if (authorization != null) {
      r.headers.put("authorization", authorization);
    }
    return r;
  }

  /**
   * Reads a request.
   *
   * @throws OpenTrailException {@code PostBodyTooLarge} (413), {@code ParameterInvalid} (400) for a
   *     malformed or repeated query parameter or too many headers
   */
  static LogRequest read(String requestId, HttpServletRequest http, String endpoint, int maxBody)
      throws IOException {
    LogRequest r = new LogRequest(requestId, http);
    Enumeration<String> names = http.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      if (r.headers.size() >= MAX_HEADERS) {
        throw LogErrors.invalid("A request may have at most " + MAX_HEADERS + " headers.");
      }
      r.headers.put(
          name.toLowerCase(Locale.ROOT), String.join(",", Collections.list(http.getHeaders(name))));
    }
    r.project = project(r.headers.get("host"), endpoint);
    r.decodeQuery(http.getQueryString());
    long declared = http.getContentLengthLong();
    if (declared > maxBody) {
      throw tooLarge(maxBody);
    }
    r.body = body(http.getInputStream(), maxBody);
    return r;
  }

  /** What the request's signature covers. */
  SignedRequest signed() {
    Map<String, List<String>> q = new LinkedHashMap<>();
    query.forEach((k, v) -> q.put(k, List.of(v)));
    return new SignedRequest(method, path, q, Map.of(), headers, body);
  }

  /** The access key id the Authorization header names, if it is a LOG one. */
  String accessKeyId() {
    String a = headers.get("authorization");
    if (a == null || !a.startsWith("LOG ")) {
      return null;
    }
    int colon = a.lastIndexOf(':');
    return colon <= 4 ? null : printable(a.substring(4, colon).strip(), 64);
  }

  String param(String name) {
    return query.get(name);
  }

  /**
   * An integer query parameter within {@code [min, max]}, or {@code dflt} if absent or empty.
   *
   * @throws OpenTrailException {@code ParameterInvalid} (400) naming it
   */
  int intParam(String name, int dflt, int min, int max) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw LogErrors.invalid(
        "The parameter "
            + name
            + " must be an integer from "
            + min
            + " to "
            + max
            + ", not '"
            + printable(v, 64)
            + "'.");
  }

  private void decodeQuery(String raw) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      if (query.size() >= MAX_PARAMETERS) {
        throw LogErrors.invalid("A request may have at most " + MAX_PARAMETERS + " parameters.");
      }
      int eq = part.indexOf('=');
      String k;
      String v;
      try {
        k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw LogErrors.invalid(
            "The query string is not URL-encoded UTF-8 near '" + printable(part, 64) + "'.");
      }
      if (query.put(k, v) != null) {
        throw LogErrors.invalid("The parameter " + printable(k, 64) + " is given twice.");
      }
    }
  }

  /** The request path percent-decoded (as the SDK signs it); {@code /} if absent or malformed. */
  private static String decodePath(String uri) {
    if (uri == null || uri.isEmpty()) {
      return "/";
    }
    try {
      return URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return printable(uri, MAX_TEXT);
    }
  }

  private static String project(String host, String endpoint) {
    if (host == null) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    String suffix = "." + endpoint.toLowerCase(Locale.ROOT);
    if (!h.endsWith(suffix)) {
      return null;
    }
    String p = h.substring(0, h.length() - suffix.length());
    return PROJECT.matcher(p).matches() ? p : null;
  }

  private static byte[] body(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > max) {
        throw tooLarge(max);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static OpenTrailException tooLarge(int max) {
    return new OpenTrailException(
        "PostBodyTooLarge", "A request body may have at most " + max + " bytes.", 413);
  }

  /** {@code s} with control characters replaced, cut to {@code max} characters. */
  static String printable(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > max ? b + "..." : b.toString();
  }

  static String printable(String s) {
    return printable(s, MAX_TEXT);
  }
}
