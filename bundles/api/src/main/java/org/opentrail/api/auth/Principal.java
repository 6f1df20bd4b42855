package org.opentrail.api.auth;

import java.util.Objects;

/**
 * Who made a request: an account's root identity, or a user of the account, with the access key
 * that signed it.
 *
 * @param accountId the account
 * @param type root or user
 * @param userName the user's name; {@code null} for root
 * @param accessKeyId the access key that signed the request
 */
public record Principal(String accountId, Type type, String userName, String accessKeyId) {
  /** The kinds of identity that sign requests. */
  public enum Type {
    ROOT,
    USER
  }

  public Principal {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(type, "type");
  }

  /** RAM's ARN of the identity, e.g. {@code acs:ram::1234567890123456:user/alice}. */
  public String arn() {
    return type == Type.ROOT
        ? "acs:ram::" + accountId + ":root"
        : "acs:ram::" + accountId + ":user/" + userName;
  }

  /** ActionTrail's userIdentity type: {@code root-account} or {@code ram-user}. */
  public String identityType() {
    return type == Type.ROOT ? "root-account" : "ram-user";
  }
}
