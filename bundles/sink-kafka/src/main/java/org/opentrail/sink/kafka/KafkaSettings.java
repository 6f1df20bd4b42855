package org.opentrail.sink.kafka;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;

/**
 * The effective settings of one destination: the operator's {@link KafkaSinkConfig} overridden by
 * the destination's own keys, checked. Building one throws {@link InvalidParameterException} naming
 * the destination key (or the .cfg key, prefixed with the PID) and saying what is expected; no
 * message ever holds a password.
 *
 * @param servers bootstrap servers, normalised: {@code host:port} with a lower-case host, sorted,
 *     without duplicates, joined by ','
 * @param topic the topic written, {@code actiontrail_<trail>} unless the destination names one
 */
record KafkaSettings(
    String servers,
    String topic,
    String clientId,
    String securityProtocol,
    String saslMechanism,
    String username,
    String password,
    String truststore,
    String truststorePassword,
    String truststoreType,
    boolean createTopic,
    int partitions,
    short replicationFactor,
    String compression,
    int lingerMs,
    int batchSize,
    int maxRequestSize,
    int timeoutMs) {

  static final String TOPIC = "topic";
  static final String BOOTSTRAP_SERVERS = "bootstrapServers";
  static final String CLIENT_ID = "clientId";
  static final String SECURITY_PROTOCOL = "securityProtocol";
  static final String SASL_MECHANISM = "saslMechanism";
  static final String USERNAME = "username";
  static final String PASSWORD = "password";
  static final String CREATE_TOPIC = "createTopic";
  static final String PARTITIONS = "partitions";
  static final String REPLICATION_FACTOR = "replicationFactor";

  /** Every key a destination may set. */
  static final Set<String> KEYS =
      Set.of(
          TOPIC,
          BOOTSTRAP_SERVERS,
          CLIENT_ID,
          SECURITY_PROTOCOL,
          SASL_MECHANISM,
          USERNAME,
          PASSWORD,
          CREATE_TOPIC,
          PARTITIONS,
          REPLICATION_FACTOR);

  /**
   * The keys whose values are secrets. The trust store is the operator's only: a destination naming
   * a file path would let a tenant make OpenTrail open files of this machine.
   */
  static final Set<String> SECRETS = Set.of(PASSWORD);

  /** Kafka's legal topic names (org.apache.kafka.common.internals.Topic): 1 to 249 of these. */
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private static final Pattern CLIENT_ID_CHARS = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");
  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
  private static final Set<String> COMPRESSIONS = Set.of("zstd", "lz4", "gzip", "none");

  /**
   * The settings of a destination of {@code trail}.
   *
   * @throws InvalidParameterException for an unknown key or a bad value
   */
  static KafkaSettings of(KafkaSinkConfig cfg, Map<String, String> dest, String trail) {
    for (String k : dest.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InvalidParameterException(
            k,
            "The kafka sink has no configuration key '"
                + k
                + "'; its keys are "
                + String.join(", ", new TreeSet<>(KEYS))
                + ".");
      }
    }
    String topic = dest.getOrDefault(TOPIC, "actiontrail_" + trail);
    checkTopic(topic);
    String operatorServers = servers(cfgKey("bootstrap.servers"), cfg.bootstrap_servers());
    String servers =
        dest.containsKey(BOOTSTRAP_SERVERS)
            ? servers(BOOTSTRAP_SERVERS, dest.get(BOOTSTRAP_SERVERS))
            : operatorServers;
    boolean ownCluster = !servers.equals(operatorServers);
    if (ownCluster) {
      checkAllowed(servers, operatorServers, cfg.allowed_bootstrap_servers());
    }
    String protocol =
        oneOf(
            dest, SECURITY_PROTOCOL, "security.protocol", cfg.security_protocol(), PROTOCOLS, true);
    String mechanism =
        oneOf(dest, SASL_MECHANISM, "sasl.mechanism", cfg.sasl_mechanism(), MECHANISMS, true);
    // the operator's credentials are only ever sent to the operator's cluster
    String username = dest.getOrDefault(USERNAME, ownCluster ? "" : cfg.sasl_username());
    String password = dest.getOrDefault(PASSWORD, ownCluster ? "" : cfg.sasl_password());
    if (protocol.startsWith("SASL_") && (username.isEmpty() || password.isEmpty())) {
      throw new InvalidParameterException(
          username.isEmpty() ? USERNAME : PASSWORD,
          "securityProtocol "
              + protocol
              + " needs a username and a password"
              + (ownCluster
                  ? " of the destination's own: the operator's are only sent to its bootstrap.servers."
                  : "."));
    }
    String compression =
        oneOf(Map.of(), "", "compression.type", cfg.compression_type(), COMPRESSIONS, false);
    return new KafkaSettings(
        servers,
        topic,
        clientId(dest, cfg, trail),
        protocol,
        mechanism,
        username,
        password,
        cfg.ssl_truststore_location(),
        cfg.ssl_truststore_password(),
        cfg.ssl_truststore_type(),
        bool(dest, CREATE_TOPIC, cfg.topic_create()),
        number(dest, PARTITIONS, "topic.partitions", cfg.topic_partitions(), 1, 10_000),
        (short)
            number(
                dest,
                REPLICATION_FACTOR,
                "topic.replication.factor",
                cfg.topic_replication_factor(),
                -1,
                32),
        compression,
        number(Map.of(), "", "linger.ms", cfg.linger_ms(), 0, 10_000),
        number(Map.of(), "", "batch.size", cfg.batch_size(), 1024, 64 << 20),
        number(Map.of(), "", "max.request.size", cfg.max_request_size(), 1024, 256 << 20),
        number(Map.of(), "", "delivery.timeout.ms", cfg.delivery_timeout_ms(), 2000, 600_000));
  }

  /** The destination's clientId as given, else the .cfg's client.id + "-" + the trail. */
  private static String clientId(Map<String, String> dest, KafkaSinkConfig cfg, String trail) {
    String key = dest.containsKey(CLIENT_ID) ? CLIENT_ID : cfgKey("client.id");
    String v = dest.containsKey(CLIENT_ID) ? dest.get(CLIENT_ID) : cfg.client_id() + "-" + trail;
    if (!CLIENT_ID_CHARS.matcher(v).matches()) {
      throw new InvalidParameterException(
          key, key + " is 1 to 200 letters, digits, '.', '_' and '-', not '" + v + "'.");
    }
    return v;
  }

  /**
   * Refuses a destination's own servers unless each is one of the operator's {@code
   * bootstrap.servers} or listed in {@code allowed.bootstrap.servers} ({@code *}: any), so that a
   * tenant cannot make OpenTrail connect into the internal network, to this machine or the cloud
   * metadata service.
   */
  private static void checkAllowed(String servers, String operatorServers, String allowed) {
    Set<String> ok = new TreeSet<>(List.of(operatorServers.split(",")));
    if (!allowed.isBlank()) {
      if (allowed.strip().equals("*")) {
        return;
      }
      ok.addAll(List.of(servers(cfgKey("allowed.bootstrap.servers"), allowed).split(",")));
    }
    for (String server : servers.split(",")) {
      if (!ok.contains(server)) {
        throw new InvalidParameterException(
            BOOTSTRAP_SERVERS,
            "The bootstrap server "
                + server
                + " is not one this OpenTrail may deliver to: the operator allows its bootstrap.servers"
                + " and those in allowed.bootstrap.servers of "
                + KafkaSinkConfig.PID
                + ".");
      }
    }
  }

  /** {@code kafka://<servers>/<topic>}: the same for every destination writing the same topic. */
  String resource() {
    return "kafka://" + servers + "/" + topic;
  }

  static void checkTopic(String topic) {
    if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new InvalidParameterException(
          TOPIC,
          "A Kafka topic name is 1 to 249 letters, digits, '.', '_' and '-', and not '.' or '..'; '"
              + topic
              + "' is not.");
    }
  }

  /** Normalises a list of {@code host:port} separated by ',', ';' or white space. */
  static String servers(String key, String value) {
    TreeSet<String> out = new TreeSet<>();
    for (String s : value.strip().split("[,;\\s]+")) {
      var m = HOST_PORT.matcher(s);
      int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
      if (port < 1 || port > 65535) {
        throw new InvalidParameterException(
            key,
            key
                + " is a list of host:port (port 1 to 65535) separated by ',', ';' or spaces; '"
                + s
                + "' is not host:port.");
      }
      out.add(m.group(1).toLowerCase(Locale.ROOT) + ":" + port);
    }
    return String.join(",", out);
  }

  private static String cfgKey(String key) {
    return KafkaSinkConfig.PID + ":" + key;
  }

  private static String oneOf(
      Map<String, String> dest,
      String key,
      String cfgKey,
      String dflt,
      Set<String> allowed,
      boolean upper) {
    String name = dest.containsKey(key) ? key : cfgKey(cfgKey);
    String v = dest.getOrDefault(key, dflt).strip();
    v = upper ? v.toUpperCase(Locale.ROOT) : v.toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new InvalidParameterException(
          name, name + " is one of " + new TreeSet<>(allowed) + ", not '" + v + "'.");
    }
    return v;
  }

  private static int number(
      Map<String, String> dest, String key, String cfgKey, int dflt, int min, int max) {
    String name = dest.containsKey(key) ? key : cfgKey(cfgKey);
    String v = dest.containsKey(key) ? dest.get(key).strip() : Integer.toString(dflt);
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max && (n != 0 || min > 0 || !key.equals(REPLICATION_FACTOR))) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new InvalidParameterException(
        name, name + " is a whole number from " + min + " to " + max + ", not '" + v + "'.");
  }

  private static boolean bool(Map<String, String> dest, String key, boolean dflt) {
    String v = dest.get(key);
    if (v == null) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new InvalidParameterException(key, key + " is true or false, not '" + v + "'.");
  }

  /** Never shows a secret. */
  @Override
  public String toString() {
    return resource() + " as " + (username.isEmpty() ? "anonymous" : username);
  }
}
