package org.opentrail.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.Policy;
import org.opentrail.api.auth.Role;

/**
 * RAM's policy and role operations (API version 2015-05-01): CreatePolicy, GetPolicy, ListPolicies,
 * DeletePolicy, AttachPolicyToUser, DetachPolicyFromUser, ListPoliciesForUser, CreateRole, GetRole,
 * ListRoles, DeleteRole, AttachPolicyToRole and DetachPolicyFromRole. Policies are custom policies
 * with one version, {@code v1}.
 */
final class RamPolicyOperations {
  private static final String POLICY = "ACS::RAM::Policy";
  private static final String ROLE = "ACS::RAM::Role";

  private final IdentityService identities;

  RamPolicyOperations(IdentityService identities) {
    this.identities = identities;
  }

  List<Operation> operations() {
    return List.of(
        policy("CreatePolicy")
            .write()
            .parameters("PolicyName", "PolicyDocument", "Description")
            .bulky("PolicyDocument")
            .handler(
                r ->
                    Map.of(
                        "Policy",
                        policy(
                            identities.createPolicy(
                                r.account(),
                                r.required("PolicyName"),
                                r.required("PolicyDocument"),
                                r.optional("Description"))))),
        policy("GetPolicy")
            .parameters("PolicyName", "PolicyType")
            .handler(
                r -> {
                  customOnly(r);
                  Policy p = identities.getPolicy(r.account(), r.required("PolicyName"));
                  Map<String, Object> version = new LinkedHashMap<>();
                  version.put("VersionId", "v1");
                  version.put("IsDefaultVersion", true);
                  version.put("PolicyDocument", p.document());
                  version.put("CreateDate", Times.format(p.createDate()));
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("Policy", policy(p));
                  m.put("DefaultPolicyVersion", version);
                  return m;
                }),
        Operation.of("ram", Operation.RAM_VERSION, "ListPolicies")
            .parameters("PolicyType", "Marker", "MaxItems")
            .handler(
                r -> {
                  customOnly(r);
                  return RamUserOperations.page(
                      r,
                      identities.listPolicies(r.account()),
                      Policy::policyName,
                      RamPolicyOperations::policy,
                      "Policies",
                      "Policy");
                }),
        policy("DeletePolicy")
            .write()
            .parameters("PolicyName")
            .handler(
                r -> {
                  identities.deletePolicy(r.account(), r.required("PolicyName"));
                  return new LinkedHashMap<>();
                }),
        attachment("AttachPolicyToUser", "UserName")
            .handler(
                r -> {
                  customOnly(r);
                  identities.attachPolicyToUser(
                      r.account(), r.required("PolicyName"), r.required("UserName"));
                  return new LinkedHashMap<>();
                }),
        attachment("DetachPolicyFromUser", "UserName")
            .handler(
                r -> {
                  customOnly(r);
                  identities.detachPolicyFromUser(
                      r.account(), r.required("PolicyName"), r.required("UserName"));
                  return new LinkedHashMap<>();
                }),
        Operation.of("ram", Operation.RAM_VERSION, "ListPoliciesForUser")
            .parameters("UserName")
            .resource("user", "UserName", "ACS::RAM::User")
            .handler(
                r -> {
                  List<Object> out = new ArrayList<>();
                  for (Policy p :
                      identities.listPoliciesForUser(r.account(), r.required("UserName"))) {
                    out.add(policy(p));
                  }
                  return Map.of("Policies", Map.of("Policy", out));
                }),
        role("CreateRole")
            .write()
            .parameters("RoleName", "AssumeRolePolicyDocument", "Description", "MaxSessionDuration")
            .bulky("AssumeRolePolicyDocument")
            .handler(
                r -> {
                  r.number("MaxSessionDuration", 3600, 43200);
                  return Map.of(
                      "Role",
                      role(
                          identities.createRole(
                              r.account(),
                              r.required("RoleName"),
                              r.required("AssumeRolePolicyDocument"),
                              r.optional("Description"))));
                }),
        role("GetRole")
            .parameters("RoleName")
            .handler(
                r -> Map.of("Role", role(identities.getRole(r.account(), r.required("RoleName"))))),
        Operation.of("ram", Operation.RAM_VERSION, "ListRoles")
            .parameters("Marker", "MaxItems")
            .handler(
                r ->
                    RamUserOperations.page(
                        r,
                        identities.listRoles(r.account()),
                        Role::roleName,
                        RamPolicyOperations::role,
                        "Roles",
                        "Role")),
        role("DeleteRole")
            .write()
            .parameters("RoleName")
            .handler(
                r -> {
                  identities.deleteRole(r.account(), r.required("RoleName"));
                  return new LinkedHashMap<>();
                }),
        attachment("AttachPolicyToRole", "RoleName")
            .handler(
                r -> {
                  customOnly(r);
                  identities.attachPolicyToRole(
                      r.account(), r.required("PolicyName"), r.required("RoleName"));
                  return new LinkedHashMap<>();
                }),
        attachment("DetachPolicyFromRole", "RoleName")
            .handler(
                r -> {
                  customOnly(r);
                  identities.detachPolicyFromRole(
                      r.account(), r.required("PolicyName"), r.required("RoleName"));
                  return new LinkedHashMap<>();
                }));
  }

  private static Operation.Builder policy(String name) {
    return Operation.of("ram", Operation.RAM_VERSION, name)
        .resource("policy", "PolicyName", POLICY);
  }

  private static Operation.Builder role(String name) {
    return Operation.of("ram", Operation.RAM_VERSION, name).resource("role", "RoleName", ROLE);
  }

  /** Attaching or detaching: authorized on the user or role it changes. */
  private static Operation.Builder attachment(String name, String target) {
    return Operation.of("ram", Operation.RAM_VERSION, name)
        .write()
        .parameters("PolicyType", "PolicyName", target)
        .resource(
            target.equals("UserName") ? "user" : "role",
            target,
            target.equals("UserName") ? "ACS::RAM::User" : ROLE);
  }

  /** OpenTrail has custom policies only; {@code PolicyType}, if given, must say so. */
  private static void customOnly(ApiRequest r) {
    String type = r.optional("PolicyType");
    if (type != null && !type.equals("Custom")) {
      throw new InvalidParameterException(
          "InvalidParameter.PolicyType",
          "PolicyType",
          "The parameter PolicyType must be Custom: OpenTrail has no system policies, not '"
              + ApiRequest.clip(type)
              + "'.");
    }
  }

  static Map<String, Object> policy(Policy p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("PolicyName", p.policyName());
    m.put("PolicyType", "Custom");
    m.put("Description", p.description() == null ? "" : p.description());
    m.put("DefaultVersion", "v1");
    m.put("CreateDate", Times.format(p.createDate()));
    return m;
  }

  static Map<String, Object> role(Role r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("RoleId", r.roleId());
    m.put("RoleName", r.roleName());
    m.put("Arn", r.arn());
    m.put("Description", r.description() == null ? "" : r.description());
    m.put("AssumeRolePolicyDocument", r.assumeRolePolicyDocument());
    m.put("CreateDate", Times.format(r.createDate()));
    return m;
  }
}
