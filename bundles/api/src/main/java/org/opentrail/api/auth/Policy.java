package org.opentrail.api.auth;

import java.time.Instant;

/**
 * A custom policy: a JSON document of statements {@code {Effect, Action, Resource}}.
 *
 * @param document the policy document as given (JSON)
 */
public record Policy(
    String accountId, String policyName, String description, String document, Instant createDate) {}
