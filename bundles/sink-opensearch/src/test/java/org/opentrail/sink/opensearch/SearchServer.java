package org.opentrail.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opentrail.api.event.EventJson;

/**
 * A real one-node OpenSearch 2.19.1 (the codelibs runner, in this JVM) on a free loopback port, and
 * a plain HTTP reader of it that shares nothing with the sink.
 */
final class SearchServer implements AutoCloseable {
  final OpenSearchRunner runner = new OpenSearchRunner();
  final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  SearchServer(Path dir) throws IOException {
    port = freePort();
    runner.onBuild(
        (i, settings) -> {
          settings.put("network.host", "127.0.0.1");
          settings.put("http.port", Integer.toString(port));
          settings.put("action.auto_create_index", "true");
          settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        });
    runner.build(
        OpenSearchRunner.newConfigs()
            .basePath(dir.toString())
            .numOfNode(1)
            .clusterName("opentrail-test")
            .disableESLogger());
    runner.ensureYellow();
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops the node (its data stays). */
  void stop() throws IOException {
    runner.getNode(0).close();
  }

  /** Starts the stopped node again on the same port and data. */
  void start() {
    runner.startNode(0);
    runner.ensureYellow();
  }

  /** A request; answers the JSON, failing on a status of 300 and above. */
  Object call(String method, String path, Object body) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return EventJson.read(r.body().getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> send(String method, String path, Object body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoint() + path))
            .header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(EventJson.write(body)));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Documents in an index pattern, after a refresh. */
  long count(String pattern) throws Exception {
    call("POST", "/" + pattern + "/_refresh", null);
    return ((Number) ((Map<?, ?>) call("GET", "/" + pattern + "/_count", null)).get("count"))
        .longValue();
  }

  void delete(String pattern) throws Exception {
    HttpResponse<String> r = send("DELETE", "/" + pattern, null);
    assertEquals(true, r.statusCode() == 200 || r.statusCode() == 404, r.body());
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    runner.close();
    runner.clean();
  }
}
