package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log:query (searches and SQL analyses) and log:histogram in the real platform, on the history
 * (fields as stored) and on a trail's logstore (fields as Log Service shows ActionTrail's logs,
 * {@code event.*}), and through the distribution's launcher with its default features.
 */
class LogSearchPlatformTest {
  static final List<String> FEATURES =
      List.of("core", "shell", "auth", "trail", "sink-logstore", "logsearch");
  private static final Pattern COUNT = Pattern.compile("\"Count\":(\\d+)");

  @TempDir Path dir;

  private static long count(String out) {
    Matcher m = COUNT.matcher(out);
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }

  /** Runs a search until the index has caught up (Progress Complete); answers its output. */
  private static String complete(Instance ot, String command) throws Exception {
    String[] out = new String[1];
    Instance.await(
        Duration.ofSeconds(30),
        () -> (out[0] = ot.run(command)).contains("Complete\"") || out[0].contains("(Complete)"),
        command);
    return out[0];
  }

  @Test
  void searchesTheHistoryAndATrailsLogstore() throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = new Instance(data, FEATURES)) {
      ot.run("auth:grant");
      ot.run("trail:create ptrail --start logstore");
      ot.record(120, "searcher");
      ot.record(80, "other");
      ot.awaitDelivered("ptrail", Duration.ofSeconds(30));
      String h =
          complete(ot, "log:query --json --since 1h history \"userIdentity.userName: searcher\"");
      assertEquals(120, count(h), h);
      String both =
          complete(
              ot,
              "log:query --json --since 1h history \"userIdentity.userName: searcher or"
                  + " userIdentity.userName: other and not acsRegion: cn-x*\"");
      assertEquals(200, count(both), both);
      String t =
          complete(
              ot,
              "log:query --json --since 1h actiontrail_ptrail \"event.userIdentity.userName: other"
                  + " and __topic__: actiontrail_audit_event\"");
      assertEquals(80, count(t), t);
      String hist =
          complete(
              ot,
              "log:histogram --json --interval 1m --since 1h actiontrail_ptrail"
                  + " \"event.eventName: PutObject\"");
      assertEquals(200, count(hist), hist);
      String table = ot.run("log:query --since 1h -m 5 history searcher");
      assertTrue(table.contains("5 shown of 120 matching"), table);
      String unknown = ot.fails("log:query actiontrail_ptrail \"eventName: PutObject\"");
      assertTrue(unknown.contains("InvalidQuery") || unknown.contains("not indexed"), unknown);
      // SQL analysis: Calcite (embedded in the logsearch bundle) planning and running inside Felix
      String top =
          complete(
              ot,
              "log:query --json --since 1h history \"userIdentity.userName: searcher or"
                  + " userIdentity.userName: other | SELECT eventName, count(*) AS c,"
                  + " count(distinct date_trunc('day', __time__)) <= 2 AS d GROUP BY eventName"
                  + " ORDER BY 2 DESC LIMIT 10\"");
      assertTrue(
          top.contains(
              "\"Logs\":[{\"eventName\":\"PutObject\",\"c\":\"200\",\"d\":\"true\"}],\"Count\":1,"
                  + "\"ProcessedRows\":200"),
          top);
      String nested =
          complete(
              ot,
              "log:query --since 1h actiontrail_ptrail \"event.userIdentity.userName: other |"
                  + " select __topic__, count(*) group by __topic__\"");
      assertTrue(nested.contains("actiontrail_audit_event  80"), nested);
      assertTrue(nested.contains("1 rows from 80 events"), nested);
      // Log Service's functions: RE2/J and json-path embedded in the bundle, resolved in Felix
      String fns =
          complete(
              ot,
              "log:query --json --since 1h actiontrail_ptrail \"event.userIdentity.userName: other"
                  + " | select json_extract_scalar(event, '$.userIdentity.userName') AS u,"
                  + " count_if(regexp_like(\\\"event.eventName\\\", '^Put')) AS p,"
                  + " count_if(to_unixtime(cast(__time__ as timestamp)) = __time__) AS t"
                  + " group by u\"");
      assertTrue(fns.contains("\"Logs\":[{\"u\":\"other\",\"p\":\"80\",\"t\":\"80\"}]"), fns);
      // text beyond Latin-1 in the SQL: the bundle's saffron.properties gives Calcite UTF-16
      String cjk =
          complete(
              ot, "log:query --json --since 1h history \"* | select '张三' || '😀' AS n limit 1\"");
      // (the JSON writer escapes the emoji's surrogate pair)
      assertTrue(cjk.contains("\"Logs\":[{\"n\":\"张三\\uD83D\\uDE00\"}]"), cjk);
      // an IN subquery runs as a join whose rows check the time limit: code Calcite generates
      // calls the bundle's private deadline class, which must load inside Felix
      String plain =
          complete(
              ot,
              "log:query --json --since 1h history \"* | select count(*) AS c where eventName"
                  + " like 'Put%'\"");
      String viaIn =
          complete(
              ot,
              "log:query --json --since 1h history \"* | select count(*) AS c from log where"
                  + " eventName in (select eventName from log where eventName like 'Put%')\"");
      Matcher c = Pattern.compile("\"Logs\":\\[\\{\"c\":\"(\\d+)\"").matcher(plain);
      assertTrue(c.find(), plain);
      assertTrue(Integer.parseInt(c.group(1)) >= 200, plain);
      assertTrue(viaIn.contains("\"Logs\":[{\"c\":\"" + c.group(1) + "\"}]"), viaIn);
      String values =
          ot.fails(
              "log:query history \"* | select count(*) from (values (0)"
                  + ", (1)".repeat(100)
                  + ") t(x)\"");
      assertTrue(values.contains("VALUES lists hold at most 100 rows in all"), values);
      String badSql = ot.fails("log:query history \"* | select nope from log\"");
      assertTrue(badSql.contains("Column 'nope' not found"), badSql);
      String other = ot.fails("log:query -a 999999999999 actiontrail_ptrail \"*\"");
      assertTrue(other.contains("LogStoreNotExist"), other);
      assertTrue(ot.run("log:index actiontrail_ptrail").contains("event.userIdentity.userName"));
    }
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Instance.HOME.resolve("lib").toAbsolutePath() + "/*",
                "org.opentrail.launcher.Main",
                "exec",
                "log:query --since 1d actiontrail_ptrail \"* | select count(*) AS c\"",
                "--data",
                data.toString(),
                "--http",
                "127.0.0.1:" + Instance.freePort())
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertTrue(out.contains("rows from"), out);
  }
}
