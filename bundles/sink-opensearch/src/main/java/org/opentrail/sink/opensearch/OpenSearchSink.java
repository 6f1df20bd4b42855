package org.opentrail.sink.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.opensearch.client.RestClient;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers batches into a destination's index with {@code _bulk} {@code create} actions whose
 * {@code _id} is the account and eventId ({@link Bulk#documentId}): an event delivered again
 * answers 409 (it is there) and counts as delivered, so redelivery changes nothing. Items the
 * server refuses for now (429, 5xx) are sent again, alone, up to {@code bulk.retries} times with
 * backoff; items refused otherwise (a mapping error, a missing index, a write block) fail the
 * delivery with an exception that names them, and the events that were written are remembered, so
 * that the engine's retry of the same batch sends only the rest. Nothing refused is ever dropped.
 */
final class OpenSearchSink implements ReadableSink {
  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchSink.class);

  private final Destination destination;
  private final Server server;
  private final Bulk bulk;
  private final RestClient client;
  private volatile boolean templateReady;

  /** Events of the last batch that failed part-way that are in the index: its key and their ids. */
  private String partialKey;

  private Set<String> partialDone = Set.of();

  /** Bulk items sent, for tests: shows that what was written is not sent again. */
  final AtomicLong itemsSent = new AtomicLong();

  OpenSearchSink(Destination destination, Server server, RestClient client) {
    this.destination = destination;
    this.server = server;
    this.client = client;
    this.bulk = new Bulk(client, destination, server.bulkMaxBytes(), itemsSent);
  }

  @Override
  public synchronized void deliver(DeliveryBatch batch) throws IOException {
    ensureTemplate();
    Set<String> done =
        batch.key().equals(partialKey) ? new HashSet<>(partialDone) : new HashSet<>();
    List<StoredEvent> todo = new ArrayList<>(batch.events().size());
    for (StoredEvent e : batch.events()) {
      if (!done.contains(e.event().eventId())) {
        todo.add(e);
      }
    }
    Map<String, String> refused = new LinkedHashMap<>();
    Map<String, String> transientRefusals = new LinkedHashMap<>();
    for (int round = 0; !todo.isEmpty(); round++) {
      Bulk.Outcome outcome;
      try {
        outcome = bulk.send(todo);
      } catch (IOException e) {
        remember(batch.key(), done);
        throw e;
      }
      done.addAll(outcome.written());
      refused.putAll(outcome.refused());
      transientRefusals = outcome.retryable();
      todo = outcome.retry();
      if (todo.isEmpty() || round >= server.bulkRetries()) {
        break;
      }
      LOG.debug("{}: {} events refused for now, sent again", destination, todo.size());
      pause(100L << round);
    }
    refused.putAll(transientRefusals);
    if (!refused.isEmpty()) {
      remember(batch.key(), done);
      throw new IOException(message(batch, refused, done.size()));
    }
    partialKey = null;
    partialDone = Set.of();
  }

  private void remember(String key, Set<String> done) {
    partialKey = key;
    partialDone = done;
  }

  private String message(DeliveryBatch batch, Map<String, String> refused, int written) {
    Map<String, List<String>> byReason = new LinkedHashMap<>();
    refused.forEach((id, why) -> byReason.computeIfAbsent(why, k -> new ArrayList<>()).add(id));
    StringBuilder m =
        new StringBuilder("OpenSearch at ")
            .append(destination.endpoint())
            .append(" refused ")
            .append(refused.size())
            .append(" of ")
            .append(batch.events().size())
            .append(" events for index ")
            .append(destination.pattern())
            .append(" (")
            .append(written)
            .append(
                " are written and are not sent again); they stay in the store and are"
                    + " retried:");
    byReason.forEach(
        (why, ids) -> {
          m.append(" [").append(why).append("] for ").append(ids.size()).append(" events, e.g. ");
          m.append(String.join(", ", ids.subList(0, Math.min(3, ids.size())))).append(';');
        });
    return m.toString();
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to send refused events again", e);
    }
  }

  /** Puts the index template on first use (again after a failure), replacing an older one. */
  private void ensureTemplate() throws IOException {
    if (templateReady) {
      return;
    }
    String name = IndexTemplate.name(destination.index());
    Map<String, Object> body =
        IndexTemplate.body(destination.pattern(), server.shards(), server.replicas());
    bulk.call("PUT", "/_index_template/" + name, body, "putting index template " + name);
    templateReady = true;
    LOG.info("{}: index template {} for {} is in place", destination, name, destination.pattern());
  }

  /**
   * Hands every event in the destination's indices back, 1000 at a time, through a scroll over
   * {@link Destination#pattern()} (after a refresh, so that everything delivered is seen).
   *
   * @throws IOException if the server cannot be read
   */
  @Override
  public void readBack(Consumer<List<Event>> batches) throws IOException {
    new Scroll(bulk, destination.pattern()).forEach(batches);
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      LOG.warn("{}: closing the client: {}", destination, e.toString());
    }
  }

  /** The bulk body of events, for tests. */
  static byte[] body(List<StoredEvent> events, Destination d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Bulk.append(out, events, d);
    return out.toByteArray();
  }
}
