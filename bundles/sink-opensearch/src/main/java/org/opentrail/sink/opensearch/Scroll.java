package org.opentrail.sink.opensearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;

/**
 * Reads every document of an index pattern back as events, a page at a time, through the scroll API
 * ({@code POST /<pattern>/_search?scroll=}, {@code POST /_search/scroll}, {@code DELETE
 * /_search/scroll}; OpenSearch and Elasticsearch 7 alike), sorted by {@code _doc}. The pattern is
 * refreshed first, so that every acknowledged write is seen.
 */
final class Scroll {
  static final int PAGE = 1000;
  private static final String KEEP = "1m";

  private final Bulk bulk;
  private final String pattern;

  Scroll(Bulk bulk, String pattern) {
    this.bulk = bulk;
    this.pattern = pattern;
  }

  /**
   * Hands each page of {@code _source}s as events to {@code pages}.
   *
   * @throws IOException if the server cannot be read
   */
  void forEach(Consumer<List<Event>> pages) throws IOException {
    Map<String, String> lenient = Map.of("ignore_unavailable", "true", "allow_no_indices", "true");
    bulk.call("POST", "/" + pattern + "/_refresh", lenient, null, "refreshing " + pattern);
    Map<String, String> params = new java.util.HashMap<>(lenient);
    params.put("scroll", KEEP);
    Object answer =
        bulk.call(
            "POST",
            "/" + pattern + "/_search",
            params,
            Map.of("size", PAGE, "sort", List.of("_doc")),
            "reading " + pattern);
    String scrollId = null;
    try {
      while (true) {
        Map<?, ?> m = (Map<?, ?>) answer;
        scrollId = (String) m.get("_scroll_id");
        List<?> hits = (List<?>) ((Map<?, ?>) m.get("hits")).get("hits");
        if (hits == null || hits.isEmpty()) {
          return;
        }
        List<Object> sources = new ArrayList<>(hits.size());
        for (Object h : hits) {
          sources.add(((Map<?, ?>) h).get("_source"));
        }
        pages.accept(EventJson.parseEvents(EventJson.write(sources)));
        if (scrollId == null || hits.size() < PAGE) {
          return;
        }
        answer =
            bulk.call(
                "POST",
                "/_search/scroll",
                Map.of("scroll", KEEP, "scroll_id", scrollId),
                "reading " + pattern);
      }
    } finally {
      if (scrollId != null) {
        try {
          bulk.call(
              "DELETE",
              "/_search/scroll",
              Map.of("scroll_id", List.of(scrollId)),
              "releasing a scroll");
        } catch (IOException ignored) {
          // the server drops it after KEEP anyway
        }
      }
    }
  }
}
