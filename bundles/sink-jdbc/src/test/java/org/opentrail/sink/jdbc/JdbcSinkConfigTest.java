package org.opentrail.sink.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.util.converter.Converters;

/** Bad configuration, each a clear error naming what to fix; resource names and secrets. */
class JdbcSinkConfigTest {
  @TempDir static Path dir;
  static PostgresFixture pg;

  @BeforeAll
  static void start() throws Exception {
    pg = new PostgresFixture(dir);
    pg.sql(
        "CREATE ROLE writer LOGIN PASSWORD 'right-secret'",
        "CREATE SCHEMA warehouse AUTHORIZATION writer",
        "CREATE ROLE nobody LOGIN PASSWORD 'nobody-secret'",
        "CREATE TABLE public.locked (x int)");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  static JdbcSinkProvider provider(String url) {
    return provider(url, "*");
  }

  static JdbcSinkProvider provider(String url, String allowed) {
    Map<String, Object> m = new HashMap<>();
    m.put("url", url);
    m.put("user", "postgres");
    m.put("allowed.urls", allowed);
    return new JdbcSinkProvider(
        Converters.standardConverter().convert(m).to(JdbcSinkConfig.class),
        List.of(new org.postgresql.Driver()));
  }

  static SinkTarget target(Map<String, String> config) {
    return new SinkTarget("123456789012", "bad-config", "d1", config);
  }

  static String invalid(JdbcSinkProvider p, Map<String, String> config, String key) {
    InvalidParameterException e =
        assertThrows(InvalidParameterException.class, () -> p.validate(config));
    assertEquals(key, e.parameter(), e.getMessage());
    return e.getMessage();
  }

  static String openFails(JdbcSinkProvider p, Map<String, String> config) {
    p.validate(config);
    SQLException e =
        assertThrows(SQLException.class, () -> p.open(target(config)).close(), "open " + config);
    return e.getMessage();
  }

  @Test
  void invalidNamesAndKeysAreRefusedNamingTheKey() {
    JdbcSinkProvider p = provider(pg.url());
    assertTrue(invalid(p, Map.of("table", "Events"), "table").contains("lower-case"));
    invalid(p, Map.of("table", "x\"; DROP TABLE y; --"), "table");
    invalid(p, Map.of("table", "t".repeat(64)), "table");
    invalid(p, Map.of("schema", "1abc"), "schema");
    invalid(p, Map.of("colour", "red"), "colour");
    invalid(p, Map.of("url", "postgres://h/db", "user", "u"), "url");
    String m = invalid(p, Map.of("url", pg.url() + "?password=leaked", "user", "u"), "url");
    assertFalse(m.contains("leaked"), m);
    invalid(p, Map.of("url", "jdbc:postgresql://u:leaked@h/db", "user", "u"), "url");
    assertEquals(
        "MissingParameter",
        assertThrows(
                InvalidParameterException.class,
                () -> p.validate(Map.of("url", "jdbc:postgresql://elsewhere/db")))
            .code());
    assertTrue(
        invalid(p, Map.of("url", "jdbc:h2:mem:x", "user", "sa"), "url")
            .contains("com.h2database:h2"));
    assertEquals(
        "MissingParameter",
        assertThrows(InvalidParameterException.class, () -> provider("").validate(Map.of()))
            .code());
    p.validate(Map.of("table", "audit_events-2026", "schema", "_w"));
  }

  @Test
  void aTenantsUrlMustNameADatabaseTheOperatorAllows() {
    // a tenant's own user does not make any host reachable: the metadata service, this machine's
    // ports and the internal network are not databases the operator offers
    JdbcSinkProvider p = provider(pg.url(), "");
    for (String inside :
        List.of(
            "jdbc:postgresql://169.254.169.254:80/x",
            "jdbc:postgresql://localhost:8181/x",
            "jdbc:postgresql://10.0.0.5/x",
            "jdbc:postgresql://[::1]:6379/x")) {
      assertTrue(
          invalid(p, Map.of("url", inside, "user", "u"), "url").contains("allowed.urls"), inside);
    }
    JdbcSinkProvider allowing =
        provider(pg.url(), "jdbc:postgresql://DW.internal/, jdbc:postgresql://db2:6432");
    allowing.validate(Map.of("url", "jdbc:postgresql://dw.internal:5432/audit", "user", "u"));
    allowing.validate(Map.of("url", "jdbc:postgresql://db2:6432/x?sslmode=require", "user", "u"));
    invalid(allowing, Map.of("url", "jdbc:postgresql://db2:64321/x", "user", "u"), "url");
    invalid(
        allowing,
        Map.of("url", "jdbc:postgresql://dw.internal.evil.example/a", "user", "u"),
        "url");
    invalid(
        allowing,
        Map.of("url", "jdbc:postgresql://dw.internal:5432,evil:5432/a", "user", "u"),
        "url");
    p.validate(Map.of("url", pg.url(), "user", "u"));
  }

  @Test
  void unreachableServerWrongCredentialsAndMissingPermissionsAreClearErrors() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    JdbcSinkProvider p = provider(pg.url());
    String m =
        openFails(
            p, Map.of("url", "jdbc:postgresql://127.0.0.1:" + closed + "/postgres", "user", "x"));
    assertTrue(
        m.startsWith("Cannot reach the database of jdbc:postgresql://127.0.0.1:" + closed), m);

    m = openFails(p, Map.of("user", "writer", "password", "wrong-secret"));
    assertTrue(m.startsWith("The database refused the credentials of user 'writer'"), m);
    assertTrue(m.contains("28P01"), m);
    assertFalse(m.contains("wrong-secret"), m);

    m = openFails(p, Map.of("user", "nobody", "password", "nobody-secret"));
    assertTrue(m.startsWith("User 'nobody' has no permission to"), m);
    assertTrue(m.contains("42501"), m);
    m = openFails(p, Map.of("user", "writer", "password", "right-secret", "table", "locked"));
    assertTrue(m.contains("42501") && m.contains("public.locked"), m);

    m = openFails(p, Map.of("schema", "no_such_schema"));
    assertTrue(m.startsWith("The schema of") && m.contains("3F000"), m);

    try (Sink ok =
        p.open(
            target(Map.of("user", "writer", "password", "right-secret", "schema", "warehouse")))) {
      ok.deliver(Events.batch(1, 10));
    }
    assertEquals(10, pg.count("warehouse.\"actiontrail_bad-config\""));
  }

  @Test
  void resourceIsTheNormalisedServerAndTableWithoutSecrets() {
    JdbcSinkProvider p = provider("jdbc:postgresql://DB.Example.com/audit?sslmode=require");
    assertEquals(
        "jdbc:postgresql://db.example.com:5432/audit/public.actiontrail_bad-config",
        p.resource(target(Map.of())));
    assertEquals(
        "jdbc:postgresql://db.example.com:5432/audit/public.actiontrail_bad-config",
        p.resource(
            target(
                Map.of(
                    "url",
                    "jdbc:postgresql://db.example.com:5432/audit",
                    "user",
                    "other",
                    "password",
                    "s3cret"))));
    assertEquals(
        "jdbc:postgresql://localhost:5432/dw/w.t",
        p.resource(
            target(Map.of("url", "jdbc:postgresql:dw", "user", "u", "schema", "w", "table", "t"))));
    assertEquals(Set.of("password"), p.secretKeys());
    Destination d = p.destination(target(Map.of("url", "jdbc:postgresql://other/db", "user", "u")));
    assertEquals("", d.password(), "the operator's credentials stay with the operator's url");
    assertFalse(d.toString().contains("password"));
  }
}
