package org.opentrail.api.auth;

import java.time.Instant;

/** A RAM role: an identity a service assumes (e.g. {@link DeliveryRole#ROLE_NAME}). */
public record Role(
    String accountId,
    String roleName,
    String roleId,
    String description,
    String assumeRolePolicyDocument,
    Instant createDate) {
  public String arn() {
    return "acs:ram::" + accountId + ":role/" + roleName.toLowerCase(java.util.Locale.ROOT);
  }
}
