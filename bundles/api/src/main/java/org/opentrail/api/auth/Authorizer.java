package org.opentrail.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides with policies: an account's root may do everything in its account; a user may do what a
 * policy attached to them allows, unless a policy denies it (an explicit Deny beats any Allow; no
 * Allow means no).
 */
@ProviderType
public interface Authorizer {
  /**
   * @param action e.g. {@code actiontrail:CreateTrail}
   * @param resource e.g. {@code acs:actiontrail:*:1234567890123456:trail/audit-trail}
   */
  boolean allowed(Principal principal, String action, String resource);

  /**
   * @throws org.opentrail.api.OpenTrailException {@code Forbidden.RAM} (403) unless allowed
   */
  void authorize(Principal principal, String action, String resource);
}
