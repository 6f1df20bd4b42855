package org.opentrail.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.SignedRequest;

/**
 * Reads one HTTP request into an {@link ApiRequest} and the {@link SignedRequest} its signature is
 * checked on: the body within its size limit (a declared length over it is refused before anything
 * is read), the query string and a form body decoded strictly, a JSON body kept as bytes (only an
 * ACS3 signature covers one), any other kind of body refused.
 */
final class RequestReader {
  private static final Pattern HOST =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");
  private static final int MAX_HEADERS = 100;
  static final String ACS3 = "ACS3-HMAC-SHA256 ";

  private final int maxBodyBytes;
  private final int maxParameters;

  RequestReader(int maxBodyBytes, int maxParameters) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxParameters = maxParameters;
  }

  /** What a request carried: its parameters and what its signature covers. */
  record Read(ApiRequest api, SignedRequest signed) {}

  /**
   * An {@link ApiRequest} with no parameters, to answer and audit a request that cannot be read.
   */
  static ApiRequest unreadable(String requestId, HttpServletRequest http) {
    Map<String, String> named = new LinkedHashMap<>();
    String key = namedAccessKey(http.getQueryString());
    if (key != null) {
      named.put("AccessKeyId", key);
    }
    ApiRequest api =
        new ApiRequest(
            requestId, http.getRemoteAddr(), userAgent(http), named, new LinkedHashMap<>());
    api.acs3Credential = acs3Credential(http.getHeader("Authorization"));
    return api;
  }

  /**
   * The first {@code AccessKeyId} a query string that could not be read names, if it decodes: so
   * that a failed call is filed in the account of the key it names (as every other failed call is),
   * not in the default account's history.
   */
  static String namedAccessKey(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&", 1000)) {
      if (pair.startsWith("AccessKeyId=")) {
        try {
          String id =
              java.net.URLDecoder.decode(
                  pair.substring("AccessKeyId=".length()), StandardCharsets.UTF_8);
          return id.isEmpty() || id.length() > 128 ? null : FormCodec.printable(id);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }

  Read read(String requestId, HttpServletRequest http) throws IOException {
    long declared = http.getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw tooLarge();
    }
    byte[] body = body(http.getInputStream(), declared);
    Map<String, String> query =
        FormCodec.decode(http.getQueryString(), "query string", maxParameters);
    Map<String, String> form = new LinkedHashMap<>();
    byte[] json = null;
    if (body.length > 0) {
      String type = mediaType(http.getContentType());
      if (type.equals("application/x-www-form-urlencoded")) {
        form = FormCodec.decode(body, 0, body.length, "form body", maxParameters);
      } else if (type.equals("application/json")) {
        json = body;
      } else {
        throw new OpenTrailException(
            "UnsupportedMediaType",
            "A request body must be application/x-www-form-urlencoded (or application/json for"
                + " PutEvents signed with ACS3-HMAC-SHA256), not '"
                + ApiRequest.clip(FormCodec.printable(type))
                + "'.",
            415);
      }
    }
    ApiRequest api = new ApiRequest(requestId, http.getRemoteAddr(), userAgent(http), query, form);
    api.jsonBody = json;
    String host = http.getHeader("Host");
    if (host != null && HOST.matcher(host).matches()) {
      api.host = host;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Enumeration<String> names = http.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      if (headers.size() >= MAX_HEADERS) {
        throw new InvalidParameterException(
            "MalformedRequest", "", "A request may have at most " + MAX_HEADERS + " headers.");
      }
      headers.put(
          name.toLowerCase(Locale.ROOT), String.join(",", Collections.list(http.getHeaders(name))));
    }
    api.acs3Credential = acs3Credential(headers.get("authorization"));
    SignedRequest signed =
        new SignedRequest(http.getMethod(), "/", multimap(query), multimap(form), headers, body);
    return new Read(api, signed);
  }

  /**
   * The access key id of an {@code ACS3-HMAC-SHA256 Credential=<id>,...} header, if that is one.
   */
  static String acs3Credential(String authorization) {
    if (authorization == null || !authorization.startsWith(ACS3)) {
      return null;
    }
    for (String part : authorization.substring(ACS3.length()).split(",")) {
      String p = part.strip();
      if (p.startsWith("Credential=")) {
        String id = p.substring("Credential=".length());
        return id.isEmpty() ? null : FormCodec.printable(id);
      }
    }
    return null;
  }

  private byte[] body(InputStream in, long declared) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > maxBodyBytes) {
        throw tooLarge();
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private OpenTrailException tooLarge() {
    return new OpenTrailException(
        "RequestTooLarge", "A request body may have at most " + maxBodyBytes + " bytes.", 413);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  private static String userAgent(HttpServletRequest http) {
    String ua = http.getHeader("User-Agent");
    return ua == null ? "" : FormCodec.printable(ua, 512);
  }

  private static Map<String, List<String>> multimap(Map<String, String> m) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, List.of(v)));
    return out;
  }
}
