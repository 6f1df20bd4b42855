package org.opentrail.api.auth;

import java.time.Instant;

/** A RAM user of an account. */
public record User(
    String accountId, String userName, String userId, String displayName, Instant createDate) {}
