package org.opentrail.sink.jdbc;

import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's configuration ({@link JdbcSinkConfig}), checked. A bad value is logged as an ERROR
 * and the previous (or default) value kept, so that a typo in the .cfg never removes the sink type;
 * destinations without a default url say so in their status.
 *
 * @param url default JDBC URL, empty for none
 * @param user default user
 * @param password default password (never logged)
 * @param schema default schema
 * @param sslmode PostgreSQL sslmode, empty for the driver's default
 * @param connectTimeoutSeconds 1 to 300
 * @param socketTimeoutSeconds 1 to 3600
 * @param loadMethod auto, copy or insert
 * @param allowedUrls the databases destinations may name besides {@code url}: normal forms ({@link
 *     JdbcUrls#normalise}) a destination's url must start with, or {@code *} for any
 */
record OperatorSettings(
    String url,
    String user,
    String password,
    String schema,
    String sslmode,
    int connectTimeoutSeconds,
    int socketTimeoutSeconds,
    String loadMethod,
    java.util.List<String> allowedUrls) {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorSettings.class);
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  private static final Set<String> LOAD_METHODS = Set.of("auto", "copy", "insert");
  static final OperatorSettings DEFAULTS =
      new OperatorSettings("", "", "", "public", "", 10, 60, "auto", java.util.List.of());

  /**
   * Settings from {@code c}, each bad value replaced by the one in {@code previous} (or the
   * default) with an ERROR naming the key.
   */
  static OperatorSettings of(JdbcSinkConfig c, OperatorSettings previous) {
    OperatorSettings keep = previous == null ? DEFAULTS : previous;
    String url = c.url().strip();
    if (!url.isEmpty()) {
      try {
        JdbcUrls.check("url", url);
      } catch (RuntimeException e) {
        refused("url", e.getMessage(), "the previous one");
        url = keep.url();
      }
    }
    String schema = c.schema().strip();
    if (!Identifiers.NAME.matcher(schema).matches()) {
      refused(
          "schema", "it must be a lower-case name of letters, digits, '_' and '-'", keep.schema());
      schema = keep.schema();
    }
    String sslmode = c.sslmode().strip();
    if (!sslmode.isEmpty() && !SSL_MODES.contains(sslmode)) {
      refused("sslmode", "it must be one of " + SSL_MODES, keep.sslmode());
      sslmode = keep.sslmode();
    }
    int connect = c.connect_timeout();
    if (connect < 1 || connect > 300) {
      refused("connect.timeout", "it must be 1 to 300 seconds", keep.connectTimeoutSeconds());
      connect = keep.connectTimeoutSeconds();
    }
    int socket = c.socket_timeout();
    if (socket < 1 || socket > 3600) {
      refused("socket.timeout", "it must be 1 to 3600 seconds", keep.socketTimeoutSeconds());
      socket = keep.socketTimeoutSeconds();
    }
    String load = c.load_method().strip();
    if (!LOAD_METHODS.contains(load)) {
      refused("load.method", "it must be auto, copy or insert", keep.loadMethod());
      load = keep.loadMethod();
    }
    java.util.List<String> allowed = new java.util.ArrayList<>();
    for (String a : c.allowed_urls().split(",")) {
      String entry = a.strip();
      if (entry.equals("*")) {
        allowed.add(entry);
      } else if (!entry.isEmpty()) {
        try {
          JdbcUrls.check("allowed.urls", entry);
          allowed.add(JdbcUrls.normalise(entry));
        } catch (RuntimeException e) {
          refused("allowed.urls", "'" + entry + "' is not a JDBC URL", "the others");
        }
      }
    }
    return new OperatorSettings(
        url,
        c.user().strip(),
        c._password(),
        schema,
        sslmode,
        connect,
        socket,
        load,
        java.util.List.copyOf(allowed));
  }

  /** Whether a destination may name {@code url} (the default, or one of {@link #allowedUrls}). */
  boolean allows(String url) {
    if (url.equals(this.url) || allowedUrls.contains("*")) {
      return true;
    }
    String normal = JdbcUrls.normalise(url);
    for (String a : allowedUrls) {
      if (normal.startsWith(a)
          && (normal.length() == a.length()
              || a.endsWith("/")
              || "/:;".indexOf(normal.charAt(a.length())) >= 0)) {
        return true;
      }
    }
    return false;
  }

  private static void refused(String key, String why, Object kept) {
    LOG.error(
        "Configuration {}: {} is refused: {}; {} is used until it is corrected",
        JdbcSinkConfig.PID,
        key,
        why,
        kept);
  }

  /** Everything but the password. */
  @Override
  public String toString() {
    return "url=" + url + ", user=" + user + ", schema=" + schema + ", load.method=" + loadMethod;
  }
}
