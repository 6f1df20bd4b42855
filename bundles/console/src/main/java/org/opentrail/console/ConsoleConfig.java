package org.opentrail.console;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the web console (PID {@code org.opentrail.console}). */
@ObjectClassDefinition(
    name = "OpenTrail web console",
    description = "Sessions, sign-in lockout and exports of the web console at /console/.")
public @interface ConsoleConfig {
  String PID = "org.opentrail.console";

  @AttributeDefinition(
      description = "Minutes without a request after which a console session ends (1 to 1440).")
  int idle_timeout_minutes() default 30;

  @AttributeDefinition(
      description =
          "Failed sign-ins of one user within lockout_window_minutes after which further sign-ins of"
              + " that user are refused until the window has passed (1 to 100).")
  int lockout_failures() default 5;

  @AttributeDefinition(description = "Minutes over which failed sign-ins are counted (1 to 1440).")
  int lockout_window_minutes() default 15;

  @AttributeDefinition(
      description =
          "Region named in the resources the console authorizes (as the HTTP API's region); empty"
              + " means the framework property opentrail.region, else 'local'.")
  String region() default "";

  @AttributeDefinition(
      description =
          "Where exports are written before they are downloaded (each removed once downloaded or after"
              + " an hour); empty means <opentrail.data>/console/exports.")
  String export_directory() default "";
}
