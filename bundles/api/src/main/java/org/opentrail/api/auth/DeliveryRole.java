package org.opentrail.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * ActionTrail's delivery service role: trails of an account deliver only while the account has the
 * role {@value #ROLE_NAME} (created with {@code CreateRole}); deleting it stops their delivery
 * until it is created again.
 */
@ProviderType
public interface DeliveryRole {
  String ROLE_NAME = "AliyunActionTrailDefaultRole";

  boolean granted(String accountId);
}
