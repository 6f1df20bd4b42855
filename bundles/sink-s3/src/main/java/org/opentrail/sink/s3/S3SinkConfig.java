package org.opentrail.sink.s3;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The operator's configuration of the S3 sink (PID {@code org.opentrail.sink.s3}, e.g. {@code
 * etc/org.opentrail.sink.s3.cfg}; features/sink-s3.cfg is a commented sample): the server that
 * destinations write to unless they name their own, and tuning. A destination's configuration
 * overrides the connection keys; a destination that names another endpoint must name its own
 * credentials too.
 */
@ObjectClassDefinition(
    name = "OpenTrail S3 sink",
    description = "Default S3-compatible server and credentials of the s3 sink type.")
public @interface S3SinkConfig {
  String PID = "org.opentrail.sink.s3";

  @AttributeDefinition(
      description =
          "Endpoint URL, http(s)://host[:port] with no path; empty means AWS S3 in the region.")
  String endpoint() default "";

  @AttributeDefinition(
      description =
          "Servers (comma-separated host[:port], the port only when not the scheme's default) that"
              + " destinations may name as their endpoint besides the default; '*' for any."
              + " Empty: only the default.")
  String allowedEndpoints() default "";

  @AttributeDefinition(description = "Region used to sign requests (AWS signature version 4).")
  String region() default "us-east-1";

  @AttributeDefinition(
      description =
          "Path-style requests (http://host/bucket/key) instead of virtual-host style"
              + " (http://bucket.host/key); most self-hosted servers need true.")
  boolean pathStyle() default true;

  @AttributeDefinition(description = "Access key id; empty means destinations bring their own.")
  String accessKeyId() default "";

  @AttributeDefinition(type = AttributeType.PASSWORD, description = "Secret access key.")
  String secretAccessKey() default "";

  @AttributeDefinition(
      type = AttributeType.PASSWORD,
      description = "Session token of temporary credentials; empty for long-term keys.")
  String sessionToken() default "";

  @AttributeDefinition(
      description = "Server-side encryption of delivered objects: empty (none), AES256 or aws:kms.")
  String serverSideEncryption() default "";

  @AttributeDefinition(description = "KMS key id for aws:kms; empty means the server's default.")
  String kmsKeyId() default "";

  @AttributeDefinition(description = "gzip level of delivered objects, 1 (fastest) to 9.")
  int gzip_level() default 1;

  @AttributeDefinition(
      description = "Objects uploaded in parallel (1 to 64), for all destinations.")
  int uploadThreads() default 8;

  @AttributeDefinition(description = "Seconds to wait for a TCP connection to the endpoint.")
  int connectTimeoutSeconds() default 5;

  @AttributeDefinition(
      description = "Seconds one request (with the SDK's one retry) may take before it fails.")
  int requestTimeoutSeconds() default 60;
}
