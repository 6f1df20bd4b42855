package org.opentrail.api.auth;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Accounts and their users, access keys, policies and roles, managed with RAM's operations. Errors
 * are {@link org.opentrail.api.OpenTrailException}s with RAM's codes ({@code
 * EntityAlreadyExists.User}, {@code EntityNotExist.Policy}, {@code LimitExceeded.User.AccessKey},
 * {@code MalformedPolicyDocument}, {@code InvalidParameter.UserName}, ...).
 */
@ProviderType
public interface IdentityService {
  /** What an account id is: 12 to 16 digits. */
  java.util.regex.Pattern ACCOUNT_ID = java.util.regex.Pattern.compile("[0-9]{12,16}");

  /**
   * This installation's default account: the account of what names none (the local shell, a source
   * sender configured without one, an API call whose caller is unknown).
   *
   * @since 1.1
   */
  String defaultAccountId();

  /** The accounts, the first created first. */
  List<String> accounts();

  /** Creates an account with its root access key. */
  NewAccessKey createAccount();

  User createUser(String accountId, String userName, String displayName);

  /** Deletes a user with their access keys and policy attachments. */
  void deleteUser(String accountId, String userName);

  User getUser(String accountId, String userName);

  List<User> listUsers(String accountId);

  /**
   * A new active access key for a user, or for the root if {@code userName} is {@code null}; at
   * most two active each.
   */
  NewAccessKey createAccessKey(String accountId, String userName);

  void setAccessKeyActive(String accountId, String userName, String accessKeyId, boolean active);

  void deleteAccessKey(String accountId, String userName, String accessKeyId);

  List<AccessKey> listAccessKeys(String accountId, String userName);

  Policy createPolicy(String accountId, String policyName, String document, String description);

  /** Deletes a policy that nothing is attached to any more. */
  void deletePolicy(String accountId, String policyName);

  Policy getPolicy(String accountId, String policyName);

  List<Policy> listPolicies(String accountId);

  void attachPolicyToUser(String accountId, String policyName, String userName);

  void detachPolicyFromUser(String accountId, String policyName, String userName);

  List<Policy> listPoliciesForUser(String accountId, String userName);

  Role createRole(
      String accountId, String roleName, String assumeRolePolicyDocument, String description);

  void deleteRole(String accountId, String roleName);

  Role getRole(String accountId, String roleName);

  List<Role> listRoles(String accountId);

  void attachPolicyToRole(String accountId, String policyName, String roleName);

  void detachPolicyFromRole(String accountId, String policyName, String roleName);

  /**
   * Grants an account a feature that needs the operator's consent (as ActionTrail's inner trail
   * needs a ticket), e.g. {@code InnerTrail}. Granting it twice changes nothing.
   *
   * @throws org.opentrail.api.OpenTrailException {@code EntityNotExist.Account} (404), {@code
   *     InvalidParameter.Entitlement} for a name that is not 1 to 64 letters and digits
   * @since 1.1
   */
  void entitle(String accountId, String entitlement);

  /** Withdraws an entitlement; withdrawing one not held changes nothing. */
  void revokeEntitlement(String accountId, String entitlement);

  /** Whether the account holds the entitlement. */
  boolean entitled(String accountId, String entitlement);

  /** The account's entitlements, sorted. */
  List<String> entitlements(String accountId);
}
