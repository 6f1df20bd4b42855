package org.opentrail.sink.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 18 (zonky's embedded binaries from Maven Central) on a free loopback port,
 * stoppable and restartable on the same data directory and port (for outage tests). The superuser
 * {@code postgres} logs in without a password; every other role needs its SCRAM password.
 */
final class PostgresFixture implements AutoCloseable {
  private final Path data;
  private int port;
  private EmbeddedPostgres pg;

  PostgresFixture(Path dir) throws IOException {
    this.data = dir.resolve("pgdata");
    start();
    port = pg.getPort();
  }

  void start() throws IOException {
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setDataDirectoryCustomizer(
                d -> {
                  try {
                    Files.writeString(
                        d.toPath().resolve("pg_hba.conf"),
                        "local all all trust\n"
                            + "host all postgres 127.0.0.1/32 trust\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n");
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    if (port != 0) {
      b.setPort(port);
    }
    pg = b.start();
  }

  void stop() throws IOException {
    pg.close();
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  int port() {
    return port;
  }

  /** A superuser connection (auto-commit). */
  Connection admin() throws SQLException {
    return DriverManager.getConnection(url() + "?user=postgres");
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  long count(String qualifiedTable) throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM " + qualifiedTable)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
