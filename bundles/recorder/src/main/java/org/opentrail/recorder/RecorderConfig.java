package org.opentrail.recorder;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the event recorder (PID {@code org.opentrail.recorder}). */
@ObjectClassDefinition(
    name = "OpenTrail event recorder",
    description = "Validation and stamping of recorded events.")
public @interface RecorderConfig {
  String PID = "org.opentrail.recorder";

  @AttributeDefinition(
      description =
          "Region stamped on events without acsRegion; empty means the framework property opentrail.region, else 'local'.")
  String region() default "";

  @AttributeDefinition(
      description = "How far, in minutes, an eventTime may be ahead of this server's clock.")
  int max_clock_skew_minutes() default 15;
}
