package org.opentrail.api.alert;

/**
 * A rule just created, with the webhook's signing secret: the only time it is ever shown.
 *
 * @param webhookSecret 64 hex characters, the HMAC-SHA256 key of {@code X-OpenTrail-Signature}, or
 *     {@code null} for a rule without a webhook
 */
public record CreatedRule(AlertRule rule, String webhookSecret) {}
