package org.opentrail.sink.kafka;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sink type {@code kafka}: a topic per trail for downstream consumers, {@code actiontrail_<trail>}
 * unless the destination names a {@code topic}. The operator's configuration ({@link
 * KafkaSinkConfig}) gives the cluster and its security; a destination may name its own ({@code
 * bootstrapServers}, {@code securityProtocol}, {@code saslMechanism}, {@code username}, {@code
 * password}) and how its topic is created ({@code createTopic}, {@code partitions}, {@code
 * replicationFactor}). Records are described in {@link KafkaSink}; docs/sinks/kafka.md is the
 * operator's page.
 */
@Component(
    service = {SinkProvider.class, ResourceSinkProvider.class},
    property = SinkProvider.TYPE + "=kafka",
    configurationPid = KafkaSinkConfig.PID)
@Designate(ocd = KafkaSinkConfig.class)
public final class KafkaSinkProvider implements ResourceSinkProvider {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkProvider.class);

  private volatile KafkaSinkConfig config;

  @Activate
  public KafkaSinkProvider(KafkaSinkConfig config) {
    this.config = config;
    LOG.info("Kafka sink ready; default cluster {}", safeServers(config));
  }

  /**
   * A changed .cfg applies to destinations opened from now on (the engine reopens a destination
   * after a failed delivery); open ones keep the settings they were opened with.
   */
  @Modified
  void modified(KafkaSinkConfig config) {
    this.config = config;
    LOG.info("Kafka sink configuration changed; default cluster {}", safeServers(config));
  }

  private static String safeServers(KafkaSinkConfig config) {
    try {
      return KafkaSettings.servers("bootstrap.servers", config.bootstrap_servers());
    } catch (RuntimeException e) {
      return "(invalid: " + e.getMessage() + ")";
    }
  }

  /**
   * @throws org.opentrail.api.InvalidParameterException naming the destination key (or {@code
   *     org.opentrail.sink.kafka:<key>} for the operator's .cfg) and what is expected
   */
  @Override
  public void validate(Map<String, String> destination) {
    // the default topic actiontrail_<trail> is valid for every legal trail name
    KafkaSettings.of(config, destination, "trail");
  }

  /** {@code kafka://<host:port,... sorted, lower-case>/<topic>}; no credentials. */
  @Override
  public String resource(SinkTarget target) {
    return settings(target).resource();
  }

  /** {@code password} (SASL). */
  @Override
  public Set<String> secretKeys() {
    return KafkaSettings.SECRETS;
  }

  /**
   * Checks (or creates) the topic and returns a sink writing into it.
   *
   * @throws KafkaSinkException if the cluster is unreachable, refuses the credentials or the topic,
   *     or the topic is missing and may not be created
   */
  @Override
  public Sink open(SinkTarget target) throws KafkaSinkException {
    KafkaSettings s = settings(target);
    Topics.ensure(s);
    LOG.info("Destination {}/{} writes to {}", target.trailName(), target.destinationId(), s);
    return new KafkaSink(s, target.accountId());
  }

  KafkaSettings settings(SinkTarget target) {
    return KafkaSettings.of(config, target.config(), target.trailName());
  }

  /**
   * Runs {@code action} with this bundle's class loader as the thread's context class loader: the
   * Kafka client finds its configuration classes and SASL login modules through it.
   */
  static <T> T withBundleLoader(Supplier<T> action) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(KafkaSinkProvider.class.getClassLoader());
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
