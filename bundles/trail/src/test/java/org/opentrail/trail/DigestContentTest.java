package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.sink.DeliveredObject;

class DigestContentTest {
  static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  static final CursorState IDLE = new CursorState(100, 0, 0, 0, 0);

  static ReceiptLog.Receipt receipt(
      long n, long first, long last, Instant at, String name, String hash) {
    return new ReceiptLog.Receipt(
        n, first, last, at.toEpochMilli(), new DeliveredObject(name, hash, n, 1, at, at));
  }

  @Test
  void periodicDigestsEndAtTheLastBoundaryAndFinalOnesNowRoundedUp() {
    long now = T.plusSeconds(3725).plusMillis(400).toEpochMilli(); // 11:02:05.4
    assertEquals(Instant.parse("2026-11-21T11:00:00Z"), DigestContent.end(now, T, 3600, false));
    assertNull(
        DigestContent.end(now, Instant.parse("2026-11-21T11:00:00Z"), 3600, false),
        "nothing due before the next boundary");
    assertEquals(Instant.parse("2026-11-21T11:02:06Z"), DigestContent.end(now, T, 3600, true));
    assertEquals(
        Instant.parse("2026-11-21T11:02:07Z"),
        DigestContent.end(now, Instant.parse("2026-11-21T11:02:06Z"), 3600, true),
        "a final digest never shares its predecessor's end (and name)");
    assertEquals(Instant.parse("2026-11-21T11:02:05Z"), DigestContent.end(now, T, 1, false));
  }

  @Test
  void aDigestListsWhatCameBeforeItsEndAndNotABatchStillPending() {
    Instant end = T.plusSeconds(60);
    List<ReceiptLog.Receipt> r =
        List.of(
            receipt(5, 1, 10, T.plusSeconds(1), "a", "1"),
            receipt(6, 11, 20, T.plusSeconds(2), "b", "2"),
            receipt(7, 21, 30, T.plusSeconds(59), "c", "3"),
            receipt(8, 31, 40, T.plusSeconds(60), "d", "4"));
    assertEquals(7, DigestContent.listsThrough(r, 4, end, IDLE), "up to its end");
    assertEquals(7, DigestContent.listsThrough(r, 5, end, IDLE));
    assertEquals(8, DigestContent.listsThrough(r, 4, end.plusMillis(1), IDLE));
    CursorState pending = new CursorState(20, 21, 30, 0, 0);
    assertEquals(6, DigestContent.listsThrough(r, 4, end, pending), "not the pending batch");
    assertEquals(9, DigestContent.listsThrough(List.of(), 9, end, IDLE), "none: as listed");
  }

  @Test
  void anObjectDeliveredAgainIsListedOnceWithItsLatestHash() {
    DigestState.Target t =
        new DigestState.Target(
            "1234567890123456", "my-trail", "oss", Path.of("c"), Path.of("p"), Path.of("r"));
    List<ReceiptLog.Receipt> r =
        List.of(
            receipt(1, 1, 10, T, "listed-before", "0"),
            receipt(2, 11, 20, T, "a", "old"),
            receipt(3, 11, 20, T, "b", "2"),
            receipt(4, 11, 20, T, "a", "new"),
            receipt(5, 21, 30, T, "later", "5"));
    Map<String, Object> own = DigestContent.members(t, "cn-test", r, 1, 4);
    assertEquals(
        List.of("trailName", "destination", "homeRegion", "logFiles"), List.copyOf(own.keySet()));
    assertEquals("my-trail", own.get("trailName"));
    assertEquals("oss", own.get("destination"));
    assertEquals("cn-test", own.get("homeRegion"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files = (List<Map<String, Object>>) own.get("logFiles");
    assertEquals(List.of("b", "a"), files.stream().map(f -> f.get("object")).toList());
    assertEquals("new", files.get(1).get("hashValue"));
    assertEquals(
        List.of("object", "hashValue", "size", "eventCount", "oldestEventTime", "newestEventTime"),
        List.copyOf(files.get(1).keySet()));
    assertEquals("2026-11-21T10:00:00Z", files.get(1).get("oldestEventTime"));
  }
}
