package org.opentrail.api.auth;

import java.time.Instant;

/**
 * A RAM user's console password, as RAM's GetLoginProfile shows it: never the password or its hash.
 *
 * @param accountId the account
 * @param userName the user
 * @param createDate when it was created
 * @param updateDate when its password was last set
 * @param passwordResetRequired whether the user must change the password at the next sign-in
 * @since 1.3
 */
public record LoginProfile(
    String accountId,
    String userName,
    Instant createDate,
    Instant updateDate,
    boolean passwordResetRequired) {}
