package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's alert rule operations and ExportLogs over the real HTTP API of the real launcher
 * distribution, called with the signed ApiClient: create (the secret once, never in the history),
 * describe, evaluate into a real webhook receiver, update, silence, delete; another account's rule
 * is 404; users a policy does not allow are refused and recorded; bad rules and parameters are 4xx;
 * ExportLogs streams exactly the matching events of the caller's account in both formats.
 */
class AlertHttpPlatformTest {
  @TempDir Path dir;

  record Raw(int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A signed call whose answer is kept as bytes with its headers (for streamed files). */
  static Raw raw(ApiClient api, ApiClient.Key key, String action, Map<String, String> form)
      throws Exception {
    Map<String, String> query = ApiClient.common(action, ApiClient.VERSION, key, Instant.now());
    Map<String, String> all = new TreeMap<>(query);
    all.putAll(form);
    Map<String, String> q = new LinkedHashMap<>(query);
    q.put("Signature", ApiClient.signV1("POST", all, key.secret()));
    HttpResponse<byte[]> r =
        api.http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port + "/?" + ApiClient.encode(q)))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        ApiClient.encode(form), StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Raw(r.statusCode(), r.headers().map(), r.body());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(ApiClient.Answer a) {
    return new Gson().fromJson(a.body(), Map.class);
  }

  static ApiClient.Answer ok(ApiClient.Answer a) {
    return AuthorizationMatrixTest.ok(a);
  }

  static void refused(String code, int status, ApiClient.Answer a, String what) {
    assertEquals(status, a.status(), what + ": " + a);
    assertEquals(code, a.code(), what + ": " + a);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules(ApiClient.Answer a) {
    return (List<Map<String, Object>>) json(ok(a)).get("AlertRules");
  }

  @Test
  void alertRulesAndExportOverTheApi() throws Exception {
    List<String[]> hooks = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        x -> {
          hooks.add(
              new String[] {
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                x.getRequestHeaders().getFirst("X-OpenTrail-Signature")
              });
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    receiver.start();
    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("etc"));
    Files.writeString(
        data.resolve("etc/org.opentrail.alerts.cfg"),
        "allowed.webhook.hosts = 127.0.0.1\ntick.seconds = 3600\n");
    try (Instance ot = Instance.withHttp(data, "logsearch", "alerts")) {
      ApiClient api = new ApiClient(ot.httpPort);
      ApiClient.Key root = ot.rootKey();
      Matcher m =
          Pattern.compile(
                  "Account ([0-9]+) created\\.\\s+AccessKeyId:\\s+(\\S+)\\s+AccessKeySecret:\\s+(\\S+)")
              .matcher(ot.run("auth:accountadd"));
      assertTrue(m.find());
      ApiClient.Key other = new ApiClient.Key(m.group(2), m.group(3));
      ApiClient.Key nobody = AuthorizationMatrixTest.user(api, root, "nobody");
      ApiClient.Key reader = AuthorizationMatrixTest.user(api, root, "reader");
      AuthorizationMatrixTest.policy(
          api,
          root,
          "read-deletes",
          "Allow",
          "[\"actiontrail:DescribeAlertRules\",\"actiontrail:ExportLogs\"]",
          "acs:actiontrail:*:" + ot.account() + ":alertrule/deletes",
          "reader");

      Set<String> exported = new HashSet<>(ot.record(40, "exporter"));
      ok(api.call(other, "PutEvents", Map.of("Events", HttpApiTest.events("OtherTenant", 7))));
      Instance.await(
          Duration.ofSeconds(30),
          () ->
              ot.run("log:query --json --since 1h history \"userIdentity.userName: exporter\"")
                  .contains("\"Count\":40,"),
          "indexed");

      // create: the secret once
      Map<String, String> create = new LinkedHashMap<>();
      create.put("Name", "deletes");
      create.put("LogStoreName", "history");
      create.put("Query", "userIdentity.userName: exporter");
      create.put("IntervalMinutes", "5");
      create.put("WindowMinutes", "60");
      create.put("Condition", "count > 10");
      create.put("Severity", "high");
      create.put("WebhookUrl", hook);
      ApiClient.Answer created = ok(api.call(root, "CreateAlertRule", create));
      String secret = created.field("WebhookSecret");
      assertTrue(secret != null && secret.matches("[0-9a-f]{64}"), created.toString());
      refused("AlertRuleAlreadyExist", 409, api.call(root, "CreateAlertRule", create), "twice");

      List<Map<String, Object>> listed = rules(api.call(root, "DescribeAlertRules", Map.of()));
      assertEquals(1, listed.size());
      assertEquals("deletes", listed.get(0).get("Name"));
      assertEquals("ok", listed.get(0).get("Status"));
      assertFalse(listed.toString().contains(secret));

      // evaluate: fires once into the receiver, signed with the secret
      ApiClient.Answer evaluated =
          ok(api.call(root, "EvaluateAlertRule", Map.of("Name", "deletes")));
      assertEquals("firing", evaluated.field("Outcome"), evaluated.toString());
      assertTrue(evaluated.body().contains("\"Count\":40,"), evaluated.toString());
      assertEquals(1, hooks.size());
      assertEquals(AlertsPlatformTest.hmac(secret, hooks.get(0)[0]), hooks.get(0)[1]);

      // update: severity keeps the state, a condition resets it; silence
      ApiClient.Answer updated =
          ok(api.call(root, "UpdateAlertRule", Map.of("Name", "deletes", "Severity", "CRITICAL")));
      assertEquals("critical", updated.field("Severity"));
      Map<String, Object> one =
          rules(api.call(root, "DescribeAlertRules", Map.of("Name", "deletes"))).get(0);
      assertEquals("firing", one.get("Status"));
      assertEquals("critical", one.get("Severity"));
      assertEquals(1, ((List<?>) one.get("Evaluations")).size());
      ok(api.call(root, "UpdateAlertRule", Map.of("Name", "deletes", "Condition", "count > 100")));
      one = rules(api.call(root, "DescribeAlertRules", Map.of("Name", "deletes"))).get(0);
      assertEquals("ok", one.get("Status"));
      assertEquals("count > 100", one.get("Condition"));
      assertEquals("userIdentity.userName: exporter", one.get("Query"));
      String until = Instant.now().plus(Duration.ofHours(1)).toString().substring(0, 19) + "Z";
      ApiClient.Answer silenced =
          ok(api.call(root, "SilenceAlertRule", Map.of("Name", "deletes", "EndTime", until)));
      assertEquals(until, silenced.field("SilenceEndTime"));

      // another account never sees or touches it
      assertEquals(0, rules(api.call(other, "DescribeAlertRules", Map.of())).size());
      for (String action :
          List.of(
              "DescribeAlertRules", "EvaluateAlertRule", "DeleteAlertRule", "UpdateAlertRule")) {
        refused(
            "AlertRuleNotExist",
            404,
            api.call(other, action, Map.of("Name", "deletes")),
            action + " by another account");
      }

      // RAM: nobody is refused; the reader may describe this rule only
      List<String> deniedIds = new ArrayList<>();
      for (String action : List.of("CreateAlertRule", "DescribeAlertRules", "DeleteAlertRule")) {
        ApiClient.Answer a = api.call(nobody, action, Map.of("Name", "deletes"));
        refused("Forbidden.RAM", 403, a, action + " by a user without a policy");
        deniedIds.add(a.requestId());
      }
      // what a rule found tells what its logstore holds: without LookupEvents, no rule is shown
      ApiClient.Answer unread = api.call(reader, "DescribeAlertRules", Map.of("Name", "deletes"));
      refused("Forbidden.RAM", 403, unread, "DescribeAlertRules by a reader without LookupEvents");
      assertTrue(unread.body().contains("actiontrail:LookupEvents"), unread.body());
      deniedIds.add(unread.requestId());
      AuthorizationMatrixTest.policy(
          api, root, "lookup", "Allow", "[\"actiontrail:LookupEvents\"]", "*", "reader");
      ok(api.call(reader, "DescribeAlertRules", Map.of("Name", "deletes")));
      ApiClient.Answer readerDelete =
          api.call(reader, "DeleteAlertRule", Map.of("Name", "deletes"));
      refused("Forbidden.RAM", 403, readerDelete, "DeleteAlertRule by the reader");
      deniedIds.add(readerDelete.requestId());
      refused(
          "Forbidden.RAM",
          403,
          api.call(reader, "DescribeAlertRules", Map.of()),
          "every rule, when the reader may see one");

      // bad rules and parameters: each a 4xx naming what is wrong, nothing stored
      Map<String, String[]> bad = new LinkedHashMap<>();
      bad.put("Condition", new String[] {"count >> 5", "InvalidParameter"});
      bad.put("Severity", new String[] {"urgent", "InvalidParameter"});
      bad.put("Name", new String[] {"x'; DROP TABLE rules;--", "InvalidParameter"});
      bad.put("IntervalMinutes", new String[] {"0", "InvalidParameter"});
      bad.put("WindowMinutes", new String[] {"ten", "InvalidParameter"});
      bad.put("WebhookUrl", new String[] {"http://169.254.169.254/latest", "InvalidParameter"});
      bad.put("Query", new String[] {"(((", "InvalidQuery"});
      bad.put("LogStoreName", new String[] {"actiontrail_nope", "LogStoreNotExist"});
      bad.put("Colour", new String[] {"red", "InvalidParameter"});
      for (Map.Entry<String, String[]> b : bad.entrySet()) {
        Map<String, String> p = new LinkedHashMap<>(create);
        p.put("Name", "fresh");
        p.put(b.getKey(), b.getValue()[0]);
        ApiClient.Answer a = api.call(root, "CreateAlertRule", p);
        assertEquals(b.getValue()[1], a.code(), b.getKey() + ": " + a);
        assertTrue(a.status() >= 400 && a.status() < 500, a.toString());
        assertTrue(a.body().contains("\"Message\""), a.toString());
      }
      // minutes out of range name the parameter given and its real bounds
      Map<String, String[]> minutes = new LinkedHashMap<>();
      minutes.put("IntervalMinutes", new String[] {"-5", "1 to 1440, not '-5'"});
      minutes.put("WindowMinutes", new String[] {"99999999999", "1 to 10080, not '99999999999'"});
      minutes.put("RepeatIntervalMinutes", new String[] {"20000", "1 to 10080, not '20000'"});
      for (Map.Entry<String, String[]> b : minutes.entrySet()) {
        Map<String, String> p = new LinkedHashMap<>(create);
        p.put("Name", "fresh");
        p.put(b.getKey(), b.getValue()[0]);
        for (String action : List.of("CreateAlertRule", "UpdateAlertRule")) {
          if (action.equals("UpdateAlertRule")) {
            p = new LinkedHashMap<>(Map.of("Name", "deletes", b.getKey(), b.getValue()[0]));
          }
          ApiClient.Answer a = api.call(root, action, p);
          refused("InvalidParameter", 400, a, action + " " + b.getKey());
          assertEquals(
              "The parameter "
                  + b.getKey()
                  + " must be a whole number from "
                  + b.getValue()[1]
                  + ".",
              a.field("Message"),
              action);
        }
      }
      Map<String, String> unindexed = new LinkedHashMap<>(create);
      unindexed.put("Name", "fresh");
      unindexed.put("Condition", "noSuchField == \"x\"");
      refused("InvalidQuery", 400, api.call(root, "CreateAlertRule", unindexed), "unindexed");
      Map<String, String> huge = new LinkedHashMap<>(create);
      huge.put("Name", "fresh");
      huge.put("Query", "a".repeat(5000));
      refused("InvalidParameter", 400, api.call(root, "CreateAlertRule", huge), "oversized");
      refused(
          "InvalidParameter",
          400,
          api.call(root, "UpdateAlertRule", Map.of("Name", "deletes", "Severity", "urgent")),
          "a bad update");
      listed = rules(api.call(root, "DescribeAlertRules", Map.of()));
      assertEquals(List.of("deletes"), listed.stream().map(r -> r.get("Name")).toList());
      assertEquals("critical", listed.get(0).get("Severity"), "a refused update changes nothing");

      // ExportLogs: the exact events of the caller's account, streamed, in both formats
      Map<String, String> export = new LinkedHashMap<>();
      export.put("LogStoreName", "history");
      export.put("Query", "userIdentity.userName: exporter");
      export.put("StartTime", Instant.now().minus(Duration.ofHours(1)).toString());
      Raw gz = raw(api, root, "ExportLogs", export);
      assertEquals(200, gz.status(), gz.text());
      assertEquals("application/gzip", gz.header("Content-Type"));
      assertEquals("attachment; filename=\"history.jsonl.gz\"", gz.header("Content-Disposition"));
      assertEquals("40", gz.header("x-opentrail-matched-count"));
      assertEquals(null, gz.header("Content-Length"), "streamed, chunked");
      List<String> ids = new ArrayList<>();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(new ByteArrayInputStream(gz.body())),
                  StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          ids.add((String) new Gson().fromJson(line, Map.class).get("eventId"));
        }
      }
      assertEquals(40, ids.size());
      assertEquals(exported, new HashSet<>(ids));

      export.put("FileFormat", "csv");
      export.put("Columns", "eventId,eventName,userIdentity.userName");
      Raw csv = raw(api, root, "ExportLogs", export);
      assertEquals(200, csv.status(), csv.text());
      assertEquals("text/csv;charset=utf-8", csv.header("Content-Type").replace(" ", ""));
      String[] rows = csv.text().split("\r\n");
      assertEquals("eventId,eventName,userIdentity.userName", rows[0]);
      assertEquals(41, rows.length);
      Set<String> csvIds = new HashSet<>();
      for (int i = 1; i < rows.length; i++) {
        String[] cells = rows[i].split(",");
        assertEquals("PutObject", cells[1]);
        assertEquals("exporter", cells[2]);
        csvIds.add(cells[0]);
      }
      assertEquals(exported, csvIds);

      // everything of the history: never another account's events
      Raw all =
          raw(
              api,
              root,
              "ExportLogs",
              Map.of("LogStoreName", "history", "FileFormat", "csv", "Columns", "eventName"));
      assertEquals(200, all.status());
      assertTrue(all.text().contains("PutObject"));
      assertFalse(all.text().contains("OtherTenant"), "another account's events");
      Raw theirs =
          raw(
              api,
              other,
              "ExportLogs",
              Map.of(
                  "LogStoreName", "history", "FileFormat", "csv", "Columns", "eventId,eventName"));
      assertEquals(200, theirs.status());
      assertFalse(theirs.text().contains("PutObject"), "the other account sees none of ours");
      for (String id : exported) {
        assertFalse(theirs.text().contains(id));
      }
      assertEquals(7, theirs.text().split("OtherTenant", -1).length - 1);

      // refusals before any byte, in the JSON error shape
      Raw denied = raw(api, nobody, "ExportLogs", Map.of("LogStoreName", "history"));
      assertEquals(403, denied.status());
      assertTrue(denied.header("Content-Type").startsWith("application/json"));
      assertTrue(denied.text().contains("\"Code\":\"Forbidden.RAM\""), denied.text());
      deniedIds.add(new ApiClient.Answer(403, denied.text()).requestId());
      Raw badQuery =
          raw(api, root, "ExportLogs", Map.of("LogStoreName", "history", "Query", "((("));
      assertEquals(400, badQuery.status());
      assertTrue(badQuery.text().contains("\"Code\":\"InvalidQuery\""), badQuery.text());
      Raw badFormat =
          raw(api, root, "ExportLogs", Map.of("LogStoreName", "history", "FileFormat", "xml"));
      assertEquals(400, badFormat.status(), badFormat.text());
      Raw noStore = raw(api, root, "ExportLogs", Map.of("LogStoreName", "actiontrail_nope"));
      assertEquals(404, noStore.status(), noStore.text());

      // a client that goes away mid-download: the server stays up and keeps answering
      ot.record(3000, "bulk");
      ot.awaitIndexed();
      Map<String, String> big =
          Map.of(
              "LogStoreName",
              "history",
              "Query",
              "userIdentity.userName: bulk",
              "FileFormat",
              "csv",
              "Columns",
              "eventId,requestParameters");
      Map<String, String> bq =
          ApiClient.common("ExportLogs", ApiClient.VERSION, root, Instant.now());
      Map<String, String> signed = new TreeMap<>(bq);
      signed.putAll(big);
      bq.put("Signature", ApiClient.signV1("POST", signed, root.secret()));
      HttpResponse<java.io.InputStream> partial =
          api.http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + api.port + "/?" + ApiClient.encode(bq)))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(ApiClient.encode(big)))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, partial.statusCode());
      assertEquals("3000", partial.headers().firstValue("x-opentrail-matched-count").orElse(null));
      try (java.io.InputStream in = partial.body()) {
        assertEquals(1000, in.readNBytes(1000).length);
      } // closing it early aborts the exchange
      Raw after = raw(api, root, "ExportLogs", big);
      assertEquals(200, after.status());
      assertEquals(3001, after.text().split("\r\n").length, "header and 3000 rows");

      // delete, then gone
      ok(api.call(root, "DeleteAlertRule", Map.of("Name", "deletes")));
      refused(
          "AlertRuleNotExist",
          404,
          api.call(root, "DescribeAlertRules", Map.of("Name", "deletes")),
          "deleted");

      // every call is in the history: refusals with their code, no secret anywhere
      ot.awaitIndexed();
      Map<String, String> recorded = AuthorizationMatrixTest.recordedErrors(api, root);
      for (String id : deniedIds) {
        assertEquals("Forbidden.RAM", recorded.get(id), "the audit event of " + id);
      }
      assertTrue(recorded.containsKey(created.requestId()));
      assertEquals(null, recorded.get(created.requestId()));
      String history =
          ot.run(
              "log:query --json --since 1h history \"eventName: CreateAlertRule or eventName:"
                  + " ExportLogs\"");
      assertFalse(history.contains(secret), "the webhook secret is never recorded");
      assertTrue(history.contains("streaming 40 matching events"), history);
    } finally {
      receiver.stop(0);
    }
  }
}
