package org.opentrail.sink.opensearch;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The operator's settings ({@link OpenSearchSinkConfig}), checked.
 *
 * @param endpoint the default server
 * @param username its basic authentication user, or {@code null}
 * @param password its password, or {@code null}
 * @param apiKey its API key, or {@code null}
 * @param caCertificate a PEM file of CA certificates trusted for https besides the JVM's, or {@code
 *     null}
 * @param allowed {@code host:port} of the servers destinations may name besides the default; {@code
 *     *} for any
 * @param connectTimeoutMs connect timeout, milliseconds
 * @param socketTimeoutMs response timeout, milliseconds
 * @param shards primary shards of created indices
 * @param replicas replicas of created indices
 * @param bulkMaxBytes largest {@code _bulk} body, bytes
 * @param bulkRetries rounds in which items refused for now are sent again within one delivery
 */
record Server(
    Endpoint endpoint,
    String username,
    String password,
    String apiKey,
    Path caCertificate,
    Set<String> allowed,
    int connectTimeoutMs,
    int socketTimeoutMs,
    int shards,
    int replicas,
    int bulkMaxBytes,
    int bulkRetries) {

  /** Never shows a secret. */
  @Override
  public String toString() {
    return endpoint + (username != null ? " as " + username : apiKey != null ? " by API key" : "");
  }

  boolean allows(Endpoint e) {
    return e.equals(endpoint)
        || allowed.contains("*")
        || allowed.contains(e.authority())
        || allowed.contains(e.toString());
  }

  /**
   * Checks the operator's configuration.
   *
   * @throws IllegalArgumentException naming the key and what is expected
   */
  static Server of(OpenSearchSinkConfig c) {
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(c.endpoint());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: " + e.getMessage());
    }
    String user = blank(c.username());
    String password = blank(c.password());
    String apiKey = blank(c.api_key());
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("username and password go together: give both or none");
    }
    if (apiKey != null && user != null) {
      throw new IllegalArgumentException("give api.key or username and password, not both");
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (String a : c.allowed_endpoints().split(",")) {
      if (!a.isBlank()) {
        allowed.add(a.strip().toLowerCase(java.util.Locale.ROOT));
      }
    }
    range("connect.timeout.ms", c.connect_timeout_ms(), 100, 600_000);
    range("socket.timeout.ms", c.socket_timeout_ms(), 100, 3_600_000);
    range("index.shards", c.index_shards(), 1, 1024);
    range("index.replicas", c.index_replicas(), 0, 16);
    range("bulk.max.bytes", c.bulk_max_bytes(), 64 << 10, 100 << 20);
    range("bulk.retries", c.bulk_retries(), 0, 20);
    String ca = blank(c.tls_ca_certificate());
    return new Server(
        endpoint,
        user,
        password,
        apiKey,
        ca == null ? null : Path.of(ca),
        Set.copyOf(allowed),
        c.connect_timeout_ms(),
        c.socket_timeout_ms(),
        c.index_shards(),
        c.index_replicas(),
        c.bulk_max_bytes(),
        c.bulk_retries());
  }

  private static void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + "=" + value + " is refused: it must be from " + min + " to " + max);
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
