package org.opentrail.alerts;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The operator's configuration of alerts, PID {@code org.opentrail.alerts}. */
@ObjectClassDefinition(
    name = "OpenTrail alerts",
    description = "Alert rules: which webhook hosts they may call, webhook timeouts and retries.")
public @interface AlertsConfig {
  @AttributeDefinition(
      description =
          "Hosts alert webhooks may call (host names or IP literals, or *.domain); empty: no"
              + " webhook rule is accepted. Never list internal addresses you do not mean.")
  String[] allowed_webhook_hosts() default {};

  @AttributeDefinition(description = "Time limit of one webhook attempt, in milliseconds")
  int webhook_timeout_millis() default 5000;

  @AttributeDefinition(description = "Webhook attempts after the first one fails")
  int webhook_retries() default 2;

  @AttributeDefinition(description = "Wait before the first retry, doubled each time, in ms")
  int webhook_backoff_millis() default 1000;

  @AttributeDefinition(
      description =
          "Later retries of a webhook still failing after its immediate ones (0: none), before"
              + " the notification is given up")
  int webhook_redeliveries() default 10;

  @AttributeDefinition(
      description =
          "Wait before the first later retry, doubled each time up to an hour, in seconds")
  int webhook_redelivery_seconds() default 60;

  @AttributeDefinition(description = "How often the scheduler looks for due rules, in seconds")
  int tick_seconds() default 15;
}
