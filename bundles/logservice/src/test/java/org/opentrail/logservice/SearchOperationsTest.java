package org.opentrail.logservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.openservices.log.common.QueriedLog;
import com.aliyun.openservices.log.common.QueryResult;
import com.aliyun.openservices.log.response.GetHistogramsResponse;
import com.aliyun.openservices.log.response.GetLogsResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.logsearch.Histogram;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.logsearch.ScanConsumer;
import org.opentrail.api.logsearch.SearchResult;

/**
 * GetLogs and GetHistograms answers, parsed by Log Service's SDK classes, over a LogSearch that
 * answers what the test says (the platform test covers the real one).
 */
class SearchOperationsTest {
  final List<String> calls = new ArrayList<>();

  final LogSearch stub =
      new LogSearch() {
        @Override
        public SearchResult getLogs(
            String a,
            String l,
            Instant f,
            Instant t,
            String q,
            int o,
            int n,
            boolean r,
            boolean exactCount) {
          calls.add(
              "getLogs "
                  + l
                  + " "
                  + f.getEpochSecond()
                  + " "
                  + q
                  + " "
                  + o
                  + " "
                  + n
                  + " "
                  + r
                  + (exactCount ? " counted" : ""));
          return new SearchResult(LogGroupCodecTest.events(n), 42, true);
        }

        @Override
        public Histogram getHistograms(
            String a, String l, Instant f, Instant t, String q, Duration i) {
          return new Histogram(
              List.of(
                  new Histogram.Bucket(f, f.plusSeconds(60), 3),
                  new Histogram.Bucket(f.plusSeconds(60), t, 4)),
              7,
              false);
        }

        @Override
        public long scan(String a, String l, Instant f, Instant t, String q, ScanConsumer c) {
          throw new UnsupportedOperationException();
        }

        @Override
        public AnalysisResult analyze(String a, String l, Instant f, Instant t, String q) {
          calls.add("analyze " + q);
          return new AnalysisResult(
              List.of("u", "n"),
              List.of(List.of("alice", "120"), List.of("bob", "30")),
              150,
              true,
              7);
        }

        @Override
        public IndexConfig indexConfig(String a, String l) {
          throw new UnsupportedOperationException();
        }

        @Override
        public IndexConfig setIndexConfig(String a, String l, IndexConfig c) {
          throw new UnsupportedOperationException();
        }
      };

  final SearchOperations ops = new SearchOperations(stub, null);

  static LogRequest request(LogOperation op, String logstore, String body) {
    LogRequest r = new LogRequest("R1", "POST", "/logstores/" + logstore + "/logs");
    r.principal = new Principal("123456789012", Principal.Type.ROOT, null, "AK");
    r.route = new LogOperation.Route(op, logstore, -1, null);
    r.body = body.getBytes(StandardCharsets.UTF_8);
    return r;
  }

  static GetLogsResponse sdkRead(Reply reply) throws Exception {
    QueryResult q = new QueryResult();
    q.deserializeFrom(new String(reply.body(), StandardCharsets.UTF_8), "R1");
    Map<String, String> headers = new HashMap<>(reply.headers());
    headers.put("x-log-requestid", "R1");
    return new GetLogsResponse(headers, q);
  }

  @Test
  void anAnalysisAnswersRowsAsTheSdkReadsThem() throws Exception {
    String body =
        "{\"from\":1764500000,\"to\":1764600000,\"topic\":\"\",\"query\":\"* | SELECT u, count(*)"
            + " AS n GROUP BY u\",\"line\":100,\"offset\":0,\"reverse\":false,\"powerSql\":false}";
    GetLogsResponse r = sdkRead(ops.getLogs(request(LogOperation.GET_LOGS, "history", body)));
    assertEquals(List.of("analyze * | SELECT u, count(*) AS n GROUP BY u"), calls);
    assertEquals(2, r.GetCount());
    assertTrue(r.IsCompleted());
    assertTrue(r.isHasSQL());
    assertEquals(150, r.getProcessedRow());
    assertEquals("SELECT u, count(*) AS n GROUP BY u", r.getAggQuery());
    QueriedLog first = r.getLogs().get(0);
    assertEquals("u", first.GetLogItem().GetLogContents().get(0).GetKey());
    assertEquals("alice", first.GetLogItem().GetLogContents().get(0).GetValue());
    assertEquals("120", first.GetLogItem().GetLogContents().get(1).GetValue());
  }

  @Test
  void aSearchAnswersLogsWithTheirTimeAndTopic() throws Exception {
    String body =
        "{\"from\":1764500000,\"to\":1764600000,\"query\":\"a: b\",\"line\":3,\"offset\":2,\"reverse\":true}";
    GetLogsResponse r = sdkRead(ops.getLogs(request(LogOperation.GET_LOGS, "actiontrail_t", body)));
    assertEquals(List.of("getLogs actiontrail_t 1764500000 a: b 2 3 true"), calls);
    assertEquals(3, r.GetCount());
    assertEquals(42, r.getProcessedRow());
    QueriedLog log = r.getLogs().get(1);
    assertEquals(1_764_504_001, log.GetLogItem().GetTime());
    Map<String, String> fields = new HashMap<>();
    log.GetLogItem().GetLogContents().forEach(c -> fields.put(c.GetKey(), c.GetValue()));
    assertEquals("actiontrail_audit_event", fields.get("__topic__"));
    assertTrue(fields.get("event").contains("\"eventId\":\"id-1\""), fields.toString());
  }

  @Test
  void aTopicTheLogstoreDoesNotHaveMatchesNothing() throws Exception {
    String other = "{\"from\":1,\"to\":2,\"query\":\"*\",\"topic\":\"other\"}";
    GetLogsResponse none =
        sdkRead(ops.getLogs(request(LogOperation.GET_LOGS, "actiontrail_t", other)));
    assertEquals(0, none.GetCount());
    assertTrue(calls.isEmpty(), "not searched");
    String at =
        "{\"from\":1,\"to\":2,\"query\":\"*\",\"topic\":\"actiontrail_audit_event\",\"line\":2}";
    assertEquals(
        2, sdkRead(ops.getLogs(request(LogOperation.GET_LOGS, "actiontrail_t", at))).GetCount());
    String onHistory = at.replace("actiontrail_t", "x");
    assertEquals(
        0, sdkRead(ops.getLogs(request(LogOperation.GET_LOGS, "history", onHistory))).GetCount());
    LogRequest h = request(LogOperation.GET_HISTOGRAMS, "history", "");
    h.query.put("from", "1764500000");
    h.query.put("to", "1764500100");
    h.query.put("topic", "actiontrail_audit_event");
    assertEquals("0", ops.getHistograms(h).headers().get("x-log-count"));
  }

  @Test
  void badBodiesAreParameterInvalid() {
    for (String body :
        List.of(
            "",
            "not json",
            "[1]",
            "{\"from\":1,\"to\":2,\"line\":101}",
            "{\"from\":\"x\",\"to\":2}",
            "{\"to\":2}",
            "{\"from\":1,\"to\":2,\"query\":7}",
            "{\"from\":1,\"to\":2,\"drop\":\"table\"}")) {
      OpenTrailException e =
          assertThrows(
              OpenTrailException.class,
              () -> ops.getLogs(request(LogOperation.GET_LOGS, "history", body)),
              body);
      assertEquals("ParameterInvalid", e.code(), body);
      assertEquals(400, e.httpStatus());
    }
    assertTrue(calls.isEmpty(), "nothing searched");
  }

  @Test
  void aBodyThatIsNotUtf8IsParameterInvalidNotSearched() {
    LogRequest r = request(LogOperation.GET_LOGS, "history", "");
    byte[] head = "{\"from\":1,\"to\":2,\"query\":\"".getBytes(StandardCharsets.UTF_8);
    r.body = java.util.Arrays.copyOf(head, head.length + 4);
    r.body[head.length] = (byte) 0xff;
    r.body[head.length + 1] = (byte) 0xfe;
    r.body[head.length + 2] = '"';
    r.body[head.length + 3] = '}';
    OpenTrailException e = assertThrows(OpenTrailException.class, () -> ops.getLogs(r));
    assertEquals("ParameterInvalid", e.code());
    assertEquals(
        "The request body is not UTF-8: byte " + head.length + " (0xFF) is not valid there.",
        e.getMessage());
    assertTrue(calls.isEmpty(), "nothing searched");
  }

  @Test
  void histogramsAnswerBucketsAsTheSdkReadsThem() throws Exception {
    LogRequest r = request(LogOperation.GET_HISTOGRAMS, "history", "");
    r.query.put("from", "1764500000");
    r.query.put("to", "1764500100");
    r.query.put("query", "*");
    Reply reply = ops.getHistograms(r);
    Map<String, String> headers = new HashMap<>(reply.headers());
    GetHistogramsResponse h = new GetHistogramsResponse(headers);
    h.fromJSON(
        com.alibaba.fastjson.JSONArray.parseArray(
            new String(reply.body(), StandardCharsets.UTF_8)));
    assertEquals(7, h.GetTotalCount());
    assertEquals(false, h.IsCompleted());
    assertEquals(1_764_500_060, h.GetHistograms().get(1).GetFrom());
    assertEquals(4, h.GetHistograms().get(1).GetCount());
  }
}
