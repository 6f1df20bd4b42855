package org.opentrail.trail;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of trails and their delivery (PID {@code org.opentrail.trail}). */
@ObjectClassDefinition(
    name = "OpenTrail trails",
    description = "Trail storage, batching, retries and retention holds.")
public @interface TrailConfig {
  String PID = "org.opentrail.trail";

  @AttributeDefinition(
      description =
          "Directory of trail definitions and delivery cursors; empty means <opentrail.data>/trails.")
  String directory() default "";

  @AttributeDefinition(description = "Most events in one delivered batch.")
  int batch_max_events() default 10_000;

  @AttributeDefinition(description = "Most bytes (JSON) in one delivered batch.")
  int batch_max_bytes() default 16 << 20;

  @AttributeDefinition(
      description =
          "Longest, in milliseconds, a batch waits for more events before it is delivered.")
  int batch_linger_millis() default 200;

  @AttributeDefinition(
      description =
          "First retry delay after a failed delivery, in milliseconds; it doubles (with jitter) on each failure.")
  int retry_initial_millis() default 500;

  @AttributeDefinition(description = "Longest retry delay, in milliseconds.")
  int retry_max_millis() default 60_000;

  @AttributeDefinition(
      description =
          "Retention keeps events a logging trail has not delivered, but only up to this many days old; older ones"
              + " are purged by retention as usual and the trail's status raises an alarm.")
  int retention_hold_max_days() default 180;

  @AttributeDefinition(description = "Most trails one account may have.")
  int max_trails_per_account() default 50;

  @AttributeDefinition(
      description =
          "Seconds between the signed digests of destinations whose sink can hold them (e.g."
              + " file), aligned to UTC: 1 to 86400; a clean stop writes a final one too.")
  int digest_interval_seconds() default 3600;

  @AttributeDefinition(
      description =
          "Home region named in destination digests and their paths; empty means the framework"
              + " property opentrail.region, else 'local'.")
  String home_region() default "";
}
