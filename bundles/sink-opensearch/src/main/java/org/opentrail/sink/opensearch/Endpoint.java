package org.opentrail.sink.opensearch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A server address, normalised: scheme {@code http} or {@code https}, lower-case host, explicit
 * port (80 or 443 when the URL names none, as a URL means).
 *
 * @param scheme {@code http} or {@code https}
 * @param host lower-case host name or IP address (IPv6 without brackets)
 * @param port 1 to 65535
 */
record Endpoint(String scheme, String host, int port) {

  /**
   * Parses {@code http[s]://host[:port]} with at most a trailing {@code /}.
   *
   * @throws IllegalArgumentException saying what is expected, if {@code url} is not such a URL
   */
  static Endpoint parse(String url) {
    String expected =
        "an http:// or https:// URL of host and port without path, query or user"
            + " (e.g. https://search.example.com:9200)";
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("it is empty; expected " + expected);
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not " + expected);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean pathOk =
        uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath());
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || !pathOk) {
      throw new IllegalArgumentException("'" + url + "' is not " + expected);
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return new Endpoint(scheme, host, port);
  }

  /** {@code host:port}, IPv6 hosts in brackets: how a resource and the allow list name a server. */
  String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The URL, normalised. */
  @Override
  public String toString() {
    return scheme + "://" + authority();
  }
}
