package org.opentrail.trail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.internal.digest.DigestDocument;
import org.opentrail.internal.digest.DigestMaker;

/**
 * What a destination digest covers and says (docs/PROOF.md section 2), as pure functions of the
 * receipts and times: its end, the receipts it lists, and its own members ({@code trailName},
 * {@code destination}, {@code homeRegion}, {@code logFiles}). The common members, the signature and
 * the file format are {@link DigestMaker}'s.
 */
final class DigestContent {
  private DigestContent() {}

  /**
   * The end of the next digest, or {@code null} if none is due.
   *
   * @param nowMillis the time now (epoch milliseconds)
   * @param start the previous digest's end (or the chain's beginning), whole seconds
   * @param intervalSeconds the interval; boundaries are its multiples since the epoch (UTC)
   * @param isFinal for a final digest: now rounded up to a whole second, and at least a second
   *     after {@code start} so that it never shares a name with its predecessor; otherwise the last
   *     boundary at or before now, if it is after {@code start}
   */
  static Instant end(long nowMillis, Instant start, long intervalSeconds, boolean isFinal) {
    if (isFinal) {
      return Instant.ofEpochSecond(
          Math.max(Math.floorDiv(nowMillis + 999, 1000), start.getEpochSecond() + 1));
    }
    Instant end =
        DigestMaker.nextBoundary(Instant.ofEpochMilli(nowMillis), intervalSeconds)
            .minusSeconds(intervalSeconds);
    return end.isAfter(start) ? end : null;
  }

  /**
   * The number of the last receipt a digest ending at {@code end} lists: the receipts after {@code
   * listed}, in order, up to the first one received at or after {@code end} or belonging to the
   * batch the cursor still has pending (its redelivery lists it, once, in a later digest); {@code
   * listed} if none.
   */
  static long listsThrough(
      List<ReceiptLog.Receipt> receipts, long listed, Instant end, CursorState cursor) {
    long through = listed;
    for (ReceiptLog.Receipt r : receipts) {
      if (r.number() <= listed) {
        continue;
      }
      boolean pending =
          cursor.hasPending()
              && r.batchFirst() == cursor.pendingFirst()
              && r.batchLast() == cursor.pendingLast();
      if (pending || r.receivedMillis() >= end.toEpochMilli()) {
        break;
      }
      through = r.number();
    }
    return through;
  }

  /**
   * The digest's own members, in order: {@code trailName}, {@code destination}, {@code homeRegion}
   * and {@code logFiles}, the objects of receipts numbered {@code (after, through]} in delivery
   * order, each named once (an object delivered again is listed where it was last delivered, with
   * its latest hash).
   */
  static Map<String, Object> members(
      DigestState.Target target,
      String homeRegion,
      List<ReceiptLog.Receipt> receipts,
      long after,
      long through) {
    Map<String, DeliveredObject> byName = new LinkedHashMap<>();
    for (ReceiptLog.Receipt r : receipts) {
      if (r.number() > after && r.number() <= through) {
        byName.remove(r.object().name());
        byName.put(r.object().name(), r.object());
      }
    }
    List<Map<String, Object>> files = new ArrayList<>();
    for (DeliveredObject o : byName.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("object", o.name());
      m.put("hashValue", o.sha256());
      m.put("size", o.size());
      m.put("eventCount", o.eventCount());
      m.put("oldestEventTime", DigestDocument.time(o.oldestEventTime()));
      m.put("newestEventTime", DigestDocument.time(o.newestEventTime()));
      files.add(m);
    }
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("trailName", target.trail());
    own.put("destination", target.destination());
    own.put("homeRegion", homeRegion);
    own.put("logFiles", files);
    return own;
  }
}
