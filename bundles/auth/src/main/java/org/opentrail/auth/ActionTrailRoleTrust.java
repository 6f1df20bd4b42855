package org.opentrail.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.Role;
import org.opentrail.api.auth.RoleTrust;
import org.opentrail.api.event.EventJson;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link RoleTrust} over the roles of the identity registry: a role of another account may be
 * assumed by ActionTrail for a trail's account when its trust policy (RAM's
 * AssumeRolePolicyDocument) has an Allow statement for {@code sts:AssumeRole} (or {@code sts:*},
 * {@code *}) whose {@code Principal.Service} lists {@code <trail
 * account>@actiontrail.aliyuncs.com}, and no Deny statement covering it (a Deny of the whole
 * service, of {@code *} or of a pattern matching it counts). Checked at each call, so deleting the
 * role or changing its policy takes effect at once.
 */
@Component(service = RoleTrust.class)
public final class ActionTrailRoleTrust implements RoleTrust {
  private final IdentityService identities;

  @Activate
  public ActionTrailRoleTrust(@Reference IdentityService identities) {
    this.identities = identities;
  }

  @Override
  public String refusal(String roleArn, String trailAccountId) {
    String account = RoleTrust.accountOf(roleArn);
    if (account == null) {
      return "'" + shown(roleArn) + "' is not a role ARN (acs:ram::<accountId>:role/<roleName>)";
    }
    String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    Role role;
    try {
      role = identities.getRole(account, roleName);
    } catch (OpenTrailException e) {
      role = null;
    }
    String missing =
        "the role "
            + roleArn
            + " does not exist or does not let ActionTrail deliver for account "
            + trailAccountId
            + " (its trust policy must allow sts:AssumeRole to the service "
            + trailAccountId
            + "@"
            + SERVICE
            + ")";
    if (role == null) {
      return missing;
    }
    return trusts(role.assumeRolePolicyDocument(), trailAccountId, account) ? null : missing;
  }

  /** Whether the trust policy lets ActionTrail act for {@code trailAccount}. */
  static boolean trusts(String policy, String trailAccount, String roleAccount) {
    Object doc;
    try {
      doc = EventJson.read(policy.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return false;
    }
    if (!(doc instanceof Map<?, ?> m) || !(m.get("Statement") instanceof List<?> statements)) {
      return false;
    }
    boolean allowed = false;
    for (Object s : statements) {
      if (!(s instanceof Map<?, ?> st)) {
        continue;
      }
      if ("Deny".equals(st.get("Effect")) && deniesAny(st, trailAccount)) {
        return false;
      }
      allowed |=
          "Allow".equals(st.get("Effect"))
              && assumes(st.get("Action"))
              && names(st, trailAccount, roleAccount);
    }
    return allowed;
  }

  /**
   * Whether a Deny statement covers ActionTrail assuming the role for {@code trailAccount}: its
   * actions and service principals are patterns ({@code sts:*}, {@code *}, {@code
   * actiontrail.aliyuncs.com} for the whole service, {@code "Principal": "*"}), as a Deny reads
   * broadly; an Allow must name the account.
   */
  private static boolean deniesAny(Map<?, ?> statement, String trailAccount) {
    boolean action = false;
    for (Object a : list(statement.get("Action"))) {
      action |= a instanceof String p && Wildcard.matches(p, "sts:AssumeRole");
    }
    if (!action) {
      return false;
    }
    Object principal = statement.get("Principal");
    if ("*".equals(principal)) {
      return true;
    }
    if (!(principal instanceof Map<?, ?> m)) {
      return false;
    }
    for (Object p : list(m.get("Service"))) {
      if (p instanceof String s
          && (s.equals(SERVICE) || Wildcard.matches(s, trailAccount + "@" + SERVICE))) {
        return true;
      }
    }
    return false;
  }

  private static boolean assumes(Object action) {
    for (Object a : list(action)) {
      if ("sts:AssumeRole".equals(a) || "sts:*".equals(a) || "*".equals(a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean names(Map<?, ?> statement, String trailAccount, String roleAccount) {
    if (!(statement.get("Principal") instanceof Map<?, ?> principal)) {
      return false;
    }
    for (Object s : list(principal.get("Service"))) {
      if ((trailAccount + "@" + SERVICE).equals(s)
          || (SERVICE.equals(s) && trailAccount.equals(roleAccount))) {
        return true;
      }
    }
    return false;
  }

  private static List<?> list(Object v) {
    return v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
  }

  private static String shown(String s) {
    return s == null ? "" : s.length() > 96 ? s.substring(0, 96) + "…" : s;
  }
}
