package org.opentrail.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.NewAccessKey;
import org.opentrail.api.auth.Policy;
import org.opentrail.api.auth.Role;
import org.opentrail.api.auth.User;
import org.opentrail.auth.AccountState.KeyEntry;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IdentityService} and the {@link DeliveryRole}: accounts, users, access keys, policies
 * and roles in the {@link IdentityStore}, checked against RAM's rules. At first start it creates
 * the first account, the recorder's default account, with a root key in the credentials file.
 */
@Component(
    service = {IdentityService.class, DeliveryRole.class, IdentitySource.class},
    configurationPid = AuthConfig.PID,
    immediate = true)
@Designate(ocd = AuthConfig.class)
public final class IdentityRegistry implements IdentityService, DeliveryRole, IdentitySource {
  private static final java.util.regex.Pattern ENTITLEMENT =
      java.util.regex.Pattern.compile("[A-Za-z0-9]{1,64}");

  private static final Logger LOG = LoggerFactory.getLogger(IdentityRegistry.class);

  private final IdentityStore store;
  private final AuthPaths paths;
  private final String defaultAccount;

  @Activate
  public IdentityRegistry(BundleContext context, AuthConfig config) throws IOException {
    this(AuthPaths.of(config, context), config, context);
  }

  private IdentityRegistry(AuthPaths paths, AuthConfig config, BundleContext context)
      throws IOException {
    this(
        paths,
        DefaultAccount.of(
            config.default_account_id(),
            context.getProperty("opentrail.account.id"),
            paths.directory()));
  }

  /**
   * The registry outside OSGi (tests, tools).
   *
   * @param firstAccountId the account to create if there is none yet
   */
  public IdentityRegistry(AuthPaths paths, String firstAccountId) throws IOException {
    this.defaultAccount = firstAccountId;
    // what shows a first start was done here, in files kept apart from the identity store
    Path marker = FirstStart.marker(paths);
    List<String> evidence = new ArrayList<>();
    if (java.nio.file.Files.exists(marker)) {
      evidence.add(marker.toString());
    }
    if (java.nio.file.Files.exists(paths.credentials())) {
      evidence.add(paths.credentials().toString());
    }
    boolean hasAccounts = IdentityStore.hasAccounts(paths.directory());
    if (!java.nio.file.Files.exists(paths.masterKey()) && (hasAccounts || !evidence.isEmpty())) {
      String msg =
          "The master key "
              + paths.masterKey()
              + " is missing but "
              + (hasAccounts
                  ? "the identity store "
                      + paths.directory()
                      + " has accounts whose secrets it sealed"
                  : "this instance was initialized (" + String.join(", ", evidence) + ")")
              + ": restore the master key (a new one could not open them)";
      LOG.error(msg);
      throw new IOException(msg);
    }
    this.paths = paths;
    this.store = IdentityStore.open(paths.directory(), SecretCipher.open(paths.masterKey()));
    FirstStart.run(store, firstAccountId, paths, evidence);
  }

  /**
   * A changed configuration: the identity store, master key and credentials stay where they were
   * opened until the next start (moving them under a running store could split its accounts); the
   * signature limits of the same PID are the {@link RequestAuthenticator}'s.
   */
  @Modified
  void modified(BundleContext context, AuthConfig config) {
    AuthPaths next = AuthPaths.of(config, context);
    if (!next.equals(paths)) {
      LOG.warn(
          "Configuration {}: the identity store files move to {} only at the next start; {} stay"
              + " in use",
          AuthConfig.PID,
          next,
          paths);
    }
  }

  @Override
  public IdentitySnapshot snapshot() {
    return store.snapshot();
  }

  @Override
  public boolean granted(String accountId) {
    AccountState a = accountId == null ? null : store.snapshot().account(accountId);
    return a != null && a.deliveryRoleGranted();
  }

  @Override
  public String defaultAccountId() {
    return defaultAccount;
  }

  @Override
  public List<String> accounts() {
    return List.copyOf(store.snapshot().accounts().keySet());
  }

  @Override
  public NewAccessKey createAccount() {
    String id;
    do {
      id = Ids.accountId();
    } while (store.snapshot().account(id) != null);
    KeyEntry root = store.createAccount(id, Instant.now());
    LOG.info("Account {} created with root access key {}", id, root.key().accessKeyId());
    return new NewAccessKey(root.key(), root.secret());
  }

  @Override
  public User createUser(String accountId, String userName, String displayName) {
    Validation.accountId(accountId);
    User u =
        new User(
            accountId,
            Validation.userName(userName),
            Ids.digits(16),
            Validation.displayName(displayName),
            Instant.now());
    return store.update(accountId, "create user " + userName, c -> c.addUser(u));
  }

  @Override
  public void deleteUser(String accountId, String userName) {
    Validation.accountId(accountId);
    Validation.userName(userName);
    store.update(accountId, "delete user " + userName, c -> run(() -> c.removeUser(userName)));
  }

  @Override
  public User getUser(String accountId, String userName) {
    Validation.userName(userName);
    User u = account(accountId).users.get(userName);
    if (u == null) {
      throw RamErrors.notExist("User", userName);
    }
    return u;
  }

  @Override
  public List<User> listUsers(String accountId) {
    return List.copyOf(account(accountId).users.values());
  }

  @Override
  public NewAccessKey createAccessKey(String accountId, String userName) {
    Validation.accountId(accountId);
    if (userName != null) {
      Validation.userName(userName);
    }
    KeyEntry k = store.newKey(accountId, userName, Instant.now());
    store.update(accountId, "create access key", c -> run(() -> c.addKey(k)));
    LOG.info(
        "Access key {} created for {} in account {}",
        k.key().accessKeyId(),
        userName == null ? "the root" : "user " + userName,
        accountId);
    return new NewAccessKey(k.key(), k.secret());
  }

  @Override
  public void setAccessKeyActive(
      String accountId, String userName, String accessKeyId, boolean active) {
    checkKeyArguments(accountId, userName, accessKeyId);
    store.update(
        accountId,
        (active ? "enable" : "disable") + " access key " + accessKeyId,
        c -> run(() -> c.setKeyActive(userName, accessKeyId, active)));
  }

  @Override
  public void deleteAccessKey(String accountId, String userName, String accessKeyId) {
    checkKeyArguments(accountId, userName, accessKeyId);
    store.update(
        accountId,
        "delete access key " + accessKeyId,
        c -> run(() -> c.removeKey(userName, accessKeyId)));
  }

  @Override
  public List<AccessKey> listAccessKeys(String accountId, String userName) {
    AccountState a = account(accountId);
    if (userName != null && !a.users.containsKey(Validation.userName(userName))) {
      throw RamErrors.notExist("User", userName);
    }
    return a.keysOf(userName).stream().map(KeyEntry::key).toList();
  }

  private static void checkKeyArguments(String accountId, String userName, String accessKeyId) {
    Validation.accountId(accountId);
    if (userName != null) {
      Validation.userName(userName);
    }
    Validation.accessKeyId(accessKeyId);
  }

  @Override
  public Policy createPolicy(
      String accountId, String policyName, String document, String description) {
    Validation.accountId(accountId);
    Validation.policyName(policyName);
    String desc = Validation.description(description);
    CompiledPolicy compiled = PolicyDocument.compile(document);
    Policy p = new Policy(accountId, policyName, desc, document, Instant.now());
    return store.update(accountId, "create policy " + policyName, c -> c.addPolicy(p, compiled));
  }

  @Override
  public void deletePolicy(String accountId, String policyName) {
    Validation.accountId(accountId);
    Validation.policyName(policyName);
    store.update(
        accountId, "delete policy " + policyName, c -> run(() -> c.removePolicy(policyName)));
  }

  @Override
  public Policy getPolicy(String accountId, String policyName) {
    Validation.policyName(policyName);
    AccountState.PolicyEntry p = account(accountId).policies.get(policyName);
    if (p == null) {
      throw RamErrors.notExist("Policy", policyName);
    }
    return p.policy();
  }

  @Override
  public List<Policy> listPolicies(String accountId) {
    return account(accountId).policies.values().stream()
        .map(AccountState.PolicyEntry::policy)
        .toList();
  }

  @Override
  public void attachPolicyToUser(String accountId, String policyName, String userName) {
    checkAttachment(accountId, policyName);
    Validation.userName(userName);
    store.update(
        accountId,
        "attach policy " + policyName + " to user " + userName,
        c -> run(() -> c.attachToUser(policyName, userName)));
  }

  @Override
  public void detachPolicyFromUser(String accountId, String policyName, String userName) {
    checkAttachment(accountId, policyName);
    Validation.userName(userName);
    store.update(
        accountId,
        "detach policy " + policyName + " from user " + userName,
        c -> run(() -> c.detachFromUser(policyName, userName)));
  }

  @Override
  public List<Policy> listPoliciesForUser(String accountId, String userName) {
    Validation.userName(userName);
    AccountState a = account(accountId);
    if (!a.users.containsKey(userName)) {
      throw RamErrors.notExist("User", userName);
    }
    List<Policy> out = new ArrayList<>();
    for (String name :
        a.userPolicies.getOrDefault(userName, java.util.Collections.emptySortedSet())) {
      out.add(a.policies.get(name).policy());
    }
    return out;
  }

  @Override
  public Role createRole(
      String accountId, String roleName, String assumeRolePolicyDocument, String description) {
    Validation.accountId(accountId);
    Validation.roleName(roleName);
    String desc = Validation.description(description);
    Validation.trustPolicy(assumeRolePolicyDocument);
    Role r =
        new Role(
            accountId, roleName, Ids.digits(19), desc, assumeRolePolicyDocument, Instant.now());
    Role created = store.update(accountId, "create role " + roleName, c -> c.addRole(r));
    if (created.roleName().equalsIgnoreCase(ROLE_NAME)) {
      LOG.info("Delivery role granted in account {}: its trails may deliver", accountId);
    }
    return created;
  }

  @Override
  public void deleteRole(String accountId, String roleName) {
    Validation.accountId(accountId);
    Validation.roleName(roleName);
    store.update(accountId, "delete role " + roleName, c -> run(() -> c.removeRole(roleName)));
    if (roleName.equalsIgnoreCase(ROLE_NAME)) {
      LOG.warn("Delivery role deleted in account {}: its trails stop delivering", accountId);
    }
  }

  @Override
  public Role getRole(String accountId, String roleName) {
    Validation.roleName(roleName);
    Role r = account(accountId).roles.get(AccountState.roleKey(roleName));
    if (r == null) {
      throw RamErrors.notExist("Role", roleName);
    }
    return r;
  }

  @Override
  public List<Role> listRoles(String accountId) {
    return List.copyOf(account(accountId).roles.values());
  }

  @Override
  public void attachPolicyToRole(String accountId, String policyName, String roleName) {
    checkAttachment(accountId, policyName);
    Validation.roleName(roleName);
    store.update(
        accountId,
        "attach policy " + policyName + " to role " + roleName,
        c -> run(() -> c.attachToRole(policyName, roleName)));
  }

  @Override
  public void detachPolicyFromRole(String accountId, String policyName, String roleName) {
    checkAttachment(accountId, policyName);
    Validation.roleName(roleName);
    store.update(
        accountId,
        "detach policy " + policyName + " from role " + roleName,
        c -> run(() -> c.detachFromRole(policyName, roleName)));
  }

  @Override
  public void entitle(String accountId, String entitlement) {
    entitlement(accountId, entitlement, true);
  }

  @Override
  public void revokeEntitlement(String accountId, String entitlement) {
    entitlement(accountId, entitlement, false);
  }

  private void entitlement(String accountId, String entitlement, boolean granted) {
    account(accountId);
    if (entitlement == null || !ENTITLEMENT.matcher(entitlement).matches()) {
      throw new OpenTrailException(
          "InvalidParameter.Entitlement",
          "An entitlement is 1 to 64 letters and digits, such as InnerTrail, not '"
              + entitlement
              + "'.",
          400);
    }
    boolean changed =
        store.update(
            accountId,
            (granted ? "entitle " : "withdraw entitlement ") + entitlement,
            c -> c.entitle(entitlement, granted));
    if (changed) {
      LOG.info(
          "Account {} {} entitlement {}",
          accountId,
          granted ? "was granted" : "no longer holds",
          entitlement);
    }
  }

  @Override
  public boolean entitled(String accountId, String entitlement) {
    AccountState a = accountId == null ? null : store.snapshot().account(accountId);
    return a != null && a.entitlements.contains(entitlement);
  }

  @Override
  public List<String> entitlements(String accountId) {
    return List.copyOf(account(accountId).entitlements);
  }

  private static void checkAttachment(String accountId, String policyName) {
    Validation.accountId(accountId);
    Validation.policyName(policyName);
  }

  /** An existing account's current state. */
  private AccountState account(String accountId) {
    Validation.accountId(accountId);
    AccountState a = store.snapshot().account(accountId);
    if (a == null) {
      throw new OpenTrailException(
          "EntityNotExist.Account", "The account " + accountId + " does not exist.", 404);
    }
    return a;
  }

  private static Void run(Runnable r) {
    r.run();
    return null;
  }
}
