package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.api.auth.DeliveryRole;
import org.opentrail.api.auth.NewAccessKey;
import org.opentrail.api.auth.Policy;
import org.opentrail.api.auth.Role;
import org.opentrail.api.auth.User;

class IdentityRegistryTest extends AuthFixture {
  static final String DOC =
      "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"actiontrail:*\",\"Resource\":\"*\"}]}";
  static final String TRUST =
      "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"actiontrail.aliyuncs.com\"]}}],\"Version\":\"1\"}";

  @Test
  void theFirstAccountIsTheOneGivenAndMoreCanBeCreated() {
    assertEquals(List.of(A), registry.accounts());
    assertEquals(1, registry.listAccessKeys(A, null).size(), "the root key of the first start");
    NewAccessKey b = registry.createAccount();
    assertTrue(b.key().accountId().matches("[1-9][0-9]{15}"));
    assertTrue(b.key().accessKeyId().matches("LTAI[A-Za-z0-9]{20}"));
    assertTrue(b.secret().matches("[A-Za-z0-9]{30}"));
    assertNull(b.key().userName());
    assertTrue(b.key().active());
    assertEquals(List.of(A, b.key().accountId()), registry.accounts());
    assertFalse(b.toString().contains(b.secret()));
  }

  @Test
  void usersAndTheirValidation() {
    User u = registry.createUser(A, "alice.b@corp-1_x", "Alice B");
    assertEquals("Alice B", u.displayName());
    assertEquals(u, registry.getUser(A, "alice.b@corp-1_x"));
    assertNull(registry.createUser(A, "bob", "").displayName());
    assertEquals(2, registry.listUsers(A).size());
    fails("EntityAlreadyExists.User", 409, () -> registry.createUser(A, "bob", null));
    for (String bad : new String[] {"", "a b", "a/b", "x".repeat(65), "ali\u00e7e", null}) {
      fails("InvalidParameter.UserName", 400, () -> registry.createUser(A, bad, null));
    }
    fails("InvalidParameter.DisplayName", 400, () -> registry.createUser(A, "c", "x".repeat(129)));
    fails("InvalidParameter.DisplayName", 400, () -> registry.createUser(A, "c", "a\nb"));
    fails("EntityNotExist.User", 404, () -> registry.getUser(A, "carol"));
    fails("EntityNotExist.User", 404, () -> registry.deleteUser(A, "carol"));
    registry.deleteUser(A, "bob");
    fails("EntityNotExist.User", 404, () -> registry.getUser(A, "bob"));
  }

  @Test
  void accountsAreChecked() {
    for (String bad : new String[] {"123", "12345678901234567", "abcdefghijklmnop", null}) {
      fails("InvalidParameter.AccountId", 400, () -> registry.listUsers(bad));
      fails("InvalidParameter.AccountId", 400, () -> registry.createUser(bad, "x", null));
    }
    fails("EntityNotExist.Account", 404, () -> registry.listUsers("6543210987654321"));
    fails("EntityNotExist.Account", 404, () -> registry.createUser("6543210987654321", "x", null));
    assertFalse(registry.granted("6543210987654321"));
    assertFalse(registry.granted(null));
  }

  @Test
  void accessKeysAtMostTwoPerIdentity() {
    registry.createUser(A, "alice", null);
    NewAccessKey k1 = registry.createAccessKey(A, "alice");
    NewAccessKey k2 = registry.createAccessKey(A, "alice");
    fails("LimitExceeded.User.AccessKey", 400, () -> registry.createAccessKey(A, "alice"));
    registry.setAccessKeyActive(A, "alice", k1.key().accessKeyId(), false);
    fails("LimitExceeded.User.AccessKey", 400, () -> registry.createAccessKey(A, "alice"));
    List<AccessKey> keys = registry.listAccessKeys(A, "alice");
    assertEquals(
        List.of(k1.key().accessKeyId(), k2.key().accessKeyId()),
        keys.stream().map(AccessKey::accessKeyId).toList());
    assertFalse(keys.get(0).active());
    assertTrue(keys.get(1).active());
    registry.createAccessKey(A, null); // root: one from the first start, this one
    fails("LimitExceeded.User.AccessKey", 400, () -> registry.createAccessKey(A, null));
    assertEquals(2, registry.listAccessKeys(A, null).size());
    // a key is addressed with its owner
    fails(
        "EntityNotExist.AccessKey",
        404,
        () -> registry.deleteAccessKey(A, null, k1.key().accessKeyId()));
    fails(
        "EntityNotExist.AccessKey",
        404,
        () -> registry.setAccessKeyActive(A, "alice", "LTAInothere", true));
    fails("EntityNotExist.User", 404, () -> registry.createAccessKey(A, "carol"));
    fails("EntityNotExist.User", 404, () -> registry.listAccessKeys(A, "carol"));
    registry.deleteAccessKey(A, "alice", k1.key().accessKeyId());
    registry.createAccessKey(A, "alice");
    registry.deleteUser(A, "alice");
    assertNull(registry.snapshot().key(k2.key().accessKeyId()), "a deleted user's keys go too");
  }

  @Test
  void policiesAndAttachments() {
    registry.createUser(A, "alice", null);
    Policy p = registry.createPolicy(A, "Trail-Reader-1", DOC, "reads trails");
    assertEquals(p, registry.getPolicy(A, "Trail-Reader-1"));
    assertEquals(List.of(p), registry.listPolicies(A));
    fails(
        "EntityAlreadyExists.Policy",
        409,
        () -> registry.createPolicy(A, "Trail-Reader-1", DOC, null));
    for (String bad : new String[] {"", "a_b", "a.b", "x".repeat(129), null}) {
      fails("InvalidParameter.PolicyName", 400, () -> registry.createPolicy(A, bad, DOC, null));
    }
    fails(
        "InvalidParameter.Description",
        400,
        () -> registry.createPolicy(A, "p", DOC, "x".repeat(1025)));
    fails(
        "InvalidParameter.Description", 400, () -> registry.createPolicy(A, "p", DOC, "tab\there"));
    fails("EntityNotExist.Policy", 404, () -> registry.getPolicy(A, "nope"));
    fails("EntityNotExist.Policy", 404, () -> registry.attachPolicyToUser(A, "nope", "alice"));
    fails(
        "EntityNotExist.User", 404, () -> registry.attachPolicyToUser(A, "Trail-Reader-1", "bob"));
    registry.attachPolicyToUser(A, "Trail-Reader-1", "alice");
    fails(
        "EntityAlreadyExists.User.Policy",
        409,
        () -> registry.attachPolicyToUser(A, "Trail-Reader-1", "alice"));
    assertEquals(List.of(p), registry.listPoliciesForUser(A, "alice"));
    fails("DeleteConflict.Policy.User", 409, () -> registry.deletePolicy(A, "Trail-Reader-1"));
    registry.detachPolicyFromUser(A, "Trail-Reader-1", "alice");
    fails(
        "EntityNotExist.User.Policy",
        404,
        () -> registry.detachPolicyFromUser(A, "Trail-Reader-1", "alice"));
    assertEquals(List.of(), registry.listPoliciesForUser(A, "alice"));
    registry.createRole(A, "Auditor", TRUST, null);
    registry.attachPolicyToRole(A, "Trail-Reader-1", "auditor");
    fails(
        "EntityAlreadyExists.Role.Policy",
        409,
        () -> registry.attachPolicyToRole(A, "Trail-Reader-1", "AUDITOR"));
    fails("DeleteConflict.Policy.Role", 409, () -> registry.deletePolicy(A, "Trail-Reader-1"));
    fails("DeleteConflict.Role.Policy", 409, () -> registry.deleteRole(A, "Auditor"));
    registry.detachPolicyFromRole(A, "Trail-Reader-1", "Auditor");
    fails(
        "EntityNotExist.Role.Policy",
        404,
        () -> registry.detachPolicyFromRole(A, "Trail-Reader-1", "Auditor"));
    registry.deletePolicy(A, "Trail-Reader-1");
    fails("EntityNotExist.Policy", 404, () -> registry.deletePolicy(A, "Trail-Reader-1"));
  }

  @Test
  void rolesAndTheDeliveryRole() {
    assertFalse(registry.granted(A));
    Role r = registry.createRole(A, "aliyunactiontraildefaultrole", TRUST, "delivery");
    assertTrue(registry.granted(A), "role names are not case-sensitive");
    assertEquals("acs:ram::" + A + ":role/aliyunactiontraildefaultrole", r.arn());
    assertEquals(r, registry.getRole(A, DeliveryRole.ROLE_NAME));
    fails(
        "EntityAlreadyExists.Role",
        409,
        () -> registry.createRole(A, DeliveryRole.ROLE_NAME, TRUST, null));
    registry.createRole(A, "a.b-C", TRUST, null);
    assertEquals(
        List.of("a.b-C", "aliyunactiontraildefaultrole"),
        registry.listRoles(A).stream().map(Role::roleName).toList());
    for (String bad : new String[] {"", "a_b", "a b", "x".repeat(65), null}) {
      fails("InvalidParameter.RoleName", 400, () -> registry.createRole(A, bad, TRUST, null));
    }
    fails("MalformedPolicyDocument", 400, () -> registry.createRole(A, "r", "not json", null));
    fails(
        "MalformedPolicyDocument",
        400,
        () -> registry.createRole(A, "r", "{\"a\":\"" + "x".repeat(2048) + "\"}", null));
    fails("MalformedPolicyDocument", 400, () -> registry.createRole(A, "r", null, null));
    fails("InvalidParameter.Description", 400, () -> registry.createRole(A, "r", TRUST, "\u0007"));
    fails("EntityNotExist.Role", 404, () -> registry.getRole(A, "nope"));
    fails("EntityNotExist.Role", 404, () -> registry.deleteRole(A, "nope"));
    registry.deleteRole(A, "AliyunActionTrailDefaultRole");
    assertFalse(registry.granted(A));
  }
}
