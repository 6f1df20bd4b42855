package org.opentrail.sink.kafka;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Operator configuration of the Kafka sink (PID {@code org.opentrail.sink.kafka}, e.g. {@code
 * etc/org.opentrail.sink.kafka.cfg}): the server every destination uses unless it names its own,
 * and how topics are created and written. Attribute {@code a_b} is key {@code a.b} in the .cfg.
 */
@ObjectClassDefinition(
    name = "OpenTrail Kafka sink",
    description = "Default Kafka cluster, security and producer settings of sink type kafka.")
public @interface KafkaSinkConfig {
  String PID = "org.opentrail.sink.kafka";

  @AttributeDefinition(
      description =
          "Bootstrap servers, host:port separated by ',', ';' or spaces (a destination may override it with bootstrapServers).")
  String bootstrap_servers() default "localhost:9092";

  @AttributeDefinition(
      description =
          "Servers (host:port, separated by ',', ';' or spaces) a destination may name in bootstrapServers besides bootstrap.servers; '*' for any. Empty: only bootstrap.servers.")
  String allowed_bootstrap_servers() default "";

  @AttributeDefinition(
      description =
          "client.id prefix of the producers (the trail is appended); destination key clientId replaces it.")
  String client_id() default "opentrail";

  @AttributeDefinition(
      description =
          "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (destination key securityProtocol).")
  String security_protocol() default "PLAINTEXT";

  @AttributeDefinition(
      description =
          "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, used with SASL_* (destination key saslMechanism).")
  String sasl_mechanism() default "PLAIN";

  @AttributeDefinition(description = "SASL user name (destination key username).")
  String sasl_username() default "";

  @AttributeDefinition(
      description = "SASL password (destination key password); never logged.",
      type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
  String sasl_password() default "";

  @AttributeDefinition(
      description =
          "Trust store file for SSL/SASL_SSL, for every cluster (add the CAs of allowed.bootstrap.servers); empty means the JVM's trusted CAs.")
  String ssl_truststore_location() default "";

  @AttributeDefinition(
      description = "Password of the trust store.",
      type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
  String ssl_truststore_password() default "";

  @AttributeDefinition(description = "Trust store type: PKCS12, JKS or PEM.")
  String ssl_truststore_type() default "PKCS12";

  @AttributeDefinition(
      description =
          "Create a destination's topic when it is missing (destination key createTopic); false means a missing topic is an error.")
  boolean topic_create() default true;

  @AttributeDefinition(description = "Partitions of a created topic (destination key partitions).")
  int topic_partitions() default 3;

  @AttributeDefinition(
      description =
          "Replication factor of a created topic; -1 means the broker's default.replication.factor (destination key replicationFactor).")
  int topic_replication_factor() default -1;

  @AttributeDefinition(
      description =
          "Record compression: lz4 (fastest), zstd (smallest, about half the throughput), gzip or none.")
  String compression_type() default "lz4";

  @AttributeDefinition(description = "Producer linger.ms: how long records wait to fill a batch.")
  int linger_ms() default 5;

  @AttributeDefinition(description = "Producer batch.size in bytes (per partition).")
  int batch_size() default 262144;

  @AttributeDefinition(
      description =
          "Producer max.request.size in bytes: the largest record (one event) it sends; the broker's message.max.bytes must allow it too.")
  int max_request_size() default 1048576;

  @AttributeDefinition(
      description =
          "Bound in ms on one delivery: connecting, metadata and acknowledgement of every record (max.block.ms and delivery.timeout.ms derive from it).")
  int delivery_timeout_ms() default 15000;
}
