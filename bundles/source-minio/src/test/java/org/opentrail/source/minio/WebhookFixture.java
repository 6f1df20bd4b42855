package org.opentrail.source.minio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;
import org.opentrail.internal.source.SourceInstance;
import org.opentrail.internal.source.SourceWebhook;
import org.opentrail.query.LookupEventsService;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.opentrail.trail.InnerTrailManager;
import org.osgi.util.converter.Converters;

/**
 * The real thing minus OSGi: an embedded store in a temp dir, the real recorder, LookupEvents,
 * identity registry and inner trails (the default account, entitled, with the delivery role and an
 * inner trail {@code minio-ops}), and the helper's webhook servlet with this bundle's translator in
 * a real Jetty on a free loopback port (instances {@code prod} for the default account, and {@code
 * small} with a 1 KiB body limit).
 */
final class WebhookFixture {
  static final String ACCOUNT = "1234567890123456";
  static final String TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final String INNER = "innertrail_minio-ops";
  static final String TRUST =
      "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":[\"actiontrail.aliyuncs.com\"]}}],\"Version\":\"1\"}";

  final EmbeddedEventStore store;
  final EventRecorderService recorder;
  final LookupEventsService query;
  final Server server;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final IdentityRegistry identities;
  final InnerTrailManager innerTrails;
  final int port;

  WebhookFixture(Path dir) throws Exception {
    store =
        new EmbeddedEventStore(
            dir.resolve("store"),
            Converters.standardConverter()
                .convert(Map.of("index.refresh.millis", 20))
                .to(StoreConfig.class));
    recorder =
        new EventRecorderService(
            store,
            Converters.standardConverter().convert(Map.of()).to(RecorderConfig.class),
            "cn-test");
    identities = new IdentityRegistry(AuthPaths.under(dir.resolve("auth")), ACCOUNT);
    identities.entitle(ACCOUNT, InnerTrailService.ENTITLEMENT);
    identities.createRole(ACCOUNT, "AliyunActionTrailDefaultRole", TRUST, null);
    innerTrails = new InnerTrailManager(store, identities, identities, dir.resolve("innertrails"));
    innerTrails.create(ACCOUNT, "minio-ops");
    recorder.innerTrails(innerTrails);
    query = new LookupEventsService(store, new byte[32]);
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    add(context, "prod", 8 << 20);
    add(context, "small", 1024);
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  private void add(ServletContextHandler context, String instance, int maxBody) {
    SourceInstance i = SourceInstance.of("minio", instance, "", ACCOUNT, sha256(TOKEN), maxBody, 4);
    context.addServlet(
        new ServletHolder(SourceWebhook.servlet(i, recorder, new MinioTranslator())), i.path());
  }

  /** Posts a body as MinIO does ({@code Authorization} is its auth_token, as configured). */
  HttpResponse<String> post(String instance, byte[] body, String authorization, boolean gzip)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/sources/minio/" + instance))
            .header("User-Agent", "MinIO (linux; amd64) minio/RELEASE.2025-02-28T09-55-16Z")
            .header("X-Minio-Deployment-Id", "90e81272-45d9-4fe8-9c45-c9a7322bf4b5");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(body);
      }
      body = out.toByteArray();
      b.header("Content-Encoding", "gzip");
    }
    return http.send(
        b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return post("prod", body.getBytes(StandardCharsets.UTF_8), "Bearer " + TOKEN, false);
  }

  /** Waits until the stream's index holds everything appended. */
  void awaitIndexed(String logstore) throws InterruptedException {
    String stream = InnerTrail.stream(ACCOUNT, logstore);
    for (int i = 0; i < 4000; i++) {
      var info = store.stream(stream).orElseThrow();
      if (info.indexedSequence() >= info.lastSequence()) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("not indexed: " + stream);
  }

  void awaitIndexed() throws InterruptedException {
    awaitIndexed(EventStore.HISTORY);
  }

  /** A time a minute ago with nanoseconds, as MinIO writes it. */
  static String recentTime(int nanos) {
    Instant t = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    return t.toString().replace("Z", String.format(".%09dZ", nanos));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void close() throws Exception {
    server.stop();
    store.close();
  }
}
