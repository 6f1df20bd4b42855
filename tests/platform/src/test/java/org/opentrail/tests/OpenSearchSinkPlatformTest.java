package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The opensearch sink hot-installed into a running OpenTrail (real Felix, the distribution's
 * bundles) with a real OpenSearch 2.19.1: stopped, uninstalled and installed again while events are
 * recorded and delivered; every event arrives once.
 */
class OpenSearchSinkPlatformTest {
  static final Path SINK = Instance.HOME.resolve("bundles/org.opentrail.sink.opensearch.jar");

  @TempDir Path dir;

  @Test
  void theSinkHotInstalledStoppedAndReinstalledUnderLoadDeliversEveryEventOnce() throws Exception {
    int port = Instance.freePort();
    OpenSearchRunner search = new OpenSearchRunner();
    search.onBuild(
        (i, s) -> {
          s.put("network.host", "127.0.0.1");
          s.put("http.port", Integer.toString(port));
          s.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        });
    search.build(
        OpenSearchRunner.newConfigs()
            .basePath(dir.resolve("opensearch").toString())
            .numOfNode(1)
            .clusterName("opentrail-platform")
            .disableESLogger());
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("etc"));
    Files.writeString(
        data.resolve("etc/org.opentrail.sink.opensearch.cfg"),
        "endpoint = http://127.0.0.1:" + port + "\nindex.replicas = 0\n");
    try (Instance ot = new Instance(data, List.of("core", "shell", "trail"))) {
      search.ensureYellow();
      ot.run("auth:grant");
      ot.run("trail:create search-trail --start opensearch");
      BackgroundRecording writer = BackgroundRecording.start(ot, 40, 500, "searcher-", 3);
      List<String> ids = writer.ids();
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("trail:status search-trail").contains("waiting for sink type opensearch"),
          "the destination to wait for its sink type");

      ot.run("start file:" + SINK.toAbsolutePath()); // hot install from the shell
      Instance.await(Duration.ofSeconds(30), () -> count(port) > 0, "first events in OpenSearch");

      Bundle sink = ot.bundle("org.opentrail.sink.opensearch");
      sink.stop();
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("trail:status search-trail").contains("waiting for sink type opensearch"),
          "the destination to wait while the sink is stopped");
      sink.start();
      Instance.await(Duration.ofSeconds(30), () -> ids.size() >= 8000, "more recording");
      sink.uninstall();
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("trail:status search-trail").contains("waiting for sink type opensearch"),
          "the destination to wait while the sink is uninstalled");
      try (InputStream in = Files.newInputStream(SINK)) {
        ot.context().installBundle("reinstalled:opensearch", in).start();
      }

      writer.join(120_000);
      assertFalse(writer.running());
      assertEquals(20_000, ids.size());
      ot.awaitDelivered("search-trail", Duration.ofSeconds(90));
      assertEquals(ids.size(), count(port), "every event once (the _id is <account>/<eventId>)");
      for (int i = 0; i < ids.size(); i += 5000) {
        List<String> chunk =
            ids.subList(i, Math.min(ids.size(), i + 5000)).stream()
                .map(id -> ot.account() + "/" + id)
                .toList();
        String body = "{\"ids\":[\"" + String.join("\",\"", chunk) + "\"]}";
        String r = http(port, "POST", "/actiontrail_search-trail/_mget?_source=false", body);
        Matcher found = Pattern.compile("\"found\":true").matcher(r);
        int n = 0;
        while (found.find()) {
          n++;
        }
        assertEquals(chunk.size(), n, "events found by eventId");
      }
      assertTrue(ot.run("trail:status search-trail").contains("search-trail"));
    } finally {
      search.close();
      search.clean();
    }
  }

  static long count(int port) {
    try {
      http(port, "POST", "/actiontrail_search-trail/_refresh", "");
      String r = http(port, "GET", "/actiontrail_search-trail/_count", "");
      Matcher m = Pattern.compile("\"count\":(\\d+)").matcher(r);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (Exception e) {
      return 0;
    }
  }

  static String http(int port, String method, String path, String body) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).body();
  }
}
