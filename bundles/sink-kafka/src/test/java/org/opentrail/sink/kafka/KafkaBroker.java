package org.opentrail.sink.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka 4 broker (KRaft, combined broker + controller) in the test JVM, on free
 * loopback ports, for tests and the benchmark. Three listeners: {@link #plaintext()} (anonymous, a
 * super user), {@link #sasl()} (SASL/PLAIN; user {@code alice}/{@code alice-secret} is a super
 * user, {@code bob}/{@code bob-secret} has no ACL and may do nothing) and the controller's. The
 * standard authorizer is on and brokers never create topics by themselves.
 */
public final class KafkaBroker implements AutoCloseable {
  private final int plainPort;
  private final int saslPort;
  private final int controllerPort;
  private final KafkaConfig config;
  private KafkaRaftServer server;

  /** Formats storage under {@code dir} and starts the broker; returns when it serves requests. */
  public KafkaBroker(Path dir) throws Exception {
    this.plainPort = freePort();
    this.saslPort = freePort();
    this.controllerPort = freePort();
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + plainPort
            + ",SASL_PLAINTEXT://127.0.0.1:"
            + saslPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort);
    p.put(
        "advertised.listeners",
        "PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("sasl.enabled.mechanisms", "PLAIN");
    p.put(
        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_alice=\"alice-secret\" user_bob=\"bob-secret\";");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:ANONYMOUS;User:alice");
    p.put("log.dirs", logs.toString());
    p.put("metadata.log.dir", logs.toString());
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    p.put("controlled.shutdown.enable", "false");
    this.config = new KafkaConfig(p, false);
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .addDirectory(logs.toString())
        .setMetadataLogDirectory(logs.toString())
        .setReleaseVersion(MetadataVersion.latestProduction())
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setControllerListenerName("CONTROLLER")
        .run();
    start();
  }

  /** Starts the broker on its ports and data (again); returns when it serves requests. */
  public synchronized void start() throws Exception {
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                plaintext(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "30000"))) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    }
  }

  /** Stops the broker (its data stays); clients see it unreachable until {@link #start()}. */
  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** The anonymous, all-powerful listener, {@code 127.0.0.1:<port>}. */
  public String plaintext() {
    return "127.0.0.1:" + plainPort;
  }

  /** The SASL/PLAIN listener, {@code 127.0.0.1:<port>}. */
  public String sasl() {
    return "127.0.0.1:" + saslPort;
  }

  /** A loopback address where nothing listens. */
  public static String nowhere() throws IOException {
    return "127.0.0.1:" + freePort();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
