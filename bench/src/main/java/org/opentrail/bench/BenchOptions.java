package org.opentrail.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code Bench <scenario> [options]}. Options a scenario does not use are
 * accepted and ignored, so one command line can be reused across scenarios.
 */
final class BenchOptions {
  static final String USAGE =
      """
      usage: bench/run <scenario> [options]

      scenarios:
        ingest      durable acknowledged ingest through the recorder and the embedded store
        sustained   rate-limited producers; per second: acked rate, index lag, queryable delay
        lookup      LookupEvents latency at a store size (loads --events, or --reuse DIR)
        startup     the launcher: 'opentrail exec store:status' and 'opentrail run' to ready
        delivery    trail -> file sink: latency at a steady --rate (default 10,000/s) for --seconds,
                    then the drain rate of an --events backlog when its sink type appears
        consume     stream consumption of a logstore of --events: pulls of 1000 with a checkpoint
                    after each, one group, two groups at once, and the history
        console     the web console in headless Chromium against a child 'opentrail run' holding
                    --events: sign-in to the first history page, filter change to results
                    (p50/p99 over --queries changes, default 200), page weight (gzip)
        logservice-pull  Log Service's Java SDK pulling a child 'opentrail run''s history of --events
                    (default 200,000) with PullLogs of 1000: events/s; then GetLogs p50/p99
        log-export  the history of --events indexed, then all of it exported as jsonl.gz and csv:
                    events/s and bytes of each
        s3-delivery   the s3 sink into S3Proxy on loopback: events/s for --events in batches of
                      --batch, then p99 delivery latency at 10k events/s
        sink-install  the launcher: sink bundle dropped into deploy/ -> first delivered file
        http-ingest   signed PutEvents over HTTP to a child 'opentrail run': acked events/s and call
                    latency for batches of 100 and 1000 (--batch N: only N), --events per size
        webhook-ingest  audit entries posted to the source webhooks of a child 'opentrail run'
                    as MinIO (1 and 100 per POST) and the Kubernetes API server (EventLists of
                    400) post them: acked entries/s, POST latency, server CPU per entry
                    (--source kubernetes|minio|all, default all; --batch N: only N per POST)
        http-lookup   signed LookupEvents over HTTP to a child 'opentrail run' holding --events
                    (loaded through PutEvents, or --reuse DIR): calls/s of --clients for --seconds
        verify      store:verify over --events (or --reuse DIR): MB/s and events/s; then (not with
                    --reuse) one byte damaged in the active segment, then in a sealed segment
                    with its sidecar lost: time to reopen, the range found
        sink-jdbc     the jdbc sink into embedded PostgreSQL 18.6 (fsync on): throughput of
                    --events (default 300000) in batches of --batch (default 10000), then
                    p50/p99 latency at --rate (default 10000/s) for --seconds (default 20)
        baseline-postgres  LookupEvents on OpenTrail and on a PostgreSQL table with the same
                    indexes (embedded PostgreSQL 18.6), same events and draws, side by side:
                    --events loaded into OpenTrail (or --reuse DIR) and copied into PostgreSQL,
                    then 3 alternating rounds per --clients count (default 1,8); ratios
        opensearch  the opensearch sink into a local OpenSearch 2.19.1 (child JVM): events/s for
                    --events (default 200,000) in batches of 10,000 and 1,000 (--batch N: only N),
                    then handed-over -> acknowledged latency at --rate (default 10,000/s) for
                    --seconds (default 30)
        kafka-sink  the kafka sink into a real Kafka broker in this JVM: events/s of --events
                    (default 500,000) in batches of --batch (default 10,000), then record() ->
                    acknowledged latency through the delivery engine at --rate (default 10,000/s)
                    for --seconds (default 30)
        all         ingest, sustained (30 s), lookup (1M), startup, then a summary table

      options:
        --events N       events to record / load (default 1,000,000; webhook-ingest: timed
                         entries per phase, default 150,000 with 1 per POST, else 1,000,000)
        --threads N      producer threads (default 4; http-ingest, webhook-ingest: client
                         threads, default 8)
        --batch N        events per record() call (default 1000; http-ingest: 100 and 1000;
                         webhook-ingest: entries per POST, MinIO 1 and 100, Kubernetes 400)
        --source S       webhook-ingest: kubernetes, minio or all (the default)
        --profile LIB    webhook-ingest: profile the server during each timed phase with
                         async-profiler (the path of libasyncProfiler.so, loaded through the
                         attach API; itimer, 2 ms); prints where the CPU went
        --clients N      http-lookup: concurrent clients (default 8); baseline-postgres: a list
                         of client counts, e.g. 1,8 (the default)
        --client-ids     events carry their own eventId (default: the recorder makes one)
        --json           http-ingest: send each batch as an application/json body signed with
                         ACS3-HMAC-SHA256 (default: the form the SDKs send, RPC signature 1.0)
        --pool N         distinct pre-generated events, cycled (default min(events, 250,000))
        --rate N         sustained: events/s over all producers (default 50,000)
        --seconds N      sustained: how long (default 60; 30 in 'all'); http-lookup: default 30
        --load-threads N lookup, http-lookup: loader threads (default 8)
        --load-batch N   lookup: events per record() call while loading (default 5000;
                         http-lookup: per PutEvents call, default 1000)
        --queries N      lookup, baseline-postgres: timed queries per type (default 2000; with
                         several clients, shared out among them)
        --warmup N       lookup, baseline-postgres: untimed queries per type before those
                         (default 500); http-lookup: untimed calls per client
        --warm-events N  ingest, sustained: record N events first, untimed, and let the index catch up, so the
                         burst is measured on a warm JVM, as a running server meets one (default 0;
                         http-ingest: default 200,000, split over the batch sizes; webhook-ingest:
                         per phase, default 50,000 with 1 per POST, else 200,000; 0 for none)
        --runs N         startup: 'exec' runs (default 5)
        --dir D          where fresh data directories are made (default java.io.tmpdir)
        --keep           keep the data directory (its path is printed)
        --reuse D        lookup/startup/http-lookup/baseline-postgres/logsearch/console: use this loaded data directory
                         instead of loading
        --set k=v        a store configuration property, e.g. --set index.refresh.millis=100
        --seed N         random seed of the event stream and query parameters (default 42)
      """;

  String scenario;
  long events = 1_000_000;
  boolean eventsGiven;
  boolean batchGiven;
  int threads = 4;
  int clients = 8;

  /** --clients as a list (baseline-postgres), in the order given. */
  List<Integer> clientCounts = List.of(1, 8);

  int batch = 1000;
  boolean clientIds;
  boolean json;
  int pool = 250_000;
  int rate = 50_000;
  int seconds = 60;
  boolean secondsGiven;
  int loadThreads = 8;
  int loadBatch = 5000;
  int queries = 2000;
  int warmup = 500;
  long warmEvents;
  int runs = 5;
  Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
  boolean keep;
  boolean rateGiven;
  Path reuse;
  long seed = 42;
  String source = "all";
  String profile;
  final Map<String, Object> storeConfig = new LinkedHashMap<>();

  /** The options given on the command line, for scenarios whose defaults differ. */
  final Set<String> given = new HashSet<>();

  List<String> argv;

  static BenchOptions parse(String[] args) {
    BenchOptions o = new BenchOptions();
    o.argv = List.of(args);
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("no scenario given");
    }
    o.scenario = args[0];
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      o.given.add(a);
      switch (a) {
        case "--events" -> {
          o.events = parseLong(a, value(args, ++i, a));
          o.eventsGiven = true;
        }
        case "--threads" -> o.threads = parseInt(a, value(args, ++i, a));
        case "--batch" -> {
          o.batch = parseInt(a, value(args, ++i, a));
          o.batchGiven = true;
        }
        case "--clients" -> {
          List<Integer> counts = new ArrayList<>();
          for (String c : value(args, ++i, a).split(",")) {
            counts.add(parseInt(a, c.strip()));
          }
          o.clientCounts = List.copyOf(counts);
          o.clients = counts.get(0);
        }
        case "--client-ids" -> o.clientIds = true;
        case "--json" -> o.json = true;
        case "--pool" -> o.pool = parseInt(a, value(args, ++i, a));
        case "--rate" -> {
          o.rate = parseInt(a, value(args, ++i, a));
          o.rateGiven = true;
        }
        case "--seconds" -> {
          o.seconds = parseInt(a, value(args, ++i, a));
          o.secondsGiven = true;
        }
        case "--load-threads" -> o.loadThreads = parseInt(a, value(args, ++i, a));
        case "--load-batch" -> o.loadBatch = parseInt(a, value(args, ++i, a));
        case "--queries" -> o.queries = parseInt(a, value(args, ++i, a));
        case "--warmup" -> {
          String v = value(args, ++i, a);
          o.warmup = v.equals("0") ? 0 : parseInt(a, v);
        }
        case "--warm-events" -> {
          String v = value(args, ++i, a);
          o.warmEvents = v.equals("0") ? 0 : parseLong(a, v);
        }
        case "--runs" -> o.runs = parseInt(a, value(args, ++i, a));
        case "--dir" -> o.dir = Paths.get(value(args, ++i, a));
        case "--keep" -> o.keep = true;
        case "--reuse" -> o.reuse = Paths.get(value(args, ++i, a));
        case "--seed" -> o.seed = parseLong(a, value(args, ++i, a));
        case "--source" -> o.source = value(args, ++i, a);
        case "--profile" -> o.profile = value(args, ++i, a);
        case "--set" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--set needs key=value, not " + kv);
          }
          o.storeConfig.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (o.batch > 10_000 || o.loadBatch > 10_000) {
      throw new IllegalArgumentException(
          "a batch may have at most 10,000 events (the recorder's limit)");
    }
    return o;
  }

  /** Whether {@code option} (e.g. {@code --threads}) was on the command line. */
  boolean given(String option) {
    return given.contains(option);
  }

  /** How many events to pre-generate: all of them if they fit, else a pool that is cycled. */
  int poolSize(long wanted) {
    return (int) Math.max(1, Math.min(wanted, pool));
  }

  /** The command line as typed, shell-quoted where needed. */
  String commandLine() {
    StringBuilder b = new StringBuilder("bench/run");
    for (String a : argv) {
      b.append(' ')
          .append(a.matches("[A-Za-z0-9_./=,:@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return b.toString();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long parseLong(String option, String v) {
    try {
      long n = Long.parseLong(v.replace("_", "").replace(",", ""));
      if (n < 1) {
        throw new IllegalArgumentException(option + " must be positive, not " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, not " + v);
    }
  }

  private static int parseInt(String option, String v) {
    long n = parseLong(option, v);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(option + " is too large: " + v);
    }
    return (int) n;
  }
}
