package org.opentrail.sink.opensearch;

import java.nio.file.Path;

/**
 * A one-node OpenSearch 2.19.1 as a process of its own, for the benchmark ({@code bench/run
 * opensearch}), whose class path holds another Lucene: {@code SearchServerMain <dir>} prints {@code
 * READY <port>} once the node is up and stops when its standard input closes.
 */
public final class SearchServerMain {
  private SearchServerMain() {}

  public static void main(String[] args) throws Exception {
    try (SearchServer server = new SearchServer(Path.of(args[0]))) {
      System.out.println("READY " + server.port);
      System.out.flush();
      while (System.in.read() != -1) {
        // until the benchmark closes our input
      }
    }
    System.exit(0);
  }
}
