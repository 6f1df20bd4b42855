package org.opentrail.sink.opensearch;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The operator's configuration of the OpenSearch sink (PID {@code org.opentrail.sink.opensearch},
 * e.g. {@code <data>/etc/org.opentrail.sink.opensearch.cfg}; a commented sample is {@code
 * features/sink-opensearch.cfg}): the server destinations write to unless they name their own, and
 * how indices are created.
 */
@ObjectClassDefinition(
    name = "OpenTrail OpenSearch sink",
    description = "The OpenSearch (or Elasticsearch 7) server trails deliver to by default.")
public @interface OpenSearchSinkConfig {
  String PID = "org.opentrail.sink.opensearch";

  @AttributeDefinition(
      description =
          "The default server: http:// or https:// host and port, no path (e.g. https://search.example.com:9200).")
  String endpoint() default "http://127.0.0.1:9200";

  @AttributeDefinition(
      description = "User for HTTP basic authentication at the default endpoint; empty for none.")
  String username() default "";

  @AttributeDefinition(
      type = AttributeType.PASSWORD,
      description = "Password of username at the default endpoint.")
  String password() default "";

  @AttributeDefinition(
      type = AttributeType.PASSWORD,
      description =
          "API key for the default endpoint, sent as 'Authorization: ApiKey <value>' (Elasticsearch's base64 id:key); instead of username and password.")
  String api_key() default "";

  @AttributeDefinition(
      description =
          "PEM file of the CA certificate(s) that https endpoints are trusted by, besides the JVM's trust store; empty for the JVM's only.")
  String tls_ca_certificate() default "";

  @AttributeDefinition(
      description =
          "host:port pairs (comma-separated) that destinations may name as their endpoint besides the default; '*' for any. Empty: only the default.")
  String allowed_endpoints() default "";

  @AttributeDefinition(description = "Connect timeout in milliseconds.")
  int connect_timeout_ms() default 5_000;

  @AttributeDefinition(description = "Socket (response) timeout in milliseconds.")
  int socket_timeout_ms() default 60_000;

  @AttributeDefinition(description = "Primary shards of each index the sink creates.")
  int index_shards() default 1;

  @AttributeDefinition(description = "Replicas of each index the sink creates.")
  int index_replicas() default 1;

  @AttributeDefinition(description = "Largest _bulk request body in bytes; a batch is split above.")
  int bulk_max_bytes() default 8 << 20;

  @AttributeDefinition(
      description =
          "How often events the server refused for now (429, 5xx) are sent again within one delivery before it fails.")
  int bulk_retries() default 3;
}
