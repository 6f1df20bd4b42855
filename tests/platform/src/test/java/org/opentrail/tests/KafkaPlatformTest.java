package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.sink.kafka.KafkaBroker;
import org.opentrail.sink.kafka.TopicReader;
import org.osgi.framework.Bundle;

/**
 * The kafka sink hot-installed into a running OpenTrail (real Felix, real bundles) while events are
 * recorded, delivering to a real Kafka broker in this JVM; stopped, uninstalled and installed again
 * mid-delivery. Every event arrives; at least once, with duplicates bounded by one batch per
 * interruption (the engine's batch.max.events, 10,000).
 */
class KafkaPlatformTest {
  static final Path KAFKA_SINK = Instance.HOME.resolve("bundles/org.opentrail.sink.kafka.jar");
  static final Path LZ4 = Instance.HOME.resolve("bundles/lz4-java.jar");
  static final int MAX_BATCH = 10_000;

  @TempDir Path dir;

  @Test
  void theKafkaSinkHotInstalledStoppedAndReinstalledUnderLoadDeliversEveryEvent() throws Exception {
    Path data = dir.resolve("data");
    try (KafkaBroker broker = new KafkaBroker(dir.resolve("kafka"))) {
      // the operator's .cfg names the cluster; written before the start, as an operator would
      Files.createDirectories(data.resolve("etc"));
      Files.writeString(
          data.resolve("etc/org.opentrail.sink.kafka.cfg"),
          "bootstrap.servers = "
              + broker.plaintext()
              + "\nallowed.bootstrap.servers = "
              + broker.plaintext().replace("127.0.0.1", "localhost")
              + "\ndelivery.timeout.ms = 5000\n");
      try (Instance ot = new Instance(data, List.of("core", "shell", "trail"))) {
        run(broker, ot);
      }
    }
  }

  private static void run(KafkaBroker broker, Instance ot) throws Exception {
    ot.run("auth:grant"); // the account lets trails deliver (the delivery role)
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean counting = new AtomicBoolean(false);
    AtomicBoolean recording = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 100; i++) {
                  boolean count = counting.get();
                  List<String> batch = ot.record(250, "kafka-" + i % 5);
                  if (count) {
                    ids.addAll(batch);
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                recording.set(false);
              }
            });
    writer.start();

    // hot install while events are being recorded: only the core and this sink's bundles
    Bundle lz4 = install(ot, "hot:lz4", LZ4);
    Bundle sink = install(ot, "hot:kafka", KAFKA_SINK);
    lz4.start();
    sink.start();
    Instance.await(
        Duration.ofSeconds(20),
        () -> ot.run("sink:list").contains("org.opentrail.sink.kafka"),
        "sink type kafka to be registered");
    // a destination naming its own cluster: several servers, quoted for the shell
    ot.run(
        "trail:create kafka-quoted \"kafka:bootstrapServers="
            + broker.plaintext()
            + ";"
            + broker.plaintext().replace("127.0.0.1", "localhost")
            + ",topic=audit.quoted\"");
    assertTrue(ot.run("trail:list").contains("kafka-quoted"));
    ot.run("trail:create kafka-trail --start kafka:partitions=2");
    counting.set(true); // what is recorded from now on must all reach the topic
    Instance.await(Duration.ofSeconds(30), () -> ids.size() >= 5_000, "recording under way");

    sink.stop();
    Instance.await(
        Duration.ofSeconds(10),
        () -> ot.run("trail:status kafka-trail").contains("waiting for sink type kafka"),
        "the kafka destination to wait");
    sink.start();
    Instance.await(Duration.ofSeconds(30), () -> ids.size() >= 10_000, "more recorded");

    sink.uninstall();
    Instance.await(
        Duration.ofSeconds(10),
        () -> ot.run("trail:status kafka-trail").contains("waiting for sink type kafka"),
        "the kafka destination to wait again");
    Instance.await(
        Duration.ofSeconds(10),
        () -> producerThreads() == 0,
        "the uninstalled sink's producer threads to end");
    install(ot, "reinstalled:kafka", KAFKA_SINK).start();

    writer.join(120_000);
    assertFalse(recording.get());
    ot.awaitDelivered("kafka-trail", Duration.ofSeconds(60));

    List<ConsumerRecord<byte[], byte[]>> records =
        TopicReader.readAll(broker.plaintext(), "actiontrail_kafka-trail");
    Map<String, Integer> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      seen.merge(TopicReader.header(r, "eventId"), 1, Integer::sum);
      String json = new String(r.value(), StandardCharsets.UTF_8);
      assertTrue(json.contains("\"eventId\":\"" + TopicReader.header(r, "eventId") + "\""));
      assertEquals(ot.account(), new String(r.key(), StandardCharsets.UTF_8));
    }
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      if (!seen.containsKey(id)) {
        missing.add(id);
      }
    }
    assertEquals(List.of(), missing, "every event recorded after the trail started");
    long duplicates = records.size() - seen.size();
    assertTrue(
        duplicates <= 2L * MAX_BATCH,
        "at least once: duplicates at most one batch per interruption, not " + duplicates);
    assertTrue(ids.size() >= 10_000, "recorded " + ids.size());
    System.out.printf(
        "kafka platform: %d counted events, %d records, %d distinct, %d duplicates%n",
        ids.size(), records.size(), seen.size(), duplicates);
  }

  /** Live network threads of this test's producers (client.id opentrail-kafka-trail). */
  private static long producerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().contains("opentrail-kafka-trail") && t.isAlive())
        .count();
  }

  @Test
  void theFeatureAloneBringsTheSinkUp() throws Exception {
    try (Instance ot = new Instance(dir.resolve("data"), List.of("core", "shell", "sink-kafka"))) {
      assertEquals(Bundle.ACTIVE, ot.bundle("org.opentrail.sink.kafka").getState());
      assertEquals(Bundle.ACTIVE, ot.bundle("lz4-java").getState());
      assertTrue(ot.run("sink:list").contains("org.opentrail.sink.kafka"));
      String error = ot.fails("trail:create bad-topic-trail kafka:topic=no/slashes");
      assertTrue(error.startsWith("InvalidParameter: ") && error.contains("topic"), error);
      // with no .cfg only the default cluster: a tenant cannot point OpenTrail elsewhere
      String elsewhere =
          ot.fails("trail:create elsewhere-trail kafka:bootstrapServers=10.0.0.1:9092");
      assertTrue(
          elsewhere.startsWith("InvalidParameter: ")
              && elsewhere.contains("is not one this OpenTrail may deliver to"),
          elsewhere);
    }
  }

  private static Bundle install(Instance ot, String location, Path jar) throws Exception {
    try (InputStream in = Files.newInputStream(jar)) {
      return ot.context().installBundle(location, in);
    }
  }
}
