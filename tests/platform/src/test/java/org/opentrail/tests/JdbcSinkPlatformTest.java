package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The jdbc sink hot-installed into a running OpenTrail (core, shell and trail only) from the jars
 * of its feature, delivering into a real PostgreSQL while events are recorded, stopped, uninstalled
 * and installed again under load: every event lands in the table exactly once.
 */
class JdbcSinkPlatformTest {
  static final List<String> FEATURE_JARS =
      List.of("org.osgi.service.jdbc.jar", "postgresql.jar", "org.opentrail.sink.jdbc.jar");
  static final Path SINK_JAR = Instance.HOME.resolve("bundles/org.opentrail.sink.jdbc.jar");

  static final String OPERATOR_PASSWORD = "Operator-Default-PW-7f3e";

  @TempDir Path dir;

  @Test
  void hotInstalledStoppedAndReinstalledUnderLoadDeliversEveryEventOnce() throws Exception {
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("pg"))
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start()) {
      String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
      Path data = dir.resolve("data");
      // the operator offers this database to destinations that name it (allowed.urls), and keeps
      // the default password in data/secrets, named by the .cfg: Felix's interpolation plugin puts
      // both in as the configuration reaches the sink (were it not there, the url would be refused)
      Files.createDirectories(data.resolve("etc"));
      Files.createDirectories(data.resolve("secrets"));
      Files.writeString(data.resolve("secrets/jdbc-url"), url);
      Files.writeString(data.resolve("secrets/jdbc-password"), OPERATOR_PASSWORD);
      Files.writeString(
          data.resolve("etc/org.opentrail.sink.jdbc.cfg"),
          "allowed.urls = $[secret:jdbc-url]\n.password = $[secret:jdbc-password]\n");
      try (Instance ot = new Instance(data, TrailPlatformTest.NO_SINKS)) {
        ot.run("auth:grant");
        for (String jar : FEATURE_JARS) {
          try (InputStream in = Files.newInputStream(Instance.HOME.resolve("bundles/" + jar))) {
            ot.context().installBundle("hot:" + jar, in);
          }
        }
        for (Bundle b : ot.context().getBundles()) {
          if (b.getLocation().startsWith("hot:")) {
            b.start();
          }
        }
        assertNotNull(
            ot.context().getServiceReferences("org.osgi.service.jdbc.DataSourceFactory", null),
            "pgjdbc registers an OSGi DataSourceFactory");
        Instance.await(
            Duration.ofSeconds(10),
            () -> ot.run("sink:list").contains("org.opentrail.sink.jdbc"),
            "the jdbc sink type");

        ot.run("trail:create jdbc-trail --start jdbc:url=" + url + ",user=postgres");
        BackgroundRecording writer = BackgroundRecording.start(ot, 60, 500, "jdbc-", 5);
        List<String> ids = writer.ids();
        Instance.await(
            Duration.ofSeconds(30), () -> count(url) > 0, "the first events in the table");

        Bundle sink = ot.bundle("org.opentrail.sink.jdbc");
        sink.stop();
        Instance.await(
            Duration.ofSeconds(10),
            () -> ot.run("trail:status jdbc-trail").contains("waiting for sink type jdbc"),
            "the destination to wait for its sink type");
        sink.start();
        Instance.await(Duration.ofSeconds(30), () -> ids.size() >= 10_000, "more events");

        ot.bundle("org.opentrail.sink.jdbc").uninstall();
        Instance.await(
            Duration.ofSeconds(10),
            () -> ot.run("trail:status jdbc-trail").contains("waiting for sink type jdbc"),
            "the destination to wait after the uninstall");
        try (InputStream in = Files.newInputStream(SINK_JAR)) {
          ot.context().installBundle("reinstalled:jdbc", in).start();
        }

        writer.join(120_000);
        assertFalse(writer.running());
        assertEquals(30_000, ids.size());
        ot.awaitDelivered("jdbc-trail", Duration.ofSeconds(60));

        Set<String> inTable = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url + "?user=postgres");
            Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT event_id, event_name, user_name FROM public.\"actiontrail_jdbc-trail\"")) {
          while (rs.next()) {
            assertTrue(inTable.add(rs.getString(1)), "twice: " + rs.getString(1));
            assertEquals("PutObject", rs.getString(2));
            assertTrue(rs.getString(3).startsWith("jdbc-"), rs.getString(3));
          }
        }
        assertEquals(new HashSet<>(ids), inTable, "every recorded event, exactly once");
      }
      // the operator's password is nowhere under the data directory but in its secrets/ file
      try (var files = Files.walk(data)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (!f.startsWith(data.resolve("secrets"))) {
            assertFalse(
                new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains(OPERATOR_PASSWORD),
                "the password in " + data.relativize(f));
          }
        }
      }
    }
  }

  private static long count(String url) {
    try (Connection c = DriverManager.getConnection(url + "?user=postgres");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT CASE WHEN to_regclass('public.\"actiontrail_jdbc-trail\"') IS NULL THEN 0"
                    + " ELSE 1 END")) {
      rs.next();
      if (rs.getInt(1) == 0) {
        return 0;
      }
      try (ResultSet n = s.executeQuery("SELECT count(*) FROM public.\"actiontrail_jdbc-trail\"")) {
        n.next();
        return n.getLong(1);
      }
    } catch (SQLException e) {
      return 0;
    }
  }
}
