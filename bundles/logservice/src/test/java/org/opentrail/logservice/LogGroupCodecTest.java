package org.opentrail.logservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.openservices.log.common.FastLog;
import com.aliyun.openservices.log.common.FastLogGroup;
import com.aliyun.openservices.log.response.PullLogsResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.store.StoredEvent;

/** PullLogs' bodies, decoded by Log Service's own SDK classes. */
class LogGroupCodecTest {
  static List<StoredEvent> events(int n) {
    List<StoredEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("eventId", "id-" + i);
      f.put("eventName", i % 2 == 0 ? "PutObject" : "DeleteBucket");
      f.put("eventTime", "2026-11-30T12:00:0" + (i % 10) + "Z");
      f.put("userIdentity", Map.of("userName", "名前 \"q\" " + i));
      f.put("eventRW", "Write");
      out.add(new StoredEvent(100 + i, 1_764_504_000_000L + (i % 10) * 1000L, Event.of(f)));
    }
    return out;
  }

  /** What the SDK reads from a body and its headers, as PullLogs answers them. */
  static List<FastLogGroup> sdkDecode(LogGroupCodec.Encoded enc, int count) throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("x-log-bodyrawsize", Integer.toString(enc.rawSize()));
    headers.put("x-log-count", Integer.toString(count));
    headers.put("x-log-cursor", "next");
    headers.put("x-log-requestid", "R");
    PullLogsResponse r = new PullLogsResponse(headers, enc.body());
    List<FastLogGroup> out = new ArrayList<>();
    for (int i = 0; i < r.getCount(); i++) {
      out.add(r.getLogGroup(i).GetFastLogGroup());
    }
    return out;
  }

  @Test
  void aTrailLogstoresLogsAreActionTrailsShapeInLz4() throws Exception {
    List<StoredEvent> events = events(25);
    byte[] raw = LogGroupCodec.logGroupList("actiontrail_t", events);
    LogGroupCodec.Encoded enc = LogGroupCodec.compress(raw, "lz4");
    assertEquals("lz4", enc.compressType());
    assertEquals(raw.length, enc.rawSize());
    List<FastLogGroup> groups = sdkDecode(enc, events.size());
    assertEquals(25, groups.size());
    for (int i = 0; i < 25; i++) {
      FastLogGroup g = groups.get(i);
      assertEquals("actiontrail_audit_event", g.getTopic());
      assertEquals(1, g.getLogsCount());
      assertEquals(1, g.getLogTagsCount());
      assertEquals("__sequence__", g.getLogTags(0).getKey());
      assertEquals(Long.toString(100 + i), g.getLogTags(0).getValue());
      FastLog log = g.getLogs(0);
      assertEquals(1_764_504_000 + (i % 10), log.getTime());
      assertEquals(1, log.getContentsCount());
      assertEquals("event", log.getContents(0).getKey());
      Map<?, ?> event =
          (Map<?, ?>)
              EventJson.read(log.getContents(0).getValue().getBytes(StandardCharsets.UTF_8));
      assertEquals("id-" + i, event.get("eventId"));
      assertEquals("名前 \"q\" " + i, ((Map<?, ?>) event.get("userIdentity")).get("userName"));
    }
  }

  @Test
  void historyLogsHaveTheEventsFieldsAndDeflateWorksToo() throws Exception {
    List<StoredEvent> events = events(3);
    byte[] raw = LogGroupCodec.logGroupList("history", events);
    LogGroupCodec.Encoded enc = LogGroupCodec.compress(raw, "deflate");
    assertEquals("deflate", enc.compressType());
    Inflater inf = new Inflater();
    inf.setInput(enc.body());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!inf.finished()) {
      out.write(buf, 0, inf.inflate(buf));
    }
    inf.end();
    assertEquals(raw.length, out.size());
    // the SDK reads the same list once it is lz4 again: the bytes are the same protobuf
    List<FastLogGroup> groups =
        sdkDecode(LogGroupCodec.compress(out.toByteArray(), "lz4"), events.size());
    FastLogGroup g = groups.get(1);
    assertEquals("", g.getTopic());
    FastLog log = g.getLogs(0);
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < log.getContentsCount(); i++) {
      fields.put(log.getContents(i).getKey(), log.getContents(i).getValue());
    }
    assertEquals(
        List.of("eventId", "eventName", "eventTime", "userIdentity", "eventRW"),
        new ArrayList<>(fields.keySet()));
    assertEquals("DeleteBucket", fields.get("eventName"));
    assertEquals("{\"userName\":\"名前 \\\"q\\\" 1\"}", fields.get("userIdentity"));
  }

  @Test
  void noEventsIsAnEmptyList() throws Exception {
    LogGroupCodec.Encoded enc =
        LogGroupCodec.compress(LogGroupCodec.logGroupList("history", List.of()), null);
    assertEquals(0, enc.rawSize());
    assertTrue(sdkDecode(enc, 0).isEmpty());
  }
}
