package org.opentrail.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.auth.Policy;
import org.opentrail.api.auth.Role;
import org.opentrail.api.auth.User;

/**
 * One account's identities, immutable: users, access keys, policies (compiled), roles, and which
 * policies are attached to whom. Derived for fast reads: each user's compiled policies and whether
 * the delivery role exists. Changes make a new state with {@link AccountChange}.
 */
final class AccountState {
  /** An access key with its sealed secret (kept) and the plain secret (in memory only). */
  record KeyEntry(AccessKey key, SealedSecret sealed, String secret) {
    @Override
    public String toString() {
      return "KeyEntry[" + key + "]";
    }
  }

  /** A policy and its compiled document. */
  record PolicyEntry(Policy policy, CompiledPolicy compiled) {}

  final String accountId;
  final Instant createDate;

  /** By user name, sorted. */
  final Map<String, User> users;

  /** By access key id, oldest first. */
  final Map<String, KeyEntry> keys;

  /** By policy name, sorted. */
  final Map<String, PolicyEntry> policies;

  /** By role name in lower case (RAM's role names are not case-sensitive), sorted. */
  final Map<String, Role> roles;

  /** User name to the names of the policies attached. */
  final Map<String, SortedSet<String>> userPolicies;

  /** Role name in lower case to the names of the policies attached. */
  final Map<String, SortedSet<String>> rolePolicies;

  /** Features the operator granted the account (e.g. InnerTrail), sorted. */
  final SortedSet<String> entitlements;

  private final Map<String, List<CompiledPolicy>> compiledByUser;
  private final boolean deliveryRole;

  AccountState(
      String accountId,
      Instant createDate,
      Map<String, User> users,
      Map<String, KeyEntry> keys,
      Map<String, PolicyEntry> policies,
      Map<String, Role> roles,
      Map<String, ? extends Set<String>> userPolicies,
      Map<String, ? extends Set<String>> rolePolicies,
      Set<String> entitlements) {
    this.accountId = accountId;
    this.entitlements = Collections.unmodifiableSortedSet(new TreeSet<>(entitlements));
    this.createDate = createDate;
    this.users = Collections.unmodifiableMap(new TreeMap<>(users));
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    this.policies = Collections.unmodifiableMap(new TreeMap<>(policies));
    this.roles = Collections.unmodifiableMap(new TreeMap<>(roles));
    this.userPolicies = frozen(userPolicies);
    this.rolePolicies = frozen(rolePolicies);
    Map<String, List<CompiledPolicy>> byUser = new HashMap<>();
    for (Map.Entry<String, SortedSet<String>> e : this.userPolicies.entrySet()) {
      List<CompiledPolicy> compiled = new ArrayList<>(e.getValue().size());
      for (String name : e.getValue()) {
        compiled.add(this.policies.get(name).compiled());
      }
      byUser.put(e.getKey(), List.copyOf(compiled));
    }
    this.compiledByUser = Map.copyOf(byUser);
    this.deliveryRole = this.roles.containsKey(roleKey(DeliveryRole.ROLE_NAME));
  }

  /** A new account with nothing in it. */
  static AccountState empty(String accountId, Instant createDate) {
    return new AccountState(
        accountId,
        createDate,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Set.of());
  }

  static String roleKey(String roleName) {
    return roleName.toLowerCase(Locale.ROOT);
  }

  /** The compiled policies attached to a user (none for an unknown user). */
  List<CompiledPolicy> policiesOf(String userName) {
    return compiledByUser.getOrDefault(userName, List.of());
  }

  boolean deliveryRoleGranted() {
    return deliveryRole;
  }

  /** The access keys of a user, or of the root for {@code null}, oldest first. */
  List<KeyEntry> keysOf(String userName) {
    List<KeyEntry> out = new ArrayList<>();
    for (KeyEntry k : keys.values()) {
      if (java.util.Objects.equals(k.key().userName(), userName)) {
        out.add(k);
      }
    }
    return out;
  }

  private static Map<String, SortedSet<String>> frozen(Map<String, ? extends Set<String>> m) {
    Map<String, SortedSet<String>> out = new TreeMap<>();
    for (Map.Entry<String, ? extends Set<String>> e : m.entrySet()) {
      if (!e.getValue().isEmpty()) {
        out.put(e.getKey(), Collections.unmodifiableSortedSet(new TreeSet<>(e.getValue())));
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
