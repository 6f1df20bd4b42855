package org.opentrail.bench;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;

/**
 * Random LookupEvents requests for {@link BaselineAnswersTest}: half of them the bench's own query
 * types ({@link LookupWorkload#TYPES}, drawn by the workload itself), the rest other attributes and
 * combinations, FORWARD, small MaxResults, the default window, and narrow windows whose edges are
 * exactly the eventTime of a stored event (both ends are inclusive). Each says how many pages to
 * follow.
 */
final class QueryDraws {
  /** A request (first page), its kind, and how many pages to compare. */
  record Draw(String kind, LookupRequest request, int pages) {}

  private final LookupWorkload workload;
  private final String account;
  private final ActionTrailEventGenerator gen;
  private final List<Long> times;
  private final List<String[]> several;
  private final List<String> eventIds;
  private final Instant start;
  private final Instant end;

  /**
   * @param query OpenTrail's lookups, which the page-2 type's draw runs its first page on
   * @param times the eventTimes of the stored events
   * @param several per event with several resources: its types and names (type a, type b, three
   *     names)
   * @param eventIds some stored eventIds
   */
  QueryDraws(
      Function<LookupRequest, LookupResult> query,
      String account,
      ActionTrailEventGenerator gen,
      List<Long> times,
      List<String[]> several,
      List<String> eventIds,
      Instant start,
      Instant end) {
    this.workload = new LookupWorkload(query, account, gen, start, end);
    this.account = account;
    this.gen = gen;
    this.times = times;
    this.several = several;
    this.eventIds = eventIds;
    this.start = start;
    this.end = end;
  }

  Draw draw(SplittableRandom r) {
    int pages = r.nextInt(20) == 0 ? 100 : 3;
    if (r.nextBoolean()) {
      LookupWorkload.QueryType t = LookupWorkload.TYPES.get(r.nextInt(LookupWorkload.TYPES.size()));
      LookupRequest q = t.draw().apply(r, workload);
      // the page-2 type comes with OpenTrail's token: compare from page 1 instead
      return new Draw(t.label(), withToken(q, null), pages);
    }
    LookupRequest.Builder b = window(r);
    String kind;
    switch (r.nextInt(10)) {
      case 0 -> {
        kind = "ResourceType";
        b.attribute(LookupKey.RESOURCE_TYPE, gen.drawEventName(r).type().name());
      }
      case 1 -> {
        kind = "EventAccessKeyId";
        String[] keys = gen.drawUser(r).accessKeys();
        b.attribute(LookupKey.EVENT_ACCESS_KEY_ID, keys[r.nextInt(keys.length)]);
      }
      case 2 -> {
        kind = "EventId";
        b.attribute(LookupKey.EVENT_ID, eventIds.get(r.nextInt(eventIds.size())));
      }
      case 3 -> {
        kind = "ServiceName + EventRW";
        Populations.EventName n = gen.drawEventName(r);
        b.attribute(LookupKey.SERVICE_NAME, n.type().service().name())
            .attribute(LookupKey.EVENT_RW, n.write() ? EventFields.WRITE : EventFields.READ);
      }
      case 4 -> {
        kind = "EventName";
        b.attribute(LookupKey.EVENT_NAME, gen.drawEventName(r).name());
      }
      case 5 -> {
        String[] s = several.get(r.nextInt(several.size()));
        switch (r.nextInt(3)) {
          case 0 -> {
            kind = "ResourceName (a referenced one)";
            b.attribute(LookupKey.RESOURCE_NAME, s[4]);
          }
          case 1 -> {
            kind = "ResourceName + ResourceName";
            b.attribute(LookupKey.RESOURCE_NAME, s[2]).attribute(LookupKey.RESOURCE_NAME, s[4]);
          }
          default -> {
            kind = "ResourceType + ResourceName";
            b.attribute(LookupKey.RESOURCE_TYPE, s[1]).attribute(LookupKey.RESOURCE_NAME, s[3]);
          }
        }
      }
      case 6 -> {
        kind = "User + ResourceType";
        b.attribute(LookupKey.USER, gen.drawUser(r).name())
            .attribute(LookupKey.RESOURCE_TYPE, gen.drawEventName(r).type().name());
      }
      case 7 -> {
        kind = "User";
        b.attribute(LookupKey.USER, gen.drawUser(r).name());
      }
      default -> kind = "no attribute";
    }
    if (r.nextBoolean()) {
      b.direction(Direction.FORWARD);
    }
    int max = r.nextInt(4) == 0 ? 1 + r.nextInt(5) : 1 + r.nextInt(LookupRequest.MAX_MAX_RESULTS);
    b.maxResults(max);
    return new Draw(kind, b.build(), max < 10 ? Math.min(pages, 10) : pages);
  }

  /** The whole span, the default window, or a narrow one with a stored event's time at an edge. */
  private LookupRequest.Builder window(SplittableRandom r) {
    LookupRequest.Builder b = LookupRequest.builder(account);
    long t = times.get(r.nextInt(times.size()));
    return switch (r.nextInt(6)) {
      case 0 -> b.startTime(start).endTime(end);
      case 1 -> b; // ActionTrail's default: the last 7 days
      case 2 -> b.startTime(Instant.ofEpochMilli(t)).endTime(Instant.ofEpochMilli(t));
      case 3 -> b.startTime(Instant.ofEpochMilli(t - 1_000)).endTime(Instant.ofEpochMilli(t));
      case 4 -> b.startTime(Instant.ofEpochMilli(t)).endTime(Instant.ofEpochMilli(t + 60_000));
      default ->
          b.startTime(Instant.ofEpochMilli(t - r.nextLong(3_600_000)))
              .endTime(Instant.ofEpochMilli(t + r.nextLong(3_600_000)));
    };
  }

  /** {@code q} with another NextToken ({@code null}: the first page). */
  static LookupRequest withToken(LookupRequest q, String token) {
    LookupRequest.Builder b =
        LookupRequest.builder(q.accountId()).stream(q.stream())
            .startTime(q.startTime())
            .endTime(q.endTime())
            .maxResults(q.maxResults())
            .direction(q.direction())
            .nextToken(token);
    for (LookupAttribute a : q.attributes()) {
      b.attribute(a.key(), a.value());
    }
    return b.build();
  }
}
