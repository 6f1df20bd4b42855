package org.opentrail.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.NewAccessKey;
import org.opentrail.api.auth.Policy;
import org.opentrail.api.auth.Role;
import org.opentrail.api.auth.User;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code auth:*} commands: accounts, users, access keys, policies, roles and the delivery role. The
 * local shell is the administrator: these act without a signature or a policy check.
 */
@Component(
    service = AuthCommands.class,
    property = {
      "osgi.command.scope=auth",
      "osgi.command.function=accounts",
      "osgi.command.function=accountadd",
      "osgi.command.function=users",
      "osgi.command.function=useradd",
      "osgi.command.function=userdel",
      "osgi.command.function=keys",
      "osgi.command.function=keyadd",
      "osgi.command.function=keyenable",
      "osgi.command.function=keydisable",
      "osgi.command.function=keydel",
      "osgi.command.function=policies",
      "osgi.command.function=policy",
      "osgi.command.function=policyadd",
      "osgi.command.function=policydel",
      "osgi.command.function=attach",
      "osgi.command.function=detach",
      "osgi.command.function=roles",
      "osgi.command.function=roleadd",
      "osgi.command.function=roledel",
      "osgi.command.function=grant",
      "osgi.command.function=revoke"
    })
public final class AuthCommands {
  /** The trust policy of the delivery role: the ActionTrail service may assume it. */
  static final String DELIVERY_TRUST =
      "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":[\"actiontrail.aliyuncs.com\"]}}],\"Version\":\"1\"}";

  private static final long MAX_FILE_BYTES = 64 << 10;

  private final IdentityService identities;

  @Activate
  public AuthCommands(@Reference IdentityService identities) {
    this.identities = identities;
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  @Descriptor("List the accounts, the first created first")
  public String accounts() {
    Table t = new Table(60, "ACCOUNT", "DEFAULT", "USERS", "POLICIES", "ROLES", "DELIVERY ROLE");
    for (String a : identities.accounts()) {
      List<Role> roles = identities.listRoles(a);
      t.row(
          a,
          a.equals(identities.defaultAccountId()) ? "yes" : "",
          identities.listUsers(a).size(),
          identities.listPolicies(a).size(),
          roles.size(),
          roles.stream().anyMatch(AuthCommands::isDeliveryRole) ? "granted" : "not granted");
    }
    return t.toString().stripTrailing();
  }

  @Descriptor("Create an account with a root access key (its secret is shown only now)")
  public String accountadd() {
    NewAccessKey k = identities.createAccount();
    return "Account " + k.key().accountId() + " created.\n" + secret(k);
  }

  @Descriptor("List an account's users")
  public String users(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    Table t = new Table(60, "USER", "DISPLAY NAME", "USER ID", "CREATED", "POLICIES");
    for (User u : identities.listUsers(a)) {
      List<String> policies =
          identities.listPoliciesForUser(a, u.userName()).stream().map(Policy::policyName).toList();
      t.row(u.userName(), u.displayName(), u.userId(), u.createDate(), String.join(",", policies));
    }
    return t.toString().stripTrailing();
  }

  @Descriptor("Create a user (with no access key and no permission yet)")
  public String useradd(
      @Descriptor("the name shown for the user")
          @Parameter(
              names = {"-n", "--display-name"},
              absentValue = "")
          String displayName,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the user name: 1 to 64 letters, digits, '.', '_', '@' and '-'") String name) {
    User u = identities.createUser(account(account), name, displayName);
    return "User " + u.userName() + " created in account " + u.accountId();
  }

  @Descriptor("Delete a user with their access keys and policy attachments")
  public String userdel(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the user") String name) {
    identities.deleteUser(account(account), name);
    return "User " + name + " deleted with their access keys";
  }

  @Descriptor("List access keys: the root's and every user's, or one user's")
  public String keys(
      @Descriptor("only this user's keys")
          @Parameter(
              names = {"-u", "--user"},
              absentValue = "")
          String user,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    List<AccessKey> keys = new ArrayList<>();
    if (user.isEmpty()) {
      keys.addAll(identities.listAccessKeys(a, null));
      for (User u : identities.listUsers(a)) {
        keys.addAll(identities.listAccessKeys(a, u.userName()));
      }
    } else {
      keys.addAll(identities.listAccessKeys(a, user));
    }
    Table t = new Table(60, "ACCESS KEY", "OWNER", "STATUS", "CREATED");
    for (AccessKey k : keys) {
      t.row(
          k.accessKeyId(), owner(k.userName()), k.active() ? "Active" : "Inactive", k.createDate());
    }
    return t.toString().stripTrailing();
  }

  @Descriptor("Create an access key for a user or the root (its secret is shown only now)")
  public String keyadd(
      @Descriptor("the user (default: the account's root)")
          @Parameter(
              names = {"-u", "--user"},
              absentValue = "")
          String user,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    NewAccessKey k = identities.createAccessKey(account(account), user.isEmpty() ? null : user);
    return "Access key created for " + owner(k.key().userName()) + ".\n" + secret(k);
  }

  @Descriptor("Enable an access key: requests signed with it are accepted again")
  public String keyenable(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the access key id") String accessKeyId) {
    String a = account(account);
    identities.setAccessKeyActive(a, ownerOf(a, accessKeyId), accessKeyId, true);
    return "Access key " + accessKeyId + " enabled";
  }

  @Descriptor("Disable an access key: requests signed with it are refused until it is enabled")
  public String keydisable(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the access key id") String accessKeyId) {
    String a = account(account);
    identities.setAccessKeyActive(a, ownerOf(a, accessKeyId), accessKeyId, false);
    return "Access key " + accessKeyId + " disabled";
  }

  @Descriptor("Delete an access key for good")
  public String keydel(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the access key id") String accessKeyId) {
    String a = account(account);
    identities.deleteAccessKey(a, ownerOf(a, accessKeyId), accessKeyId);
    return "Access key " + accessKeyId + " deleted";
  }

  /** The user whose key it is, {@code null} for the root. */
  private String ownerOf(String account, String accessKeyId) {
    if (identities.listAccessKeys(account, null).stream()
        .anyMatch(k -> k.accessKeyId().equals(accessKeyId))) {
      return null;
    }
    for (User u : identities.listUsers(account)) {
      if (identities.listAccessKeys(account, u.userName()).stream()
          .anyMatch(k -> k.accessKeyId().equals(accessKeyId))) {
        return u.userName();
      }
    }
    throw new OpenTrailException(
        "EntityNotExist.AccessKey",
        "The access key " + accessKeyId + " does not exist in account " + account + ".",
        404);
  }

  @Descriptor("List an account's policies, or those attached to a user")
  public String policies(
      @Descriptor("only the policies attached to this user")
          @Parameter(
              names = {"-u", "--user"},
              absentValue = "")
          String user,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    List<Policy> policies =
        user.isEmpty() ? identities.listPolicies(a) : identities.listPoliciesForUser(a, user);
    Table t = new Table(60, "POLICY", "DESCRIPTION", "CREATED");
    for (Policy p : policies) {
      t.row(p.policyName(), p.description(), p.createDate());
    }
    return t.toString().stripTrailing();
  }

  @Descriptor("Show a policy and its document")
  public String policy(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the policy") String name) {
    Policy p = identities.getPolicy(account(account), name);
    return "Policy "
        + p.policyName()
        + (p.description() == null ? "" : " (" + p.description() + ")")
        + ", created "
        + p.createDate()
        + "\n"
        + p.document();
  }

  @Descriptor(
      "Create a policy from a JSON document, e.g. '{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"actiontrail:Describe*\",\"Resource\":\"*\"}]}'")
  public String policyadd(
      @Descriptor("what the policy is for")
          @Parameter(
              names = {"-d", "--description"},
              absentValue = "")
          String description,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the policy name: 1 to 128 letters, digits and '-'") String name,
      @Descriptor("the document in single quotes, or @file to read it from a file")
          String document) {
    Policy p = identities.createPolicy(account(account), name, text(document), description);
    return "Policy " + p.policyName() + " created (auth:attach " + p.policyName() + " <user>)";
  }

  @Descriptor("Delete a policy that is attached to nobody")
  public String policydel(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the policy") String name) {
    identities.deletePolicy(account(account), name);
    return "Policy " + name + " deleted";
  }

  @Descriptor("Attach a policy to a user: the user may do what it allows")
  public String attach(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the policy") String policy,
      @Descriptor("the user") String user) {
    identities.attachPolicyToUser(account(account), policy, user);
    return "Policy " + policy + " attached to user " + user;
  }

  @Descriptor("Detach a policy from a user")
  public String detach(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the policy") String policy,
      @Descriptor("the user") String user) {
    identities.detachPolicyFromUser(account(account), policy, user);
    return "Policy " + policy + " detached from user " + user;
  }

  @Descriptor("List an account's roles")
  public String roles(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    Table t = new Table(60, "ROLE", "ROLE ID", "DESCRIPTION", "CREATED", "ARN");
    for (Role r : identities.listRoles(account(account))) {
      t.row(r.roleName(), r.roleId(), r.description(), r.createDate(), r.arn());
    }
    return t.toString().stripTrailing();
  }

  @Descriptor("Create a role")
  public String roleadd(
      @Descriptor("what the role is for")
          @Parameter(
              names = {"-d", "--description"},
              absentValue = "")
          String description,
      @Descriptor(
              "who may assume it: a trust policy document or @file (default: the account's root)")
          @Parameter(
              names = {"-t", "--trust"},
              absentValue = "")
          String trust,
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the role name: 1 to 64 letters, digits, '.' and '-'") String name) {
    String a = account(account);
    String document =
        trust.isEmpty()
            ? "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":"
                + "{\"RAM\":[\"acs:ram::"
                + a
                + ":root\"]}}],\"Version\":\"1\"}"
            : text(trust);
    Role r = identities.createRole(a, name, document, description);
    return "Role " + r.roleName() + " created: " + r.arn();
  }

  @Descriptor("Delete a role that has no policies attached")
  public String roledel(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the role") String name) {
    identities.deleteRole(account(account), name);
    return "Role " + name + " deleted";
  }

  @Descriptor(
      "Grant the delivery role (" + DeliveryRole.ROLE_NAME + "): the account's trails may deliver")
  public String grant(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    if (identities.listRoles(a).stream().anyMatch(AuthCommands::isDeliveryRole)) {
      return "The delivery role " + DeliveryRole.ROLE_NAME + " is granted already in account " + a;
    }
    try {
      identities.createRole(
          a,
          DeliveryRole.ROLE_NAME,
          DELIVERY_TRUST,
          "ActionTrail delivers the account's trails to their destinations with this role");
    } catch (OpenTrailException e) {
      if (!e.code().equals("EntityAlreadyExists.Role")) {
        throw e;
      }
    }
    return "Delivery role "
        + DeliveryRole.ROLE_NAME
        + " granted in account "
        + a
        + ": its logging trails deliver";
  }

  @Descriptor(
      "Revoke the delivery role (detaching its policies, then deleting it): the account's trails stop delivering until it is granted again")
  public String revoke(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    if (identities.listRoles(a).stream().noneMatch(AuthCommands::isDeliveryRole)) {
      return "The delivery role " + DeliveryRole.ROLE_NAME + " is not granted in account " + a;
    }
    // IdentityService does not list a role's policies: detach every policy that is attached
    for (Policy p : identities.listPolicies(a)) {
      try {
        identities.detachPolicyFromRole(a, p.policyName(), DeliveryRole.ROLE_NAME);
      } catch (OpenTrailException e) {
        if (!e.code().equals("EntityNotExist.Role.Policy")) {
          throw e;
        }
      }
    }
    identities.deleteRole(a, DeliveryRole.ROLE_NAME);
    return "Delivery role "
        + DeliveryRole.ROLE_NAME
        + " revoked in account "
        + a
        + ": its trails stop delivering until auth:grant";
  }

  private static boolean isDeliveryRole(Role r) {
    return r.roleName().equalsIgnoreCase(DeliveryRole.ROLE_NAME);
  }

  private static String owner(String userName) {
    return userName == null ? "root" : userName;
  }

  private static String secret(NewAccessKey k) {
    return "AccessKeyId:     "
        + k.key().accessKeyId()
        + "\nAccessKeySecret: "
        + k.secret()
        + "\nThe secret is shown only now: keep it safe.";
  }

  /** The text itself, or a file's content for {@code @path}. */
  private static String text(String arg) {
    if (!arg.startsWith("@")) {
      return arg;
    }
    Path file = Path.of(arg.substring(1));
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
