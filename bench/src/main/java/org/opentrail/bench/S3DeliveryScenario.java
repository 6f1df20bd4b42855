package org.opentrail.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.sink.s3.S3SinkConfig;
import org.opentrail.sink.s3.S3SinkProvider;
import org.osgi.util.converter.Converters;

/**
 * {@code s3-delivery}: the s3 sink into a local S3 server (S3Proxy 4.1.0, filesystem store, AWS v4
 * signatures checked, in this JVM on a loopback port). First the throughput of {@code --events}
 * events in batches of {@code --batch} (the delivery engine's batch), then the latency of each
 * delivery at 10k events/s offered (a batch of 1,000 every 100 ms): from the moment the batch's
 * events are due to the sink's return (every object stored, acknowledged by the server). Events are
 * ~1 KB ActionTrail events over 4 regions.
 */
final class S3DeliveryScenario {
  private S3DeliveryScenario() {}

  static void run(BenchOptions o, PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("opentrail-bench-s3");
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", dir.toString());
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", p))
            .endpoint(URI.create(endpoint))
            .awsAuthentication(AuthenticationType.AWS_V4, "AKBENCH", "bench-secret")
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    Files.createDirectories(dir.resolve("bench"));
    Map<String, Object> c = new HashMap<>();
    c.put("endpoint", endpoint);
    c.put("accessKeyId", "AKBENCH");
    c.put("secretAccessKey", "bench-secret");
    S3SinkProvider provider =
        new S3SinkProvider(
            Converters.standardConverter().convert(c).to(S3SinkConfig.class), "local");
    int batch = o.batch;
    long n = Math.max(batch, o.events);
    try (ProvableSink sink =
        (ProvableSink)
            provider.open(
                new SinkTarget("123456789012", "bench", "s3", Map.of("bucket", "bench")))) {
      deliver(sink, events(0, 20_000), batch); // warm-up
      List<StoredEvent> all = events(1_000_000, (int) n);
      long t0 = System.nanoTime();
      deliver(sink, all, batch);
      double sec = (System.nanoTime() - t0) / 1e9;
      out.printf(
          Locale.ROOT,
          "s3-delivery  throughput: %,d events in batches of %,d in %.2f s = %,.0f events/s%n",
          n,
          batch,
          sec,
          n / sec);

      Latencies lat = new Latencies();
      long start = System.nanoTime();
      long seq = 5_000_000;
      for (int i = 0; i < 300; i++) { // 30 s at 10k events/s
        long due = start + i * 100_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        List<StoredEvent> b = events(seq, 1000);
        seq += 1000;
        sink.deliverObjects(new DeliveryBatch("l" + i, b.get(0).sequence(), seq - 1, b));
        lat.add(System.nanoTime() - due);
      }
      out.printf(
          Locale.ROOT,
          "s3-delivery  latency at 10,000 events/s (batches of 1,000 every 100 ms, 30 s):"
              + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          lat.percentileNanos(50) / 1e6,
          lat.percentileNanos(99) / 1e6,
          lat.maxNanos() / 1e6);
    } finally {
      proxy.stop();
    }
  }

  private static void deliver(ProvableSink sink, List<StoredEvent> all, int batch)
      throws Exception {
    for (int i = 0; i < all.size(); i += batch) {
      List<StoredEvent> b = all.subList(i, Math.min(all.size(), i + batch));
      sink.deliverObjects(
          new DeliveryBatch(
              "b" + b.get(0).sequence(), b.get(0).sequence(), b.get(b.size() - 1).sequence(), b));
    }
  }

  private static List<StoredEvent> events(long first, int n) {
    String[] regions = {"cn-hangzhou", "cn-shanghai", "eu-central-1", "us-west-1"};
    long now = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
    List<StoredEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long seq = first + i;
      long t = now + seq;
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("eventId", "bench-" + seq);
      f.put("eventVersion", "1");
      f.put("eventTime", Instant.ofEpochMilli(t).toString());
      f.put("eventName", "PutObject");
      f.put("eventRW", "Write");
      f.put("eventType", "ApiCall");
      f.put("serviceName", "Oss");
      f.put("acsRegion", regions[(int) (seq % 4)]);
      f.put("sourceIpAddress", "10.0." + (seq % 250) + ".7");
      f.put("userAgent", "aliyun-sdk-java/3.17.4");
      f.put("requestId", "req-" + Long.toHexString(seq * 7919));
      f.put("resourceName", "bucket-" + (seq % 50) + "/object-" + seq);
      f.put(
          "userIdentity",
          Map.of("type", "ram-user", "accountId", "123456789012", "userName", "u" + seq % 20));
      f.put("requestParameters", Map.of("Padding", "p".repeat(600)));
      out.add(new StoredEvent(seq, t, Event.of(f)));
    }
    return out;
  }
}
