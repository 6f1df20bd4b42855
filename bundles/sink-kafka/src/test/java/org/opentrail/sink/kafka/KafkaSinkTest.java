package org.opentrail.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.StoredEvent;

/**
 * The kafka sink against a real Kafka 4.3.1 broker (KRaft) started in this JVM, read back with a
 * real KafkaConsumer. Delivery is at least once: the test states the bound, duplicates at most one
 * batch, wherever a batch can be sent twice.
 */
class KafkaSinkTest {
  static final int BATCH = 250;
  @TempDir static Path dir;
  static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new KafkaBroker(dir);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  static KafkaSinkProvider provider(Map<String, Object> cfg) {
    Map<String, Object> c = new HashMap<>(Map.of("bootstrap_servers", broker.plaintext()));
    c.put("delivery_timeout_ms", 4000);
    c.put("topic_partitions", 3);
    c.put("allowed_bootstrap_servers", "*"); // the tests name their own servers
    c.putAll(cfg);
    return new KafkaSinkProvider(Configs.of(c));
  }

  static SinkTarget target(String trail, Map<String, String> dest) {
    return new SinkTarget("100000000001", trail, "d1", dest);
  }

  /** {@code n} events of three accounts with varied names, sequences from {@code first}. */
  static List<StoredEvent> events(int first, int n) {
    String[] names = {"PutObject", "DeleteBucket", "ConsoleSignin", "CreateUser"};
    List<StoredEvent> out = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      String json =
          "{\"eventId\":\"ev-"
              + i
              + "\",\"eventVersion\":\"1\",\"eventTime\":\"2026-11-30T10:00:00Z\",\"eventName\":\""
              + names[i % names.length]
              + "\",\"eventRW\":\""
              + (i % 3 == 0 ? "Read" : "Write")
              + "\",\"recipientAccountId\":\"10000000000"
              + (i % 3)
              + "\",\"acsRegion\":\"cn-test\",\"requestParameters\":{\"n\":"
              + i
              + ",\"text\":\"\\u00e9t\\u00e9 \\\"quoted\\\"\"}}";
      out.add(new StoredEvent(i, 0, EventJson.parseEvent(json.getBytes(StandardCharsets.UTF_8))));
    }
    return out;
  }

  static DeliveryBatch batch(List<StoredEvent> events) {
    long first = events.get(0).sequence();
    long last = events.get(events.size() - 1).sequence();
    return new DeliveryBatch("b-" + first + "-" + last, first, last, events);
  }

  static void deliverAll(Sink sink, List<StoredEvent> events) throws Exception {
    for (int i = 0; i < events.size(); i += BATCH) {
      sink.deliver(batch(events.subList(i, Math.min(events.size(), i + BATCH))));
    }
  }

  @Test
  void aMixedStreamLandsEveryEventOnceKeyedByAccountWithHeaders() throws Exception {
    KafkaSinkProvider p = provider(Map.of());
    SinkTarget t = target("mixed-trail", Map.of());
    assertEquals("kafka://" + broker.plaintext() + "/actiontrail_mixed-trail", p.resource(t));
    List<StoredEvent> events = events(0, 2000);
    try (Sink sink = p.open(t)) {
      deliverAll(sink, events);
    }
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicReader.readAll(broker.plaintext(), "actiontrail_mixed-trail");
    assertEquals(2000, records.size(), "every event exactly once");
    Map<String, Event> byId = new HashMap<>();
    for (StoredEvent e : events) {
      byId.put(e.event().eventId(), e.event());
    }
    Map<String, Integer> lastOfAccount = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String id = TopicReader.header(r, "eventId");
      Event sent = byId.remove(id);
      Event got = EventJson.parseEvent(r.value());
      assertEquals(sent, got, "value is the event's JSON");
      assertEquals(sent.eventName(), TopicReader.header(r, "eventName"));
      String key = new String(r.key(), StandardCharsets.UTF_8);
      assertEquals(sent.recipientAccountId(), key, "keyed by recipientAccountId");
      // one account's events stay in order: in its partition, in sequence order
      int n = Integer.parseInt(id.substring(3));
      assertTrue(lastOfAccount.getOrDefault(key, -1) < n, "order of account " + key);
      lastOfAccount.put(key, n);
    }
    assertTrue(byId.isEmpty(), "not delivered: " + byId.keySet());
  }

  @Test
  void aBatchDeliveredAgainIsInvisibleAndAReopenedSinkRepeatsAtMostOneBatch() throws Exception {
    KafkaSinkProvider p = provider(Map.of());
    SinkTarget t = target("redelivery", Map.of("topic", "audit.redelivery"));
    List<StoredEvent> events = events(0, 3 * BATCH);
    try (Sink sink = p.open(t)) {
      deliverAll(sink, events);
      sink.deliver(batch(events.subList(BATCH, 2 * BATCH))); // the same batch again
      deliverAll(sink, events); // every batch again
    }
    assertEquals(3 * BATCH, TopicReader.readAll(broker.plaintext(), "audit.redelivery").size());
    // after a crash between the acknowledgement and the cursor, a new sink gets the last batch
    // again: at least once, duplicates bounded by that one batch
    try (Sink sink = p.open(t)) {
      sink.deliver(batch(events.subList(2 * BATCH, 3 * BATCH)));
    }
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicReader.readAll(broker.plaintext(), "audit.redelivery");
    Set<String> ids = TopicReader.ids(records);
    assertEquals(3 * BATCH, ids.size(), "every event");
    assertTrue(records.size() - ids.size() <= BATCH, "duplicates at most one batch");
  }

  @Test
  void anOutageFailsDeliveriesClearlyAndLosesNothing() throws Exception {
    KafkaSinkProvider p = provider(Map.of());
    SinkTarget t = target("outage-trail", Map.of());
    List<StoredEvent> events = events(0, 20 * BATCH);
    List<String> errors = new ArrayList<>();
    AtomicInteger delivered = new AtomicInteger();
    Thread stopper =
        new Thread(
            () -> {
              while (delivered.get() < 8) {
                Thread.onSpinWait();
              }
              broker.stop(); // the server goes away while batches are being delivered
            });
    stopper.start();
    try (Sink sink = p.open(t)) {
      for (int i = 0; i < events.size(); i += BATCH) {
        DeliveryBatch b = batch(events.subList(i, i + BATCH));
        while (true) { // as the trail engine does: the same batch again until it is acknowledged
          try {
            sink.deliver(b);
            delivered.incrementAndGet();
            break;
          } catch (KafkaSinkException e) {
            errors.add(e.getMessage());
            if (errors.size() == 2) {
              stopper.join();
              broker.start(); // back after two failed attempts: the retry gets through
            }
          }
        }
      }
    }
    stopper.join();
    assertFalse(errors.isEmpty(), "deliveries failed while the broker was down");
    assertTrue(
        errors.get(0).contains("did not answer or acknowledge within 4000 ms")
            && errors.get(0).contains(broker.plaintext()),
        errors.get(0));
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicReader.readAll(broker.plaintext(), "actiontrail_outage-trail");
    Set<String> ids = TopicReader.ids(records);
    Set<String> sent = new HashSet<>();
    events.forEach(e -> sent.add(e.event().eventId()));
    assertEquals(sent, ids, "nothing lost, nothing else");
    assertTrue(
        records.size() - ids.size() <= BATCH,
        "at least once, duplicates at most one batch: " + (records.size() - ids.size()));
    System.out.printf(
        "outage: %d failed deliveries, %d records, %d distinct events%n",
        errors.size(), records.size(), ids.size());
  }

  @Test
  void badConfigurationGetsClearErrors() throws Exception {
    KafkaSinkProvider p = provider(Map.of());
    String[][] invalid = {
      {"topic", "a/b"},
      {"topic", ".."},
      {"topic", "x".repeat(250)},
      {"bootstrapServers", "no-port-here"},
      {"bootstrapServers", "host:99999"},
      {"securityProtocol", "CARRIER_PIGEON"},
      {"partitions", "0"},
      {"replicationFactor", "0"},
      {"createTopic", "perhaps"},
      {"clientId", "has spaces"},
      {"colour", "red"},
    };
    for (String[] c : invalid) {
      InvalidParameterException e =
          assertThrows(InvalidParameterException.class, () -> p.validate(Map.of(c[0], c[1])));
      assertEquals(c[0], e.parameter(), e.getMessage());
    }
    // a bad value in the operator's .cfg is named with its PID
    for (Map.Entry<String, Object> c :
        Map.<String, Object>of(
                "compression_type", "brotli",
                "bootstrap_servers", "nohost",
                "delivery_timeout_ms", 10)
            .entrySet()) {
      InvalidParameterException e =
          assertThrows(
              InvalidParameterException.class,
              () -> provider(Map.of(c.getKey(), c.getValue())).validate(Map.of()));
      assertEquals(
          "org.opentrail.sink.kafka:" + c.getKey().replace('_', '.'),
          e.parameter(),
          e.getMessage());
    }
    InvalidParameterException noPassword =
        assertThrows(
            InvalidParameterException.class,
            () -> p.validate(Map.of("securityProtocol", "SASL_PLAINTEXT", "username", "alice")));
    assertEquals("password", noPassword.parameter());

    // a destination's own servers only where the operator allows them, and never with the
    // operator's credentials
    KafkaSinkProvider strict =
        provider(
            Map.of(
                "allowed_bootstrap_servers", "Kafka-2.example.com:9092",
                "security_protocol", "SASL_SSL",
                "sasl_username", "operator",
                "sasl_password", "operator-secret"));
    strict.validate(Map.of()); // the operator's cluster with the operator's credentials
    strict.validate(Map.of("bootstrapServers", broker.plaintext())); // the same, named
    for (String server :
        List.of("169.254.169.254:80", "127.0.0.1:22", "kafka-3.example.com:9092")) {
      InvalidParameterException e =
          assertThrows(
              InvalidParameterException.class,
              () ->
                  strict.validate(
                      Map.of("bootstrapServers", server, "username", "u", "password", "p")));
      assertEquals("bootstrapServers", e.parameter());
      assertTrue(
          e.getMessage().contains("is not one this OpenTrail may deliver to"), e.getMessage());
    }
    InvalidParameterException borrowed =
        assertThrows(
            InvalidParameterException.class,
            () -> strict.validate(Map.of("bootstrapServers", "kafka-2.example.com:9092")));
    assertEquals("username", borrowed.parameter(), borrowed.getMessage());
    strict.validate(
        Map.of("bootstrapServers", "kafka-2.example.com:9092", "username", "u", "password", "p"));

    long started = System.nanoTime();
    String unreachable =
        assertThrows(
                KafkaSinkException.class,
                () -> p.open(target("t", Map.of("bootstrapServers", KafkaBroker.nowhere()))))
            .getMessage();
    assertTrue(unreachable.contains("did not answer or acknowledge within 4000 ms"), unreachable);
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(8).toNanos(), "fails in seconds");

    Map<String, String> sasl =
        Map.of("bootstrapServers", broker.sasl(), "securityProtocol", "SASL_PLAINTEXT");
    String wrong = withCredentials(p, sasl, "alice", "not-her-secret");
    assertTrue(wrong.contains("refused the credentials of user 'alice'"), wrong);
    assertFalse(wrong.contains("not-her-secret"), "no secret in an error");
    String denied = withCredentials(p, sasl, "bob", "bob-secret");
    assertTrue(denied.contains("user 'bob' is not allowed to use topic 'actiontrail_t'"), denied);
    String missing =
        assertThrows(
                KafkaSinkException.class,
                () -> p.open(target("t", Map.of("topic", "absent", "createTopic", "false"))))
            .getMessage();
    assertTrue(missing.contains("has no topic 'absent' and createTopic is false"), missing);

    // an event above max.request.size fails its batch, clearly, every time: never dropped
    KafkaSinkProvider small = provider(Map.of("max_request_size", 2048));
    StoredEvent big =
        new StoredEvent(
            1,
            0,
            EventJson.parseEvent(
                ("{\"eventId\":\"big-1\",\"eventName\":\"PutObject\",\"pad\":\""
                        + "x".repeat(4000)
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
    try (Sink sink = small.open(target("t", Map.of("topic", "too-large")))) {
      for (int attempt = 0; attempt < 2; attempt++) {
        String tooLarge =
            assertThrows(KafkaSinkException.class, () -> sink.deliver(batch(List.of(big))))
                .getMessage();
        assertTrue(tooLarge.contains("RecordTooLargeException"), tooLarge);
      }
    }

    // the right credentials work over SASL/PLAIN
    Map<String, String> alice = new HashMap<>(sasl);
    alice.putAll(Map.of("username", "alice", "password", "alice-secret", "topic", "sasl-topic"));
    try (Sink sink = p.open(target("t", alice))) {
      deliverAll(sink, events(0, 10));
    }
    assertEquals(10, TopicReader.readAll(broker.plaintext(), "sasl-topic").size());
  }

  private static String withCredentials(
      KafkaSinkProvider p, Map<String, String> sasl, String user, String password) {
    Map<String, String> c = new HashMap<>(sasl);
    c.put("username", user);
    c.put("password", password);
    return assertThrows(KafkaSinkException.class, () -> p.open(target("t", c))).getMessage();
  }

  @Test
  void resourceIsNormalisedAndHoldsNoSecret() {
    KafkaSinkProvider p = provider(Map.of());
    Map<String, String> c =
        Map.of(
            "bootstrapServers",
                "KAFKA-2.example.com:9093; kafka-1.example.com:9092 kafka-2.example.com:9093",
            "topic", "audit",
            "securityProtocol", "SASL_SSL",
            "username", "u",
            "password", "s3cret");
    String r = p.resource(target("t", c));
    assertEquals("kafka://kafka-1.example.com:9092,kafka-2.example.com:9093/audit", r);
    assertEquals(Set.of("password"), p.secretKeys());
    assertFalse(p.settings(target("t", c)).toString().contains("s3cret"));
    InvalidParameterException path =
        assertThrows(
            InvalidParameterException.class, () -> p.validate(Map.of("truststore", "/etc/shadow")));
    assertEquals("truststore", path.parameter(), "no file of this machine for a tenant");
  }
}
