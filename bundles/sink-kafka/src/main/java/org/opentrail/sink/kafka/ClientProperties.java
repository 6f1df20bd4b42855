package org.opentrail.sink.kafka;

import java.util.Properties;

/**
 * The Kafka client properties of a destination's {@link KafkaSettings}: connection and security
 * (SASL through a {@code sasl.jaas.config} built here, whose password Kafka itself never logs), an
 * idempotent producer with {@code acks=all}, and an admin client, each bounded by {@code
 * delivery.timeout.ms}.
 */
final class ClientProperties {
  private ClientProperties() {}

  /** Connection and security properties shared by the producer and the admin client. */
  static Properties common(KafkaSettings s) {
    Properties p = new Properties();
    p.put("bootstrap.servers", s.servers());
    p.put("client.id", s.clientId());
    p.put("security.protocol", s.securityProtocol());
    p.put("reconnect.backoff.max.ms", "1000");
    if (s.securityProtocol().startsWith("SASL_")) {
      p.put("sasl.mechanism", s.saslMechanism());
      String module =
          s.saslMechanism().equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put(
          "sasl.jaas.config",
          module
              + " required username="
              + quote(s.username())
              + " password="
              + quote(s.password())
              + ";");
    }
    if (s.securityProtocol().endsWith("SSL") && !s.truststore().isEmpty()) {
      p.put("ssl.truststore.location", s.truststore());
      p.put("ssl.truststore.type", s.truststoreType());
      if (!s.truststorePassword().isEmpty()) {
        p.put("ssl.truststore.password", s.truststorePassword());
      }
    }
    return p;
  }

  /** An idempotent producer with acks=all, whose sends fail within {@code delivery.timeout.ms}. */
  static Properties producer(KafkaSettings s) {
    Properties p = common(s);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("compression.type", s.compression());
    p.put("linger.ms", Integer.toString(s.lingerMs()));
    p.put("batch.size", Integer.toString(s.batchSize()));
    p.put("max.request.size", Integer.toString(s.maxRequestSize()));
    p.put("max.block.ms", Integer.toString(s.timeoutMs()));
    p.put(
        "request.timeout.ms", Integer.toString(Math.max(1000, (s.timeoutMs() - s.lingerMs()) / 2)));
    p.put("delivery.timeout.ms", Integer.toString(s.timeoutMs()));
    return p;
  }

  /** An admin client whose calls fail within {@code delivery.timeout.ms}. */
  static Properties admin(KafkaSettings s) {
    Properties p = common(s);
    p.put("default.api.timeout.ms", Integer.toString(s.timeoutMs()));
    p.put("request.timeout.ms", Integer.toString(Math.max(1000, s.timeoutMs() / 2)));
    return p;
  }

  /** A JAAS option value: in double quotes, with backslash and double quote escaped. */
  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
