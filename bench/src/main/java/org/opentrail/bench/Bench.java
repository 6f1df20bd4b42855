package org.opentrail.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Bench <scenario> [options]}: prints OpenTrail's speed and size figures (see {@link
 * BenchOptions#USAGE}). Run it with {@code bench/run}, which builds what is needed first. It is a
 * harness, not a test: nothing is asserted, everything measured is printed, and each scenario ends
 * with a summary block to paste into docs/PERFORMANCE.md.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    BenchOptions o;
    try {
      o = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    int status = 0;
    try {
      switch (o.scenario) {
        case "ingest" -> IngestScenario.run(o, out);
        case "sustained" -> SustainedScenario.run(o, out);
        case "lookup" -> LookupScenario.run(o, out);
        case "startup" -> StartupScenario.run(o, out);
        case "delivery" -> DeliveryScenario.run(o, out);
        case "consume" -> ConsumeScenario.run(o, out);
        case "logsearch" -> LogSearchScenario.run(o, out);
        case "log-export" -> LogExportScenario.run(o, out);
        case "logservice-pull" -> LogServicePullScenario.run(o, out);
        case "kafka-sink" -> KafkaSinkScenario.run(o, out);
        case "sink-install" -> SinkInstallScenario.run(o, out);
        case "http-ingest" -> HttpIngestScenario.run(o, out);
        case "http-lookup" -> HttpLookupScenario.run(o, out);
        case "webhook-ingest" -> WebhookIngestScenario.run(o, out);
        case "verify" -> VerifyScenario.run(o, out);
        case "s3-delivery" -> S3DeliveryScenario.run(o, out);
        case "baseline-postgres" -> BaselinePostgresScenario.run(o, out);
        case "sink-jdbc" -> JdbcSinkScenario.run(o, out);
        case "opensearch" -> OpenSearchScenario.run(o, out);
        case "all" -> all(o, out);
        case "help", "--help", "-h" -> out.print(BenchOptions.USAGE);
        default -> {
          System.err.println("bench: unknown scenario '" + o.scenario + "'");
          System.err.print(BenchOptions.USAGE);
          status = 2;
        }
      }
    } catch (Exception e) {
      out.flush();
      System.err.println("bench: " + o.scenario + " failed:");
      e.printStackTrace();
      status = 1;
    }
    out.flush();
    // the store's and Lucene's threads are daemons, but do not wait on anything left behind
    System.exit(status);
  }

  /**
   * ingest, sustained (30 s unless --seconds), lookup (1M unless --events, or --reuse), startup
   * against the data directory the lookup used, then every summary as one table.
   */
  private static void all(BenchOptions o, PrintStream out) throws Exception {
    List<Summary> summaries = new ArrayList<>();
    summaries.add(IngestScenario.run(o, out));
    out.println();
    if (!o.secondsGiven) {
      o.seconds = 30;
    }
    summaries.add(SustainedScenario.run(o, out));
    out.println();
    boolean keepWanted = o.keep;
    boolean loads = o.reuse == null;
    o.keep = true; // startup runs against the loaded directory; deleted below unless --keep
    LookupScenario.Outcome lookup = LookupScenario.runForAll(o, out);
    summaries.add(lookup.summary());
    out.println();
    o.keep = keepWanted;
    java.nio.file.Path reuse = o.reuse;
    o.reuse = lookup.dataDir();
    summaries.add(StartupScenario.run(o, out));
    o.reuse = reuse;
    if (loads && !keepWanted) {
      BenchStore.delete(lookup.dataDir());
      out.println("deleted      " + lookup.dataDir());
    }
    Summary.printTable(summaries, out);
  }
}
