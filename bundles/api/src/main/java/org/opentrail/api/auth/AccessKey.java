package org.opentrail.api.auth;

import java.time.Instant;

/**
 * An access key (its secret is never part of this: it is shown once, when created).
 *
 * @param userName the user it belongs to; {@code null} for the account's root
 */
public record AccessKey(
    String accountId, String userName, String accessKeyId, boolean active, Instant createDate) {}
