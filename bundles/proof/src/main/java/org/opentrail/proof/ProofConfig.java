package org.opentrail.proof;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the stream digests (PID {@value #PID}). */
@ObjectClassDefinition(
    name = "OpenTrail stream digests",
    description = "Signed digests of every stream (docs/PROOF.md).")
public @interface ProofConfig {
  String PID = "org.opentrail.proof";

  @AttributeDefinition(
      description =
          "Seconds between digests, aligned to UTC (3600: on the hour). A digest is written for"
              + " every interval, also an empty one, and at a clean stop.",
      min = "1")
  long digest_interval_seconds() default 3600;

  @AttributeDefinition(
      description = "Directory of the stream digests; empty means <opentrail.data>/digests.")
  String digest_directory() default "";
}
