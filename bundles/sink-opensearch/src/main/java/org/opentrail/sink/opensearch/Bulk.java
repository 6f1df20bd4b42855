package org.opentrail.sink.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.RestClient;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.store.StoredEvent;

/**
 * {@code _bulk} requests for a destination ({@code POST /_bulk}, NDJSON, the API of OpenSearch 1+
 * and Elasticsearch 7): one {@code create} action per event, {@code _index} its index, {@code _id}
 * its eventId, the event's JSON as the document; split into bodies of at most {@code maxBytes}.
 */
final class Bulk {
  private static final String FILTER = "errors,items.*.status,items.*.error";
  private static final ContentType JSON = ContentType.APPLICATION_JSON;

  private final RestClient client;
  private final Destination destination;
  private final int maxBytes;
  private final AtomicLong sent;

  /**
   * What became of the events sent.
   *
   * @param written eventIds now in the index (created, or there already: 409)
   * @param refused eventIds refused for good in this delivery, with {@code type: reason}
   * @param retryable eventIds refused for now (429, 5xx other than a block), with the reason
   * @param retry the events of {@code retryable}, to send again
   */
  record Outcome(
      Set<String> written,
      Map<String, String> refused,
      Map<String, String> retryable,
      List<StoredEvent> retry) {}

  Bulk(RestClient client, Destination destination, int maxBytes, AtomicLong sent) {
    this.client = client;
    this.destination = destination;
    this.maxBytes = maxBytes;
    this.sent = sent;
  }

  /**
   * Sends the events and sorts out the answers item by item.
   *
   * @throws IOException if a request as a whole failed (unreachable, 401, 403, ...): {@link
   *     Failures#explain}
   */
  Outcome send(List<StoredEvent> events) throws IOException {
    Outcome out =
        new Outcome(
            new HashSet<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
    int from = 0;
    ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(maxBytes, 1 << 20));
    for (int i = 0; i < events.size(); i++) {
      StoredEvent e = events.get(i);
      if (e.event().eventId() == null) {
        out.refused()
            .put("(no eventId, sequence " + e.sequence() + ")", "the event has no eventId");
        continue;
      }
      int before = body.size();
      append(body, List.of(e), destination);
      if (body.size() > maxBytes && before > 0) {
        byte[] all = body.toByteArray();
        body.reset();
        body.write(all, before, all.length - before);
        flush(java.util.Arrays.copyOf(all, before), events.subList(from, i), out);
        from = i;
      }
    }
    if (body.size() > 0) {
      flush(body.toByteArray(), events.subList(from, events.size()), out);
    }
    return out;
  }

  private void flush(byte[] body, List<StoredEvent> chunk, Outcome out) throws IOException {
    List<StoredEvent> items = new ArrayList<>(chunk.size());
    for (StoredEvent e : chunk) {
      if (e.event().eventId() != null) {
        items.add(e);
      }
    }
    Request r = new Request("POST", "/_bulk");
    r.addParameter("filter_path", FILTER);
    r.setEntity(new ByteArrayEntity(body, JSON));
    sent.addAndGet(items.size());
    Map<?, ?> answer = (Map<?, ?>) perform(r, "writing " + items.size() + " events with _bulk");
    if (!Boolean.TRUE.equals(answer.get("errors"))) {
      for (StoredEvent e : items) {
        out.written().add(e.event().eventId());
      }
      return;
    }
    List<?> results = (List<?>) answer.get("items");
    if (results == null || results.size() != items.size()) {
      throw new IOException(
          "OpenSearch at "
              + destination.endpoint()
              + " answered a _bulk of "
              + items.size()
              + " events with "
              + (results == null ? 0 : results.size())
              + " items");
    }
    for (int i = 0; i < items.size(); i++) {
      StoredEvent e = items.get(i);
      String id = e.event().eventId();
      Map<?, ?> item = (Map<?, ?>) ((Map<?, ?>) results.get(i)).values().iterator().next();
      int status = ((Number) item.get("status")).intValue();
      String reason = Failures.itemReason(item.get("error"));
      if (status < 300 || status == 409) {
        out.written().add(id);
      } else if ((status == 429 || status >= 500)
          && !reason.startsWith("cluster_block_exception")) {
        out.retryable().put(id, status + " " + reason);
        out.retry().add(e);
      } else {
        out.refused().put(id, status + " " + reason);
      }
    }
  }

  /**
   * An event's document {@code _id}: {@code <recipientAccountId>/<eventId>}, the store's identity
   * of an event. eventIds are unique per account only, and an index may hold several accounts'
   * events (delivery through a role), so one account's eventIds never hide another's events.
   */
  static String documentId(org.opentrail.api.event.Event e) {
    return e.recipientAccountId() + "/" + e.eventId();
  }

  /** Appends the bulk lines of {@code events}. */
  static void append(ByteArrayOutputStream out, List<StoredEvent> events, Destination d) {
    for (StoredEvent e : events) {
      String index = IndexNames.index(d.index(), d.suffix(), e.timeMillis());
      Map<String, Object> action = new LinkedHashMap<>();
      action.put("_index", index);
      action.put("_id", documentId(e.event()));
      out.writeBytes(EventJson.write(Map.of("create", action)));
      out.write('\n');
      out.writeBytes(e.event().toJson());
      out.write('\n');
    }
  }

  /**
   * A request with a JSON body (or none); answers the parsed JSON response.
   *
   * @throws IOException explained by {@link Failures#explain}
   */
  Object call(String method, String path, Object body, String what) throws IOException {
    Request r = new Request(method, path);
    if (body != null) {
      r.setEntity(new ByteArrayEntity(EventJson.write(body), JSON));
    }
    return perform(r, what);
  }

  /** Like {@link #call} with query parameters. */
  Object call(String method, String path, Map<String, String> params, Object body, String what)
      throws IOException {
    Request r = new Request(method, path);
    params.forEach(r::addParameter);
    if (body != null) {
      r.setEntity(new ByteArrayEntity(EventJson.write(body), JSON));
    }
    return perform(r, what);
  }

  private Object perform(Request r, String what) throws IOException {
    Response response;
    byte[] bytes;
    try {
      response = client.performRequest(r);
      bytes =
          response.getEntity() == null
              ? new byte[0]
              : EntityUtils.toByteArray(response.getEntity());
    } catch (Exception e) {
      throw Failures.explain(destination.endpoint(), what, e);
    }
    if (bytes.length == 0) {
      return Map.of();
    }
    try {
      return EventJson.read(bytes);
    } catch (RuntimeException e) {
      throw new IOException(
          "OpenSearch at "
              + destination.endpoint()
              + " answered "
              + what
              + " with no JSON: "
              + new String(bytes, 0, Math.min(200, bytes.length), StandardCharsets.UTF_8),
          e);
    }
  }
}
