package org.opentrail.bench;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.Consts.CursorMode;
import com.aliyun.openservices.log.common.FastLogGroup;
import com.aliyun.openservices.log.http.client.ClientConfiguration;
import com.aliyun.openservices.log.request.PullLogsRequest;
import com.aliyun.openservices.log.response.GetLogsResponse;
import com.aliyun.openservices.log.response.PullLogsResponse;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code logservice-pull}: Log Service's official Java SDK reading a real OpenTrail ({@link
 * OpenTrailProcess}, default features) through the logservice bundle: {@code --events} events
 * (default 200,000) are put into the history with signed PutEvents in batches of 1,000 (untimed),
 * then one SDK consumer pulls the account's history from {@code begin} to the end with PullLogs of
 * 1,000 log groups (protobuf LogGroupList, lz4), decoding every log group: events/s, raw protobuf
 * bytes per event, and the server's CPU. Then GetLogs latency of a search returning 100 logs.
 */
final class LogServicePullScenario {
  private LogServicePullScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    long events = o.given("--events") ? o.events : 200_000;
    OpenTrailProcess.refuseStoreConfig(o);
    Path dataDir = BenchStore.createDataDir(o.dir, "logservice-pull");
    RunHeader.print(out, "logservice-pull", o, dataDir);
    try (OpenTrailProcess server = OpenTrailProcess.start(dataDir, out)) {
      String account = server.credentials.accountId();
      ActionTrailEventGenerator gen = new ActionTrailEventGenerator(new Populations(), account);
      long now = System.currentTimeMillis();
      int pool = (int) Math.min(events, 100_000);
      EventPool p =
          EventPool.generate(
              gen, pool, o.seed, false, i -> now - 3_600_000L + i * 3_600_000L / pool);
      long put = 0;
      long t0 = System.nanoTime();
      while (put < events) {
        int n = (int) Math.min(1000, events - put);
        HttpApi.Answer a =
            server.api.putJson(server.api.prepareJson(HttpIngestScenario.jsonArray(p, put, n), n));
        if (a.status() != 200) {
          throw new IllegalStateException("PutEvents: " + a.clipped(300));
        }
        put += n;
      }
      out.printf(
          Locale.ROOT,
          "put          %,d events in %.1f s (untimed)%n",
          put,
          (System.nanoTime() - t0) / 1e9);
      ClientConfiguration conf = new ClientConfiguration();
      conf.setProxyHost("127.0.0.1");
      conf.setProxyPort(server.port);
      Client client =
          new Client(
              "log.opentrail.local",
              server.credentials.accessKeyId(),
              server.credentials.secret(),
              conf);
      String project = "opentrail-" + account;
      String cursor = client.GetCursor(project, "history", 0, CursorMode.BEGIN).GetCursor();
      long read = 0;
      long raw = 0;
      long calls = 0;
      long cpu0 = server.cpuNanos();
      long p0 = System.nanoTime();
      while (true) {
        PullLogsResponse r =
            client.pullLogs(new PullLogsRequest(project, "history", 0, 1000, cursor));
        calls++;
        raw += r.getRawSize();
        for (int i = 0; i < r.getCount(); i++) {
          FastLogGroup g = r.getLogGroup(i).GetFastLogGroup();
          read += g.getLogsCount();
        }
        if (r.getCount() == 0) {
          break; // the end: an empty answer (the server passes over its own pulls' records)
        }
        cursor = r.getNextCursor();
      }
      double seconds = (System.nanoTime() - p0) / 1e9;
      double serverCpu = (server.cpuNanos() - cpu0) / 1e9;
      out.printf(
          Locale.ROOT,
          "pull         %,d events in %,d PullLogs of 1000 in %.2f s: %,.0f events/s; %s raw"
              + " protobuf (%.0f B per event); server CPU %.1f s (%.1f us per event)%n",
          read,
          calls,
          seconds,
          read / seconds,
          SystemProbes.bytes(raw),
          raw / (double) Math.max(1, read),
          serverCpu,
          serverCpu * 1e6 / Math.max(1, read));
      server.awaitIndexed(3600);
      int from = (int) (now / 1000 - 7200);
      int to = (int) (now / 1000 + 7200);
      Latencies lat = new Latencies();
      for (int i = 0; i < 50; i++) {
        long q0 = System.nanoTime();
        GetLogsResponse g =
            client.GetLogs(project, "history", from, to, "", "eventRW: Write", 100, 0, true);
        lat.add(System.nanoTime() - q0);
        if (g.GetCount() == 0) {
          throw new IllegalStateException("GetLogs found nothing");
        }
      }
      out.printf(
          Locale.ROOT,
          "getlogs      100 newest of 'eventRW: Write': p50 %s ms, p99 %s ms (50 calls)%n",
          Latencies.ms(lat.p50Millis()),
          Latencies.ms(lat.p99Millis()));
      return new Summary("logservice-pull", Summary.n(read) + " events via the SDK")
          .add("pull", "%s events/s", Summary.perSecond(read / seconds))
          .add("GetLogs p99", "%s ms", Latencies.ms(lat.p99Millis()));
    }
  }
}
