package org.opentrail.alerts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP webhook receiver on a free loopback port, keeping every request it got. */
final class Receiver implements AutoCloseable {
  record Request(String body, String signature, String timestamp) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  private final HttpServer server;

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(
                  body,
                  x.getRequestHeaders().getFirst("X-OpenTrail-Signature"),
                  x.getRequestHeaders().getFirst("X-OpenTrail-Timestamp")));
          x.sendResponseHeaders(status, -1);
          x.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
