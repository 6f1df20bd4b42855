package org.opentrail.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;

/**
 * The LookupEvents queries the {@code lookup} scenario times, all with MaxResults 50 (ActionTrail's
 * maximum) over the loaded 7 days, with parameters drawn the way the generator draws event values
 * (so popular users are looked up more often, as in real use). Each type runs its warm-up queries,
 * then its timed ones, one at a time on one thread. The lookups run against any implementation of
 * LookupEvents: OpenTrail's {@code EventQuery}, or the PostgreSQL baseline's {@code
 * PostgresLookups} (same seed, same draws).
 */
final class LookupWorkload {
  /** A query type: its label and how to draw one request. */
  record QueryType(
      String label, BiFunction<SplittableRandom, LookupWorkload, LookupRequest> draw) {}

  /** What one type measured. */
  record Figures(
      QueryType type,
      Latencies timed,
      Latencies warmup,
      long hits,
      int empty,
      int fullPages,
      int redraws,
      long gcCount,
      long gcMillis) {
    double avgHits() {
      return timed.count() == 0 ? 0 : hits / (double) timed.count();
    }
  }

  static final List<QueryType> TYPES =
      List.of(
          new QueryType("User", (r, w) -> w.base(r).attribute(LookupKey.USER, w.user(r)).build()),
          new QueryType(
              "ResourceName",
              (r, w) ->
                  w.base(r).attribute(LookupKey.RESOURCE_NAME, w.gen.drawResourceName(r)).build()),
          new QueryType(
              "User + EventRW",
              (r, w) ->
                  w.base(r)
                      .attribute(LookupKey.USER, w.user(r))
                      .attribute(LookupKey.EVENT_RW, w.rw(r))
                      .build()),
          new QueryType(
              "EventName + ServiceName",
              (r, w) -> {
                Populations.EventName name = w.gen.drawEventName(r);
                return w.base(r)
                    .attribute(LookupKey.EVENT_NAME, name.name())
                    .attribute(LookupKey.SERVICE_NAME, name.type().service().name())
                    .build();
              }),
          new QueryType("time window only (random 1 h)", (r, w) -> w.hourWindow(r).build()),
          new QueryType("page 2 of User (NextToken)", LookupWorkload::secondPage),
          new QueryType(
              "User, FORWARD",
              (r, w) ->
                  w.base(r)
                      .attribute(LookupKey.USER, w.user(r))
                      .direction(Direction.FORWARD)
                      .build()));

  private final Function<LookupRequest, LookupResult> query;
  private final String account;
  final ActionTrailEventGenerator gen;
  private final Instant start;
  private final Instant end;
  private int redraws;

  /** Queries over {@code [start, end]}, the span the loaded events cover. */
  LookupWorkload(
      Function<LookupRequest, LookupResult> query,
      String account,
      ActionTrailEventGenerator gen,
      Instant start,
      Instant end) {
    this.query = query;
    this.account = account;
    this.gen = gen;
    this.start = start;
    this.end = end;
  }

  private LookupRequest.Builder base(SplittableRandom r) {
    return LookupRequest.builder(account)
        .startTime(start)
        .endTime(end)
        .maxResults(LookupRequest.MAX_MAX_RESULTS);
  }

  private String user(SplittableRandom r) {
    return gen.drawUser(r).name();
  }

  private String rw(SplittableRandom r) {
    return r.nextDouble() < ActionTrailEventGenerator.WRITE_SHARE
        ? EventFields.WRITE
        : EventFields.READ;
  }

  private LookupRequest.Builder hourWindow(SplittableRandom r) {
    long hour = Duration.ofHours(1).toMillis();
    long span = Math.max(0, end.toEpochMilli() - start.toEpochMilli() - hour);
    Instant from = start.plusMillis(span == 0 ? 0 : r.nextLong(span));
    return LookupRequest.builder(account)
        .startTime(from)
        .endTime(from.plusMillis(hour))
        .maxResults(LookupRequest.MAX_MAX_RESULTS);
  }

  /**
   * A page-2 request: draws users until one has a second page (page 1 runs untimed, as a user
   * paging would have run it just before), counting the redraws.
   */
  private static LookupRequest secondPage(SplittableRandom r, LookupWorkload w) {
    for (int attempt = 0; attempt < 100; attempt++) {
      String user = w.user(r);
      LookupResult first = w.query.apply(w.base(r).attribute(LookupKey.USER, user).build());
      if (first.nextToken() != null) {
        return w.base(r).attribute(LookupKey.USER, user).nextToken(first.nextToken()).build();
      }
      w.redraws++;
    }
    throw new IllegalStateException("no user with a second page in 100 draws");
  }

  /** Runs {@code warmup} then {@code timed} queries of one type. */
  Figures run(QueryType type, int warmup, int timed, long seed) {
    return run(type, warmup, timed, seed, () -> {});
  }

  /**
   * Like {@link #run(QueryType, int, int, long)}, calling {@code warmedUp} between the warm-up and
   * the timed queries (where concurrent clients wait for each other).
   */
  Figures run(QueryType type, int warmup, int timed, long seed, Runnable warmedUp) {
    SplittableRandom r = new SplittableRandom(seed ^ type.label().hashCode());
    Latencies warm = new Latencies(Math.max(16, warmup));
    redraws = 0;
    for (int i = 0; i < warmup; i++) {
      LookupRequest req = type.draw().apply(r, this);
      long t0 = System.nanoTime();
      query.apply(req);
      warm.add(System.nanoTime() - t0);
    }
    redraws = 0;
    warmedUp.run();
    long gc0 = CpuBreakdown.gcCount();
    long gcMs0 = CpuBreakdown.gcMillis();
    Latencies lat = new Latencies(timed);
    long hits = 0;
    int empty = 0;
    int full = 0;
    for (int i = 0; i < timed; i++) {
      LookupRequest req = type.draw().apply(r, this);
      long t0 = System.nanoTime();
      LookupResult res = query.apply(req);
      lat.add(System.nanoTime() - t0);
      int n = res.events().size();
      hits += n;
      if (n == 0) {
        empty++;
      }
      if (n == LookupRequest.MAX_MAX_RESULTS) {
        full++;
      }
    }
    return new Figures(
        type,
        lat,
        warm,
        hits,
        empty,
        full,
        redraws,
        CpuBreakdown.gcCount() - gc0,
        CpuBreakdown.gcMillis() - gcMs0);
  }
}
