package org.opentrail.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's topic. Each event becomes one record: key = its {@code recipientAccountId}
 * (UTF-8; so one account's events stay in order in one partition), value = the event's canonical
 * JSON (ActionTrail's event format, UTF-8), headers {@code eventId} and {@code eventName} (UTF-8).
 *
 * <p>{@link #deliver} returns only when the cluster acknowledged every record of the batch
 * (idempotent producer, acks=all), and throws {@link KafkaSinkException} otherwise, after
 * discarding its producer so that the retry starts on a fresh connection. At least once: a batch
 * retried after a partial failure, or redelivered after a crash between the acknowledgement and the
 * engine's cursor, can repeat records, at most one batch; a batch this sink already delivered is
 * recognised by its key and not sent again.
 */
final class KafkaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private static final int REMEMBERED_BATCHES = 64;

  private final KafkaSettings settings;
  private final String fallbackKey;
  private final Supplier<Producer<byte[], byte[]>> producers;
  private final Deque<String> delivered = new ArrayDeque<>();
  private Producer<byte[], byte[]> producer;

  /**
   * @param fallbackKey the record key of an event without a recipientAccountId (the trail's
   *     account)
   */
  KafkaSink(KafkaSettings settings, String fallbackKey) {
    this(settings, fallbackKey, () -> newProducer(settings));
  }

  KafkaSink(
      KafkaSettings settings, String fallbackKey, Supplier<Producer<byte[], byte[]>> producers) {
    this.settings = settings;
    this.fallbackKey = fallbackKey;
    this.producers = producers;
  }

  /** A producer created with this bundle's class loader as the context class loader. */
  static Producer<byte[], byte[]> newProducer(KafkaSettings settings) {
    return KafkaSinkProvider.withBundleLoader(
        () ->
            new KafkaProducer<>(
                ClientProperties.producer(settings),
                new ByteArraySerializer(),
                new ByteArraySerializer()));
  }

  @Override
  public synchronized void deliver(DeliveryBatch batch) throws KafkaSinkException {
    if (delivered.contains(batch.key())) {
      LOG.debug("Batch {} is already in {}; not sent again", batch.key(), settings.topic());
      return;
    }
    List<StoredEvent> events = batch.events();
    String doing = "delivering " + events.size() + " events to topic '" + settings.topic() + "'";
    List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
    Throwable failure = null;
    int acknowledged = 0;
    try {
      if (producer == null) {
        producer = producers.get();
      }
      // metadata first: an unreachable cluster fails here once, within max.block.ms, instead of
      // once per record
      producer.partitionsFor(settings.topic());
      for (StoredEvent stored : events) {
        Future<RecordMetadata> ack = producer.send(record(stored.event()));
        acks.add(ack);
        if (ack.isDone() && failed(ack)) {
          break; // the rest would fail the same way; the whole batch is retried
        }
      }
      producer.flush();
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get();
        acknowledged++;
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure == null ? e : failure;
        break;
      }
    }
    if (failure != null) {
      discardProducer();
      KafkaSinkException error = KafkaSinkException.explain(failure, settings, doing);
      LOG.warn(
          "{} ({} of {} records unacknowledged)",
          error.getMessage(),
          events.size() - acknowledged,
          events.size());
      throw error;
    }
    delivered.addLast(batch.key());
    if (delivered.size() > REMEMBERED_BATCHES) {
      delivered.removeFirst();
    }
  }

  private static boolean failed(Future<RecordMetadata> done) {
    try {
      done.get();
      return false;
    } catch (ExecutionException | InterruptedException e) {
      return true;
    }
  }

  private ProducerRecord<byte[], byte[]> record(Event event) {
    String account = event.recipientAccountId();
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            settings.topic(), utf8(account != null ? account : fallbackKey), event.toJson());
    if (event.eventId() != null) {
      r.headers().add("eventId", utf8(event.eventId()));
    }
    if (event.eventName() != null) {
      r.headers().add("eventName", utf8(event.eventName()));
    }
    return r;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void discardProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("Closing a failed producer of {}: {}", settings.topic(), e.toString());
      }
      producer = null;
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      try {
        producer.close(Duration.ofMillis(settings.timeoutMs()));
      } catch (RuntimeException e) {
        LOG.warn("Closing the producer of {}: {}", settings.topic(), e.toString());
      }
      producer = null;
    }
  }
}
