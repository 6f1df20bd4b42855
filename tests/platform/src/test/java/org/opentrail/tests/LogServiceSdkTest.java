package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.tests.AuthorizationMatrixTest.ok;
import static org.opentrail.tests.AuthorizationMatrixTest.policy;
import static org.opentrail.tests.AuthorizationMatrixTest.user;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.Consts.CursorMode;
import com.aliyun.openservices.log.common.ConsumerGroup;
import com.aliyun.openservices.log.common.FastLog;
import com.aliyun.openservices.log.common.FastLogGroup;
import com.aliyun.openservices.log.common.Histogram;
import com.aliyun.openservices.log.common.LogContent;
import com.aliyun.openservices.log.common.QueriedLog;
import com.aliyun.openservices.log.exception.LogException;
import com.aliyun.openservices.log.http.client.ClientConfiguration;
import com.aliyun.openservices.log.request.PullLogsRequest;
import com.aliyun.openservices.log.response.GetHistogramsResponse;
import com.aliyun.openservices.log.response.GetLogsResponse;
import com.aliyun.openservices.log.response.PullLogsResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log Service's official Java SDK (aliyun-log 0.6.100), unchanged, against a real OpenTrail: its
 * requests reach the instance through the SDK's proxy setting, so the endpoint is a host name that
 * never resolves. One instance per class (restarted once, for checkpoints).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogServiceSdkTest {
  static final String ENDPOINT = "log.opentrail.local";
  static final String LS = "actiontrail_sdktrail";
  static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");

  @TempDir static Path dir;
  static Instance ot;
  static ApiClient api;
  static ApiClient.Key root;
  static String account;
  static String project;
  static final List<String> alice = new ArrayList<>();
  static final List<String> bob = new ArrayList<>();
  static int from;
  static int to;

  @BeforeAll
  static void start() throws Exception {
    ot = Instance.withHttp(dir.resolve("data"), "consume", "logsearch", "logservice");
    api = new ApiClient(ot.httpPort);
    root = ot.rootKey();
    account = ot.account();
    project = "opentrail-" + account;
    ot.run("auth:grant");
    ok(
        api.call(
            root,
            "CreateTrail",
            Map.of(
                "Name",
                "sdktrail",
                "SlsProjectArn",
                "acs:log:local:" + account + ":project/my-proj")));
    ok(api.call(root, "StartLogging", Map.of("Name", "sdktrail")));
    long now = Instant.now().getEpochSecond();
    from = (int) (now - 3600);
    to = (int) (now + 3600);
    alice.addAll(ot.record(120, "alice-ops"));
    bob.addAll(ot.record(30, "bob-ops"));
    ot.awaitDelivered("sdktrail", Duration.ofSeconds(30));
    Client c = client(root);
    Instance.await(
        Duration.ofSeconds(30),
        () -> {
          try {
            GetHistogramsResponse r =
                c.GetHistograms(project, LS, from, to, "", "event.eventName: PutObject");
            return r.IsCompleted() && r.GetTotalCount() == 150;
          } catch (LogException e) {
            return false;
          }
        },
        "the trail logstore's index");
  }

  @AfterAll
  static void stop() {
    if (ot != null) {
      ot.close();
    }
  }

  static Client client(ApiClient.Key key) {
    ClientConfiguration conf = new ClientConfiguration();
    conf.setProxyHost("127.0.0.1");
    conf.setProxyPort(ot.httpPort);
    return new Client(ENDPOINT, key.id(), key.secret(), conf);
  }

  static LogException fails(String code, int status, Executable e) {
    LogException x = assertThrows(LogException.class, e::run);
    assertEquals(code, x.GetErrorCode(), x.GetErrorMessage());
    assertEquals(status, x.GetHttpCode(), x.GetErrorMessage());
    assertFalse(x.GetRequestId().isEmpty(), "x-log-requestid");
    return x;
  }

  interface Executable {
    void run() throws Exception;
  }

  static String field(QueriedLog q, String key) {
    for (LogContent c : q.GetLogItem().GetLogContents()) {
      if (c.GetKey().equals(key)) {
        return c.GetValue();
      }
    }
    return null;
  }

  /** Every PutObject event from a cursor to the end, as (eventId, eventTime seconds). */
  static List<String[]> drain(Client c, String p, String ls, String cursor) throws Exception {
    List<String[]> out = new ArrayList<>();
    while (true) {
      PullLogsResponse r = c.pullLogs(new PullLogsRequest(p, ls, 0, 40, cursor));
      for (int i = 0; i < r.getCount(); i++) {
        FastLogGroup g = r.getLogGroup(i).GetFastLogGroup();
        FastLog log = g.getLogs(0);
        Map<String, String> fields = new java.util.HashMap<>();
        for (int j = 0; j < log.getContentsCount(); j++) {
          fields.put(log.getContents(j).getKey(), log.getContents(j).getValue());
        }
        String json = fields.get("event"); // a trail's logstore: the event's JSON
        if (json == null
            ? "PutObject".equals(fields.get("eventName"))
            : json.contains("\"eventName\":\"PutObject\"")) {
          Matcher m = EVENT_ID.matcher(json == null ? "" : json);
          String id = json == null ? fields.get("eventId") : m.find() ? m.group(1) : null;
          assertTrue(id != null, fields.toString());
          out.add(new String[] {id, Integer.toString(log.getTime())});
        }
      }
      if (r.getCount() == 0) {
        return out; // the end, as consumers tell it
      }
      cursor = r.getNextCursor();
    }
  }

  static List<String> ids(List<String[]> events) {
    return events.stream().map(e -> e[0]).toList();
  }

  @Test
  @Order(1)
  void listLogStoresShowsTheAccountsOwnUnderBothProjectNames() throws Exception {
    Client c = client(root);
    assertEquals(List.of("history", LS), c.ListLogStores(project, 0, 100).GetLogStores());
    assertEquals(List.of("history", LS), c.ListLogStores("my-proj", 0, 100).GetLogStores());
    assertEquals(List.of(LS), c.ListLogStores(project, 1, 100).GetLogStores());
    assertEquals(2, c.ListLogStores(project, 1, 100).GetTotal());
    fails("ProjectNotExist", 404, () -> c.ListLogStores("someone-elses", 0, 100));
    assertEquals(1, c.ListShard(project, LS).GetShards().size());
  }

  @Test
  @Order(2)
  void getLogsFindsExactlyTheMatchingEvents() throws Exception {
    Client c = client(root);
    GetLogsResponse r =
        c.GetLogs(project, LS, from, to, "", "event.userIdentity.userName: bob-ops", 100, 0, false);
    assertEquals(30, r.getProcessedRow());
    assertEquals(30, r.GetCount());
    List<String> found = new ArrayList<>();
    for (QueriedLog q : r.GetLogs()) {
      assertEquals("actiontrail_audit_event", field(q, "__topic__"));
      Matcher m = EVENT_ID.matcher(field(q, "event"));
      assertTrue(m.find());
      found.add(m.group(1));
      assertTrue(q.GetLogItem().GetTime() >= from && q.GetLogItem().GetTime() < to);
    }
    assertEquals(bob, found, "oldest first, as reverse=false asks");
    GetLogsResponse page =
        c.GetLogs(project, LS, from, to, "", "event.userIdentity.userName: alice-ops", 10, 5, true);
    // processedRows is what the search visited: it stops once it holds the page (no total, as
    // in Log Service; GetHistograms counts)
    assertTrue(
        page.getProcessedRow() >= 15 && page.getProcessedRow() <= 120,
        "processed " + page.getProcessedRow());
    assertEquals(10, page.GetCount());
    assertEquals(
        120,
        c.GetHistograms(project, LS, from, to, "", "event.userIdentity.userName: alice-ops")
            .GetTotalCount());
    // the history: the account's events, fields as stored
    GetLogsResponse h =
        c.GetLogs(
            project, "history", from, to, "", "userIdentity.userName: bob-ops", 100, 0, false);
    assertEquals(30, h.GetCount());
    assertEquals("PutObject", field(h.GetLogs().get(0), "eventName"));
    assertEquals(bob.get(0), field(h.GetLogs().get(0), "eventId"));
  }

  @Test
  @Order(3)
  void histogramsAndPullLogsAgreeWithWhatWasRecorded() throws Exception {
    Client c = client(root);
    String begin = c.GetCursor(project, LS, 0, CursorMode.BEGIN).GetCursor();
    List<String[]> pulled = drain(c, project, LS, begin);
    List<String> recorded = new ArrayList<>(alice);
    recorded.addAll(bob);
    assertEquals(recorded, ids(pulled), "every event exactly once, in order");
    String end = c.GetCursor(project, LS, 0, CursorMode.END).GetCursor();
    assertEquals(0, c.pullLogs(new PullLogsRequest(project, LS, 0, 10, end)).getCount());
    String at = c.GetCursor(project, LS, 0, from).GetCursor();
    assertEquals(recorded, ids(drain(c, project, LS, at)));
    String later = c.GetCursor(project, LS, 0, to).GetCursor();
    assertTrue(drain(c, project, LS, later).isEmpty());
    // a consumer following the history is not fed the records of its own pulls, and reaches
    // the end of the history it shares with other accounts
    List<String> mine =
        ids(
            drain(
                c,
                project,
                "history",
                c.GetCursor(project, "history", 0, CursorMode.BEGIN).GetCursor()));
    assertEquals(recorded, mine);
    String tail = c.GetCursor(project, "history", 0, CursorMode.END).GetCursor();
    for (int i = 0; i < 5; i++) {
      PullLogsResponse r = c.pullLogs(new PullLogsRequest(project, "history", 0, 100, tail));
      assertEquals(0, r.getCount(), "pull " + i);
      tail = r.getNextCursor();
    }

    GetHistogramsResponse h =
        c.GetHistograms(project, LS, from, to, "", "event.eventName: PutObject");
    assertEquals(150, h.GetTotalCount());
    long sum = 0;
    for (Histogram b : h.GetHistograms()) {
      long expected =
          pulled.stream()
              .mapToInt(e -> Integer.parseInt(e[1]))
              .filter(t -> t >= b.GetFrom() && t < b.GetTo())
              .count();
      assertEquals(expected, b.GetCount(), "bucket " + b.GetFrom() + "-" + b.GetTo());
      sum += b.GetCount();
    }
    assertEquals(150, sum);
    assertEquals(from, h.GetHistograms().get(0).GetFrom());
  }

  @Test
  @Order(4)
  void otherAccountsAndDeniedUsersAreRefusedAndRecorded() throws Exception {
    String created = ot.run("auth:accountadd");
    Matcher m =
        Pattern.compile(
                "Account ([0-9]+) created\\.\\s+AccessKeyId:\\s+(\\S+)\\s+AccessKeySecret:\\s+(\\S+)")
            .matcher(created);
    assertTrue(m.find(), created);
    String accountB = m.group(1);
    ApiClient.Key keyB = new ApiClient.Key(m.group(2), m.group(3));
    Client b = client(keyB);
    String projectB = "opentrail-" + accountB;
    assertEquals(List.of("history"), b.ListLogStores(projectB, 0, 100).GetLogStores());
    // A's project and A's logstore answer exactly as names nobody has
    LogException p1 = fails("ProjectNotExist", 404, () -> b.ListLogStores(project, 0, 10));
    LogException p2 = fails("ProjectNotExist", 404, () -> b.ListLogStores("my-proj", 0, 10));
    assertEquals(
        p1.GetErrorMessage().replace(project, "X"), p2.GetErrorMessage().replace("my-proj", "X"));
    LogException l1 =
        fails("LogStoreNotExist", 404, () -> b.GetLogs(projectB, LS, from, to, "", "*"));
    LogException l2 =
        fails(
            "LogStoreNotExist",
            404,
            () -> b.GetLogs(projectB, "actiontrail_nosuch", from, to, "", "*"));
    assertEquals(
        l1.GetErrorMessage().replace(LS, "X"),
        l2.GetErrorMessage().replace("actiontrail_nosuch", "X"));
    fails("LogStoreNotExist", 404, () -> b.GetCursor(projectB, LS, 0, CursorMode.BEGIN));
    // a request B signed that cannot be read is recorded in B's history, naming B's key
    String twice = raw("GET", "/logstores?size=1&size=2", projectB, keyB, Instant.now());
    assertTrue(twice.contains("\"errorMessage\":\"The parameter size is given twice.\""), twice);
    Matcher rid = Pattern.compile("\"requestId\":\"([0-9A-F]+)\"").matcher(twice);
    assertTrue(rid.find(), twice);
    String twiceId = "requestId: " + rid.group(1);
    Instance.await(
        Duration.ofSeconds(20),
        () -> {
          try {
            return b.GetLogs(projectB, "history", from, to, "", twiceId).GetCount() == 1;
          } catch (LogException e) {
            return false;
          }
        },
        "the unreadable request in B's history");
    QueriedLog unreadable = b.GetLogs(projectB, "history", from, to, "", twiceId).GetLogs().get(0);
    assertEquals("ParameterInvalid", field(unreadable, "errorCode"));
    assertTrue(
        field(unreadable, "userIdentity").contains("\"accessKeyId\":\"" + keyB.id() + "\""),
        field(unreadable, "userIdentity"));
    assertEquals(0, client(root).GetLogs(project, "history", from, to, "", twiceId).GetCount());
    // B's history has none of A's events
    assertEquals(
        0,
        b.GetLogs(projectB, "history", from, to, "", "userIdentity.userName: bob-ops")
            .getProcessedRow());

    // a user allowed everything in Log Service but GetLogStoreLogs
    ApiClient.Key reader = user(api, root, "sls-reader");
    policy(api, root, "sls-all", "Allow", "log:*", "acs:log:*:" + account + ":*", "sls-reader");
    policy(
        api,
        root,
        "no-getlogs",
        "Deny",
        "log:GetLogStoreLogs",
        "acs:log:*:" + account + ":project/*",
        "sls-reader");
    Client u = client(reader);
    assertEquals(List.of("history", LS), u.ListLogStores(project, 0, 100).GetLogStores());
    assertEquals(
        150,
        u.GetHistograms(project, LS, from, to, "", "event.eventName: PutObject").GetTotalCount());
    LogException denied =
        fails("Unauthorized", 401, () -> u.GetLogs(project, LS, from, to, "", "*"));
    assertTrue(denied.GetErrorMessage().contains("log:GetLogStoreLogs"), denied.GetErrorMessage());
    // a Deny written for one name of the project holds under its other name too
    ApiClient.Key aliased = user(api, root, "sls-aliased");
    policy(
        api,
        root,
        "no-trail-logs",
        "Deny",
        "log:GetLogStoreLogs",
        "acs:log:*:" + account + ":project/" + project + "/logstore/" + LS,
        "sls-aliased");
    ok(
        api.call(
            root,
            "AttachPolicyToUser",
            Map.of("PolicyName", "sls-all", "PolicyType", "Custom", "UserName", "sls-aliased")));
    Client a = client(aliased);
    assertEquals(1, a.GetLogs("my-proj", "history", from, to, "", "*", 1, 0, false).GetCount());
    for (String p : List.of(project, "my-proj")) {
      LogException viaAlias = fails("Unauthorized", 401, () -> a.GetLogs(p, LS, from, to, "", "*"));
      assertEquals(
          "denied by sts or ram: not authorized to operate on the specified resource, or this API"
              + " doesn't support RAM. Action: log:GetLogStoreLogs, Resource: acs:log:local:"
              + account
              + ":project/"
              + project
              + "/logstore/"
              + LS,
          viaAlias.GetErrorMessage(),
          p);
    }
    // the refusal is in the history, with the operation and the caller
    Client c = client(root);
    String byId = "requestId: " + denied.GetRequestId();
    Instance.await(
        Duration.ofSeconds(20),
        () -> {
          try {
            return c.GetLogs(project, "history", from, to, "", byId).GetCount() > 0;
          } catch (LogException e) {
            return false;
          }
        },
        "the refusal in the history's index");
    GetLogsResponse refusal = c.GetLogs(project, "history", from, to, "", byId);
    assertEquals(1, refusal.GetCount());
    QueriedLog q = refusal.GetLogs().get(0);
    assertEquals("GetLogs", field(q, "eventName"));
    assertEquals("Unauthorized", field(q, "errorCode"));
    assertEquals("log", field(q, "serviceName"));
    assertTrue(field(q, "userIdentity").contains("sls-reader"), field(q, "userIdentity"));

    // a wrong secret, no signature, an expired Date
    Client wrong = client(new ApiClient.Key(root.id(), "not-the-secret"));
    fails("SignatureNotMatch", 401, () -> wrong.ListLogStores(project, 0, 10));
    String unsigned = raw("GET", "/logstores", project, null, null);
    assertTrue(unsigned.startsWith("HTTP/1.1 401"), unsigned);
    assertTrue(unsigned.contains("\"errorCode\":\"Unauthorized\""), unsigned);
    String expired =
        raw("GET", "/logstores", project, root, Instant.now().minus(Duration.ofMinutes(20)));
    assertTrue(expired.startsWith("HTTP/1.1 400"), expired);
    assertTrue(expired.contains("\"errorCode\":\"RequestTimeExpired\""), expired);
    String fresh = raw("GET", "/logstores", project, root, Instant.now());
    assertTrue(fresh.startsWith("HTTP/1.1 200") && fresh.contains("\"total\":2"), fresh);
    String injected = raw("GET", "/logstores/a'%20or%201=1/shards", project, root, Instant.now());
    assertTrue(injected.contains("\"errorCode\":\"ParameterInvalid\""), injected);
    String write = raw("POST", "/logstores/" + LS + "/shards/lb", project, root, Instant.now());
    assertTrue(write.startsWith("HTTP/1.1 403"), write);
    String huge = raw("POST", "/logstores/" + LS + "/logs", project, null, null, 50_000_000);
    assertTrue(huge.startsWith("HTTP/1.1 413"), huge);
    assertTrue(huge.contains("\"errorCode\":\"PostBodyTooLarge\""), huge);
    fails("ParameterInvalid", 400, () -> c.GetLogs(project, LS, to, from, "", "*"));
    // a malformed query names what is wrong; the server stays up
    LogException bad =
        fails(
            "InvalidQuery", 400, () -> c.GetLogs(project, LS, from, to, "", "event.eventName: ("));
    assertFalse(bad.GetErrorMessage().isEmpty());
    assertEquals(2, c.ListLogStores(project, 0, 10).GetTotal());
  }

  @Test
  @Order(5)
  void analysisRunsThroughTheSdkOnceAnalyzeIsAvailable() throws Exception {
    Client c = client(root);
    String sql =
        "event.eventName: PutObject | SELECT \"event.userIdentity.userName\" AS u, count(*) AS n"
            + " GROUP BY u ORDER BY n DESC";
    GetLogsResponse r;
    try {
      r = c.GetLogs(project, LS, from, to, "", sql);
    } catch (LogException e) {
      Assumptions.assumeFalse(
          e.GetErrorMessage().contains("not available in this version"),
          "LogSearch.analyze is not in this build yet");
      throw e;
    }
    assertEquals(2, r.GetCount());
    assertEquals("alice-ops", field(r.GetLogs().get(0), "u"));
    assertEquals("120", field(r.GetLogs().get(0), "n"));
    assertEquals("bob-ops", field(r.GetLogs().get(1), "u"));
    assertEquals("30", field(r.GetLogs().get(1), "n"));
  }

  @Test
  @Order(6)
  void aConsumerGroupsCheckpointSurvivesARestart() throws Exception {
    Client c = client(root);
    c.CreateConsumerGroup(project, LS, new ConsumerGroup("readers", 60, true));
    fails(
        "ConsumerGroupAlreadyExist",
        409,
        () -> c.CreateConsumerGroup(project, LS, new ConsumerGroup("readers", 60, true)));
    assertEquals(
        "readers",
        c.ListConsumerGroup(project, LS).GetConsumerGroups().get(0).getConsumerGroupName());
    assertEquals(List.of(0), c.HeartBeat(project, LS, "readers", "c1", List.of()).GetShards());
    String cursor = c.GetCursor(project, LS, 0, CursorMode.BEGIN).GetCursor();
    PullLogsResponse first = c.pullLogs(new PullLogsRequest(project, LS, 0, 100, cursor));
    List<String> read = new ArrayList<>();
    for (int i = 0; i < first.getCount(); i++) {
      Matcher m =
          EVENT_ID.matcher(
              first.getLogGroup(i).GetFastLogGroup().getLogs(0).getContents(0).getValue());
      assertTrue(m.find());
      read.add(m.group(1));
    }
    c.UpdateCheckPoint(project, LS, "readers", "c1", 0, first.getNextCursor());
    assertEquals(
        first.getNextCursor(),
        c.GetCheckPoint(project, LS, "readers").GetCheckPoints().get(0).getCheckPoint());

    ot.close();
    ot = Instance.withHttp(dir.resolve("data"), "consume", "logsearch", "logservice");
    Client again = client(root);
    String saved =
        again.GetCheckPoint(project, LS, "readers").GetCheckPoints().get(0).getCheckPoint();
    assertEquals(first.getNextCursor(), saved);
    List<String> rest = ids(drain(again, project, LS, saved));
    List<String> all = new ArrayList<>(read);
    all.addAll(rest);
    List<String> recorded = new ArrayList<>(alice);
    recorded.addAll(bob);
    assertEquals(recorded, all.stream().filter(new HashSet<>(recorded)::contains).toList());
    assertEquals(all.size(), new HashSet<>(all).size(), "no event twice");
    again.DeleteConsumerGroup(project, LS, "readers");
    assertTrue(again.ListConsumerGroup(project, LS).GetConsumerGroups().isEmpty());
    fails("ConsumerGroupNotExist", 404, () -> again.GetCheckPoint(project, LS, "readers"));
  }

  /**
   * A request written by hand, signed (unless {@code key} is null) with an independent
   * implementation of the LOG scheme at {@code date}; answers the status line and body.
   */
  static String raw(String method, String path, String p, ApiClient.Key key, Instant date)
      throws Exception {
    return raw(method, path, p, key, date, 0);
  }

  /** As above, declaring a body of {@code length} bytes that is never sent. */
  static String raw(
      String method, String path, String p, ApiClient.Key key, Instant date, long length)
      throws Exception {
    String host = p + "." + ENDPOINT;
    StringBuilder req =
        new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    req.append("Content-Length: " + length + "\r\nConnection: close\r\n");
    req.append("x-log-apiversion: 0.6.0\r\n");
    if (key != null) {
      String d =
          DateTimeFormatter.RFC_1123_DATE_TIME.format(
              ZonedDateTime.ofInstant(date, ZoneOffset.UTC));
      String resource = java.net.URLDecoder.decode(path, StandardCharsets.UTF_8);
      String toSign =
          method
              + "\n\n\n"
              + d
              + "\nx-log-apiversion:0.6.0\nx-log-signaturemethod:hmac-sha1\n"
              + resource;
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      String sig =
          Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
      req.append("Date: ").append(d).append("\r\nx-log-signaturemethod: hmac-sha1\r\n");
      req.append("Authorization: LOG ").append(key.id()).append(':').append(sig).append("\r\n");
    }
    req.append("\r\n");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ot.httpPort)) {
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int body = all.indexOf("\r\n\r\n");
      return all.substring(0, all.indexOf("\r\n"))
          + "\n"
          + (body < 0 ? "" : all.substring(body + 4));
    }
  }
}
