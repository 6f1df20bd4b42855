package org.opentrail.sink.kafka;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes sure a destination's topic exists before it is written, creating it when allowed. */
final class Topics {
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  /**
   * Waits until every partition of a topic just created has a leader: a producer writing before
   * that meets NOT_LEADER_OR_FOLLOWER, and its idempotent retries could then be refused as out of
   * order.
   */
  private static void awaitLeaders(Admin admin, KafkaSettings s)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(s.timeoutMs());
    while (true) {
      TopicDescription d = null;
      try {
        d =
            admin
                .describeTopics(List.of(s.topic()))
                .allTopicNames()
                .get(s.timeoutMs(), TimeUnit.MILLISECONDS)
                .get(s.topic());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e; // not yet known to the broker answering is the one failure to wait out
        }
      }
      if (d != null
          && !d.partitions().isEmpty()
          && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new java.util.concurrent.TimeoutException(
            "partitions of " + s.topic() + " have no leader yet");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Checks that the topic of {@code s} exists; creates it ({@code partitions}, {@code
   * replicationFactor}, -1 = the broker's default) if it does not and {@code createTopic} is true.
   *
   * @throws KafkaSinkException if the cluster cannot be reached within the timeout, refuses the
   *     credentials or the topic, or the topic is missing and may not be created
   */
  static void ensure(KafkaSettings s) throws KafkaSinkException {
    try (Admin admin =
        KafkaSinkProvider.withBundleLoader(() -> Admin.create(ClientProperties.admin(s)))) {
      try {
        admin
            .describeTopics(List.of(s.topic()))
            .allTopicNames()
            .get(s.timeoutMs(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw KafkaSinkException.explain(e, s, "looking up topic '" + s.topic() + "'");
        }
      }
      if (!s.createTopic()) {
        throw new KafkaSinkException(
            "Kafka at "
                + s.servers()
                + " has no topic '"
                + s.topic()
                + "' and createTopic is false: create the topic, or set createTopic=true",
            null);
      }
      NewTopic topic =
          new NewTopic(
              s.topic(),
              Optional.of(s.partitions()),
              s.replicationFactor() < 0 ? Optional.empty() : Optional.of(s.replicationFactor()));
      try {
        admin.createTopics(List.of(topic)).all().get(s.timeoutMs(), TimeUnit.MILLISECONDS);
        awaitLeaders(admin, s);
        LOG.info(
            "Created topic {} on {} with {} partitions", s.topic(), s.servers(), s.partitions());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw KafkaSinkException.explain(e, s, "creating topic '" + s.topic() + "'");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSinkException("Interrupted while checking topic '" + s.topic() + "'", e);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      throw KafkaSinkException.explain(e, s, "checking topic '" + s.topic() + "'");
    }
  }
}
