package org.opentrail.logservice;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the Log Service API (PID {@code org.opentrail.logservice}). It answers on the
 * HTTP API's listener (Felix HTTP), at {@code /logstores...}.
 */
@ObjectClassDefinition(
    name = "OpenTrail Log Service API",
    description = "How Log Service's SDK reaches OpenTrail's logstores, and request limits.")
public @interface LogServiceConfig {
  String PID = "org.opentrail.logservice";

  @AttributeDefinition(
      description =
          "The endpoint host name clients configure (Log Service's SDK wants a host name, not an IP"
              + " address); requests name their project as Host: <project>.<endpoint>, so"
              + " *.<endpoint> must reach this server (wildcard DNS, hosts entries, or the SDK's"
              + " proxy setting).")
  String endpoint() default "log.opentrail.local";

  @AttributeDefinition(
      description =
          "Every account has the project <prefix><accountId> holding all its logstores; a project"
              + " named in the SlsProjectArn of one of its trails names the same logstores.")
  String project_prefix() default "opentrail-";

  @AttributeDefinition(
      description =
          "Region in resource ARNs (acs:log:<region>:<account>:project/...); empty means the"
              + " framework property opentrail.region, else 'local'.")
  String region() default "";

  @AttributeDefinition(
      description = "Most bytes of a request body; larger requests are refused with 413.")
  int max_body_bytes() default 1 << 20;

  @AttributeDefinition(
      description =
          "Requests per second allowed to one access key on this API (a token bucket holding one"
              + " second's worth), as the RPC API's limit; beyond it calls are refused with 429."
              + " 0 turns throttling off.")
  int requests_per_second_per_key() default 10_000;
}
