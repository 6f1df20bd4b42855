package org.opentrail.sink.jdbc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Operator configuration of the JDBC sink (PID {@code org.opentrail.sink.jdbc}, e.g. {@code
 * org.opentrail.sink.jdbc.cfg} in {@code deploy/}): the server that destinations without their own
 * {@code url} write into, and how. Documented key by key in {@code features/sink-jdbc.cfg}.
 */
@ObjectClassDefinition(
    name = "OpenTrail JDBC sink",
    description = "The default database of jdbc destinations, and how they load events.")
public @interface JdbcSinkConfig {
  String PID = "org.opentrail.sink.jdbc";

  @AttributeDefinition(
      description =
          "JDBC URL of the default database, e.g. jdbc:postgresql://db.example.com:5432/audit; empty: every destination names its own url.")
  String url() default "";

  @AttributeDefinition(
      description =
          "Databases (comma-separated JDBC URLs up to the server or database, e.g. jdbc:postgresql://dw.internal:5432/) that destinations may name as their url besides the default; '*' for any. Empty: only the default.")
  String allowed_urls() default "";

  @AttributeDefinition(description = "User name for the default database.")
  String user() default "";

  @AttributeDefinition(
      type = AttributeType.PASSWORD,
      description =
          "Password for the default database (never logged). The key is .password: a leading dot keeps it out of the service's properties.")
  String _password() default "";

  @AttributeDefinition(description = "Schema of the tables when a destination names none.")
  String schema() default "public";

  @AttributeDefinition(
      description =
          "PostgreSQL TLS mode (disable, allow, prefer, require, verify-ca, verify-full); empty: the driver's default (prefer).")
  String sslmode() default "";

  @AttributeDefinition(description = "Seconds to wait for a connection and login, 1 to 300.")
  int connect_timeout() default 10;

  @AttributeDefinition(
      description =
          "Seconds a batch may wait on the database before delivery fails and is retried, 1 to 3600.")
  int socket_timeout() default 60;

  @AttributeDefinition(
      description =
          "How batches are loaded: auto (COPY on PostgreSQL, batched INSERTs elsewhere), copy, or insert.")
  String load_method() default "auto";
}
