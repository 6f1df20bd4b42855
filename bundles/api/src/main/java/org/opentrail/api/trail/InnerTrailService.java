package org.opentrail.api.trail;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Inner trails, at most one per account. Errors are {@link org.opentrail.api.OpenTrailException}s:
 * {@code InnerTrailAlreadyExists} (409), {@code InnerTrailNotFound} (404), {@code
 * InnerTrailNotEntitled} (403: the operator has not granted the account the {@value #ENTITLEMENT}
 * entitlement, {@code auth:entitle}), {@code NoPermission.DeliveryRole} (403: the account lacks the
 * delivery role), {@code InvalidParameter} (naming the parameter).
 *
 * @since 1.3
 */
@ProviderType
public interface InnerTrailService {
  /** The entitlement an account needs before it may enable an inner trail. */
  String ENTITLEMENT = "InnerTrail";

  /**
   * Creates and enables the account's inner trail and its logstore {@code innertrail_<name>} with
   * {@link InnerTrail#DEFAULT_RETENTION_DAYS} days of retention.
   */
  InnerTrail create(String accountId, String name);

  /** The account's inner trail, if it has one. */
  Optional<InnerTrail> get(String accountId);

  InnerTrailStatus status(String accountId);

  /**
   * Sets the logstore's retention, overriding what was set on the logstore itself.
   *
   * @param retentionDays 1 to 3650
   */
  InnerTrail setRetention(String accountId, int retentionDays);

  /** Collects again (needs the entitlement and the role); resets the retention to 180 days. */
  InnerTrail enable(String accountId);

  /** Stops collecting; what is stored stays until its retention expires. */
  InnerTrail disable(String accountId);

  /** Deletes the inner trail; its logstore's events stay until their retention expires. */
  void delete(String accountId);

  /**
   * The store stream to record the account's service-internal operations into, if its inner trail
   * collects now (enabled, entitled, role granted).
   */
  Optional<String> collectingStream(String accountId);
}
