package org.opentrail.auth;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.api.auth.Policy;
import org.opentrail.api.auth.Role;
import org.opentrail.api.auth.User;
import org.opentrail.auth.AccountState.KeyEntry;
import org.opentrail.auth.AccountState.PolicyEntry;

/**
 * A change being made to one account, with RAM's rules: names unique, at most two access keys per
 * identity, no policy deleted while attached, no role deleted while policies are attached to it.
 * Each method either changes this copy or throws RAM's error and changes nothing; {@link #build}
 * makes the new immutable state.
 */
final class AccountChange {
  static final int MAX_KEYS_PER_IDENTITY = 2;

  private final String accountId;
  private final Instant createDate;
  private final Map<String, User> users;
  private final Map<String, KeyEntry> keys;
  private final Map<String, PolicyEntry> policies;
  private final Map<String, Role> roles;
  private final Map<String, SortedSet<String>> userPolicies = new HashMap<>();
  private final Map<String, SortedSet<String>> rolePolicies = new HashMap<>();
  private final SortedSet<String> entitlements;

  AccountChange(AccountState s) {
    accountId = s.accountId;
    createDate = s.createDate;
    users = new TreeMap<>(s.users);
    keys = new LinkedHashMap<>(s.keys);
    policies = new TreeMap<>(s.policies);
    roles = new TreeMap<>(s.roles);
    s.userPolicies.forEach((k, v) -> userPolicies.put(k, new TreeSet<>(v)));
    s.rolePolicies.forEach((k, v) -> rolePolicies.put(k, new TreeSet<>(v)));
    entitlements = new TreeSet<>(s.entitlements);
  }

  AccountState build() {
    return new AccountState(
        accountId,
        createDate,
        users,
        keys,
        policies,
        roles,
        userPolicies,
        rolePolicies,
        entitlements);
  }

  /** Grants or withdraws an entitlement; answers whether anything changed. */
  boolean entitle(String entitlement, boolean granted) {
    return granted ? entitlements.add(entitlement) : entitlements.remove(entitlement);
  }

  String accountId() {
    return accountId;
  }

  User addUser(User user) {
    if (users.containsKey(user.userName())) {
      throw RamErrors.alreadyExists("User", user.userName());
    }
    users.put(user.userName(), user);
    return user;
  }

  void removeUser(String userName) {
    requireUser(userName);
    users.remove(userName);
    keys.values().removeIf(k -> userName.equals(k.key().userName()));
    userPolicies.remove(userName);
  }

  User requireUser(String userName) {
    User u = users.get(userName);
    if (u == null) {
      throw RamErrors.notExist("User", userName);
    }
    return u;
  }

  /** Adds a key of a user ({@code null}: the root), at most two per identity. */
  void addKey(KeyEntry entry) {
    String owner = entry.key().userName();
    if (owner != null) {
      requireUser(owner);
    }
    long count = keys.values().stream().filter(k -> owns(owner, k)).count();
    if (count >= MAX_KEYS_PER_IDENTITY) {
      throw new OpenTrailException(
          "LimitExceeded.User.AccessKey",
          (owner == null ? "The root account" : "The user '" + owner + "'")
              + " already has "
              + count
              + " access keys, the most allowed; delete one first.",
          400);
    }
    keys.put(entry.key().accessKeyId(), entry);
  }

  void setKeyActive(String userName, String accessKeyId, boolean active) {
    KeyEntry k = requireKey(userName, accessKeyId);
    AccessKey a = k.key();
    keys.put(
        accessKeyId,
        new KeyEntry(
            new AccessKey(a.accountId(), a.userName(), a.accessKeyId(), active, a.createDate()),
            k.sealed(),
            k.secret()));
  }

  void removeKey(String userName, String accessKeyId) {
    requireKey(userName, accessKeyId);
    keys.remove(accessKeyId);
  }

  private KeyEntry requireKey(String userName, String accessKeyId) {
    if (userName != null) {
      requireUser(userName);
    }
    KeyEntry k = keys.get(accessKeyId);
    if (k == null || !owns(userName, k)) {
      throw RamErrors.notExist("AccessKey", accessKeyId);
    }
    return k;
  }

  private static boolean owns(String userName, KeyEntry k) {
    return Objects.equals(userName, k.key().userName());
  }

  Policy addPolicy(Policy policy, CompiledPolicy compiled) {
    if (policies.containsKey(policy.policyName())) {
      throw RamErrors.alreadyExists("Policy", policy.policyName());
    }
    policies.put(policy.policyName(), new PolicyEntry(policy, compiled));
    return policy;
  }

  void removePolicy(String policyName) {
    requirePolicy(policyName);
    for (Map.Entry<String, SortedSet<String>> e : userPolicies.entrySet()) {
      if (e.getValue().contains(policyName)) {
        throw RamErrors.deleteConflict(
            "Policy.User",
            "The policy '" + policyName + "' is attached to user '" + e.getKey() + "'.");
      }
    }
    for (Map.Entry<String, SortedSet<String>> e : rolePolicies.entrySet()) {
      if (e.getValue().contains(policyName)) {
        throw RamErrors.deleteConflict(
            "Policy.Role",
            "The policy '"
                + policyName
                + "' is attached to role '"
                + roles.get(e.getKey()).roleName()
                + "'.");
      }
    }
    policies.remove(policyName);
  }

  Policy requirePolicy(String policyName) {
    PolicyEntry p = policies.get(policyName);
    if (p == null) {
      throw RamErrors.notExist("Policy", policyName);
    }
    return p.policy();
  }

  void attachToUser(String policyName, String userName) {
    requirePolicy(policyName);
    requireUser(userName);
    attach(userPolicies, userName, policyName, "User", "user '" + userName + "'");
  }

  void detachFromUser(String policyName, String userName) {
    requirePolicy(policyName);
    requireUser(userName);
    detach(userPolicies, userName, policyName, "User", "user '" + userName + "'");
  }

  Role addRole(Role role) {
    if (roles.containsKey(AccountState.roleKey(role.roleName()))) {
      throw RamErrors.alreadyExists("Role", role.roleName());
    }
    roles.put(AccountState.roleKey(role.roleName()), role);
    return role;
  }

  void removeRole(String roleName) {
    Role r = requireRole(roleName);
    SortedSet<String> attached = rolePolicies.get(AccountState.roleKey(roleName));
    if (attached != null && !attached.isEmpty()) {
      throw RamErrors.deleteConflict(
          "Role.Policy",
          "The role '"
              + r.roleName()
              + "' has policies attached: "
              + attached
              + "; detach them first.");
    }
    roles.remove(AccountState.roleKey(roleName));
  }

  Role requireRole(String roleName) {
    Role r = roles.get(AccountState.roleKey(roleName));
    if (r == null) {
      throw RamErrors.notExist("Role", roleName);
    }
    return r;
  }

  void attachToRole(String policyName, String roleName) {
    requirePolicy(policyName);
    Role r = requireRole(roleName);
    String key = AccountState.roleKey(roleName);
    attach(rolePolicies, key, policyName, "Role", "role '" + r.roleName() + "'");
  }

  void detachFromRole(String policyName, String roleName) {
    requirePolicy(policyName);
    Role r = requireRole(roleName);
    String key = AccountState.roleKey(roleName);
    detach(rolePolicies, key, policyName, "Role", "role '" + r.roleName() + "'");
  }

  private static void attach(
      Map<String, SortedSet<String>> m, String key, String policy, String entity, String whom) {
    if (!m.computeIfAbsent(key, k -> new TreeSet<>()).add(policy)) {
      throw new OpenTrailException(
          "EntityAlreadyExists." + entity + ".Policy",
          "The policy '" + policy + "' is already attached to " + whom + ".",
          409);
    }
  }

  private static void detach(
      Map<String, SortedSet<String>> m, String key, String policy, String entity, String whom) {
    SortedSet<String> s = m.get(key);
    if (s == null || !s.remove(policy)) {
      throw new OpenTrailException(
          "EntityNotExist." + entity + ".Policy",
          "The policy '" + policy + "' is not attached to " + whom + ".",
          404);
    }
  }
}
