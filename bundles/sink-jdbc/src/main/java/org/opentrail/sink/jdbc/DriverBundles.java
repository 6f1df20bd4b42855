package org.opentrail.sink.jdbc;

import java.util.Map;

/** Which bundle to install for a JDBC URL whose driver is missing (Maven coordinates). */
final class DriverBundles {
  private static final Map<String, String> KNOWN =
      Map.of(
          "postgresql", "org.postgresql:postgresql (the sink-jdbc feature installs it)",
          "h2", "com.h2database:h2",
          "sqlite", "org.xerial:sqlite-jdbc",
          "duckdb", "org.duckdb:duckdb_jdbc",
          "mariadb", "org.mariadb.jdbc:mariadb-java-client",
          "mysql", "com.mysql:mysql-connector-j");

  private DriverBundles() {}

  /** The message for a URL no installed driver accepts; names the subprotocol, not the URL. */
  static String missing(String url) {
    String sub = JdbcUrls.subprotocol(url);
    String bundle = KNOWN.get(sub);
    return "No installed JDBC driver accepts jdbc:"
        + sub
        + ": URLs: install "
        + (bundle != null ? "the driver bundle " + bundle : "that database's JDBC driver bundle")
        + " together with org.osgi:org.osgi.service.jdbc, so that it registers an OSGi"
        + " DataSourceFactory.";
  }
}
