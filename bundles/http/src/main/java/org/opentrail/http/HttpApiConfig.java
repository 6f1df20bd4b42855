package org.opentrail.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the HTTP API (PID {@code org.opentrail.http}). The address, port and TLS of the
 * listener itself are Felix HTTP's (PID {@code org.apache.felix.http} or the framework properties
 * {@code org.apache.felix.http.host}, {@code org.osgi.service.http.port}, ...).
 */
@ObjectClassDefinition(
    name = "OpenTrail HTTP API",
    description = "Limits of ActionTrail-compatible API requests.")
public @interface HttpApiConfig {
  String PID = "org.opentrail.http";

  @AttributeDefinition(
      description =
          "Most bytes of a request body; larger requests are refused with 413 before they are read."
              + " A batch of 10,000 events (16 MiB of JSON) sent as a form parameter needs up to three"
              + " times its size.")
  int max_body_bytes() default 48 << 20;

  @AttributeDefinition(description = "Most parameters in a query string or a form body.")
  int max_parameters() default 256;

  @AttributeDefinition(
      description =
          "Requests per second allowed to one access key (a token bucket holding one second's worth);"
              + " beyond it calls are refused with 429 Throttling. 0 turns throttling off.")
  int requests_per_second_per_key() default 10_000;

  @AttributeDefinition(
      description =
          "Region this server answers for (DescribeRegions, resource ARNs); empty means the framework"
              + " property opentrail.region, else 'local'.")
  String region() default "";

  @AttributeDefinition(
      description =
          "Sink type of CreateTrail's OssBucketName/OssKeyPrefix destination: file (the embedded"
              + " default, <data>/oss) or s3 (an S3-compatible object store, with the s3 sink"
              + " installed).")
  String oss_sink_type() default "file";

  @AttributeDefinition(
      description =
          "Sink type of CreateTrail's SlsProjectArn destination: logstore (the embedded default)"
              + " or opensearch (with the opensearch sink installed).")
  String sls_sink_type() default "logstore";

  @AttributeDefinition(
      description =
          "Sink type of CreateTrail's MaxComputeProjectArn destination: jdbc (a warehouse table,"
              + " with the jdbc sink installed).")
  String maxcompute_sink_type() default "jdbc";
}
