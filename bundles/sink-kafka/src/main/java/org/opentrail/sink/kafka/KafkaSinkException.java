package org.opentrail.sink.kafka;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A delivery or a topic check that failed, in words an operator acts on: the server, the topic, the
 * user (never the password) and what to do. The trail engine shows it as the destination's last
 * error and tries again later. Kafka's own exception is the cause.
 */
final class KafkaSinkException extends Exception {
  private static final long serialVersionUID = 1L;

  KafkaSinkException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Explains {@code failure} (unwrapping {@link ExecutionException}) met while {@code doing}, e.g.
   * "delivering 500 events".
   */
  static KafkaSinkException explain(Throwable failure, KafkaSettings s, String doing) {
    Throwable t = failure;
    while (t instanceof ExecutionException && t.getCause() != null) {
      t = t.getCause();
    }
    String where = "Kafka at " + s.servers();
    String user = s.username().isEmpty() ? "anonymous" : "user '" + s.username() + "'";
    String message;
    if (t instanceof AuthenticationException) {
      message =
          where
              + " refused the credentials of "
              + user
              + " ("
              + s.securityProtocol()
              + " "
              + s.saslMechanism()
              + ") while "
              + doing
              + ": check username and password";
    } else if (t instanceof TopicAuthorizationException) {
      message =
          where
              + ": "
              + user
              + " is not allowed to use topic '"
              + s.topic()
              + "' while "
              + doing
              + ": grant it DESCRIBE and WRITE (and CREATE to create the topic)";
    } else if (t instanceof AuthorizationException) {
      message = where + ": " + user + " is not authorized while " + doing + ": " + t.getMessage();
    } else if (t instanceof UnknownTopicOrPartitionException) {
      message =
          where
              + " has no topic '"
              + s.topic()
              + "' while "
              + doing
              + ": create it, or set createTopic=true";
    } else if (t instanceof TimeoutException
        || t instanceof java.util.concurrent.TimeoutException) {
      message =
          where
              + " did not answer or acknowledge within "
              + s.timeoutMs()
              + " ms while "
              + doing
              + ": the bootstrap servers are unreachable or the cluster is unavailable"
              + (t.getMessage() == null ? "" : " (Kafka: " + t.getMessage() + ")");

    } else {
      message =
          where
              + " failed while "
              + doing
              + ": "
              + t.getClass().getSimpleName()
              + ": "
              + t.getMessage();
    }
    return new KafkaSinkException(message, t);
  }
}
