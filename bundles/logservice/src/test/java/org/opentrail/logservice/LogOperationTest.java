package org.opentrail.logservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;

/** How Log Service's SDK paths name operations, and what is refused. */
class LogOperationTest {
  static LogOperation op(String method, String path, String type) {
    return LogOperation.route(method, path, type).op();
  }

  @Test
  void theSdksPathsNameTheirOperations() {
    assertEquals(LogOperation.LIST_LOGSTORES, op("GET", "/logstores", null));
    assertEquals(LogOperation.GET_LOGS, op("POST", "/logstores/actiontrail_t/logs", null));
    assertEquals(LogOperation.GET_HISTOGRAMS, op("GET", "/logstores/history/index", "histogram"));
    assertEquals(LogOperation.LIST_SHARDS, op("GET", "/logstores/history/shards", null));
    assertEquals(LogOperation.GET_CURSOR, op("GET", "/logstores/history/shards/0", "cursor"));
    assertEquals(LogOperation.PULL_LOGS, op("GET", "/logstores/history/shards/0", "logs"));
    assertEquals(
        LogOperation.CREATE_CONSUMER_GROUP, op("POST", "/logstores/history/consumergroups", null));
    assertEquals(
        LogOperation.LIST_CONSUMER_GROUP, op("GET", "/logstores/history/consumergroups", null));
    assertEquals(
        LogOperation.DELETE_CONSUMER_GROUP,
        op("DELETE", "/logstores/history/consumergroups/g1", null));
    assertEquals(
        LogOperation.UPDATE_CHECKPOINT,
        op("POST", "/logstores/history/consumergroups/g1", "checkpoint"));
    assertEquals(
        LogOperation.HEARTBEAT, op("POST", "/logstores/history/consumergroups/g1", "heartbeat"));
    assertEquals(
        LogOperation.GET_CHECKPOINT, op("GET", "/logstores/history/consumergroups/g1", null));
    LogOperation.Route r = LogOperation.route("GET", "/logstores/innertrail_x/shards/0", "logs");
    assertEquals("innertrail_x", r.logstore());
    assertEquals(0, r.shard());
  }

  @Test
  void writesAreRefusedAndBadNamesAreInvalid() {
    refused("Unauthorized", 403, "POST", "/logstores/actiontrail_t/shards/lb", null);
    refused("Unauthorized", 403, "POST", "/logstores/innertrail_x/shards/0", null);
    refused("Unauthorized", 403, "POST", "/logstores", null);
    refused("Unauthorized", 403, "DELETE", "/logstores/history", null);
    refused("ParameterInvalid", 400, "GET", "/logstores/a'%20or%201=1/shards", null);
    refused("ParameterInvalid", 400, "GET", "/logstores/../shards", null);
    refused("ParameterInvalid", 400, "GET", "/logstores/history/shards/x", "cursor");
    refused("ParameterInvalid", 400, "GET", "/logstores/history/shards/0", "nope");
    refused("RequestURINotFound", 404, "GET", "/logstores/history/nothing", null);
    refused("RequestURINotFound", 404, "GET", "/logstores/", null);
  }

  @Test
  void theAnalysisPartStartsAtTheFirstBarOutsideQuotes() {
    assertEquals(false, QueryText.hasAnalysis("eventName: \"a|b\""));
    assertEquals("eventName: x", QueryText.search("eventName: x | SELECT count(*)"));
    assertEquals("SELECT count(*)", QueryText.analysis("eventName: x | SELECT count(*)"));
    assertEquals("SELECT 1", QueryText.analysis("* | SELECT 1"));
  }

  private static void refused(String code, int status, String method, String path, String type) {
    OpenTrailException e =
        assertThrows(OpenTrailException.class, () -> LogOperation.route(method, path, type));
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(status, e.httpStatus());
  }
}
