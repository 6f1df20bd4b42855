package org.opentrail.source.minio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.opentrail.api.event.EventJson;

/**
 * Measures MinIO ingest; a tool, not a test (no assertions, prints figures). Entries are the
 * realworld case 06 entry with a fresh request id and a recent time each, as MinIO would send them.
 *
 * <pre>
 * # the translator alone, one thread: entries/s
 * java -cp ... org.opentrail.source.minio.MinioWebhookLoad translate 20
 * # a running OpenTrail: URL, token, entries per POST (1 or 100), connections, seconds
 * java -cp ... org.opentrail.source.minio.MinioWebhookLoad post http://127.0.0.1:18281/sources/minio/prod TOKEN 100 8 20
 * </pre>
 */
public final class MinioWebhookLoad {
  private static final AtomicLong SEQ = new AtomicLong();

  private MinioWebhookLoad() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("translate")) {
      translate(Integer.parseInt(args[1]));
    } else {
      post(
          args[1],
          args[2],
          Integer.parseInt(args[3]),
          Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
    }
  }

  static String template() {
    return EventJson.toString(EventJson.read(Samples.bytes(RealWorldCaseTest.CASE)));
  }

  /** {@code n} entries, newline-delimited as MinIO's webhook target writes them. */
  static byte[] body(String template, int n) {
    StringBuilder b = new StringBuilder(n * (template.length() + 40));
    String base =
        Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    for (int i = 0; i < n; i++) {
      long s = SEQ.incrementAndGet();
      b.append(
              template
                  .replace("17CDC1F4D7E69123", String.format("%016X", s))
                  .replace(
                      "2024-05-09T07:38:10.449688982Z",
                      base.replace("Z", String.format(".%09dZ", s % 1_000_000_000))))
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void translate(int seconds) throws Exception {
    String t = template();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add(body(t, 100));
    }
    MinioTranslator translator = new MinioTranslator();
    for (int round = 0; round < 3; round++) {
      long entries = 0;
      long end = System.nanoTime() + seconds * 1_000_000_000L / 3;
      long start = System.nanoTime();
      while (System.nanoTime() < end) {
        for (byte[] b : bodies) {
          entries += translator.translate(b).events().size();
        }
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("translate: %,.0f entries/s (%,d in %.1f s)%n", entries / s, entries, s);
    }
  }

  static void post(String url, String token, int perPost, int connections, int seconds)
      throws Exception {
    String t = template();
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      Thread th =
          new Thread(
              () -> {
                HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                while (System.nanoTime() < end) {
                  HttpRequest r =
                      HttpRequest.newBuilder(URI.create(url))
                          .header("Authorization", "Bearer " + token)
                          .POST(HttpRequest.BodyPublishers.ofByteArray(body(t, perPost)))
                          .build();
                  try {
                    HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
                    if (a.statusCode() == 200) {
                      accepted.addAndGet(perPost);
                    } else {
                      failed.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
              });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    double s = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "post: %d per POST, %d connections: %,.0f entries/s (%,d entries in %.1f s, %d failed posts)%n",
        perPost, connections, accepted.get() / s, accepted.get(), s, failed.get());
  }
}
