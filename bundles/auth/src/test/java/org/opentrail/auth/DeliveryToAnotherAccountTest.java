package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Role ARNs of another account (ActionTrail's OssWriteRoleArn) and sealed destination secrets. */
class DeliveryToAnotherAccountTest extends AuthFixture {
  static String trust(String effect, String service) {
    return "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\""
        + effect
        + "\",\"Principal\":{\"Service\":[\""
        + service
        + "\"]}}],\"Version\":\"1\"}";
  }

  @Test
  void aRoleTrustingActionTrailForTheTrailsAccountMayBeAssumed() {
    String b = registry.createAccount().key().accountId();
    String c = registry.createAccount().key().accountId();
    registry.createRole(b, "deliver-a", trust("Allow", A + "@actiontrail.aliyuncs.com"), null);
    registry.createRole(b, "deliver-any", trust("Allow", "actiontrail.aliyuncs.com"), null);
    registry.createRole(b, "ecs-only", trust("Allow", A + "@ecs.aliyuncs.com"), null);
    ActionTrailRoleTrust t = new ActionTrailRoleTrust(registry);
    assertNull(t.refusal("acs:ram::" + b + ":role/deliver-a", A));
    String refused = t.refusal("acs:ram::" + b + ":role/deliver-a", c);
    assertTrue(refused.contains("does not exist or does not let ActionTrail"), refused);
    // without an account id the service is trusted only within the role's own account
    assertTrue(t.refusal("acs:ram::" + b + ":role/deliver-any", A) != null);
    assertNull(t.refusal("acs:ram::" + b + ":role/deliver-any", b));
    assertTrue(t.refusal("acs:ram::" + b + ":role/ecs-only", A) != null);
    // a missing role reads the same as an untrusting one: nothing about another account leaks
    String missing = t.refusal("acs:ram::" + b + ":role/nope", A);
    assertEquals(
        refused.replace(c, A).replace("deliver-a", "nope"), missing, "same words either way");
    assertTrue(t.refusal("arn:aws:iam::1:role/x", A).contains("is not a role ARN"));
    assertTrue(t.refusal(null, A).contains("is not a role ARN"));
    // deleting the role takes effect at once
    registry.deleteRole(b, "deliver-a");
    assertTrue(t.refusal("acs:ram::" + b + ":role/deliver-a", A) != null);
  }

  @Test
  void anExplicitDenyWins() {
    String s =
        "{\"Statement\":["
            + "{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
            + A
            + "@actiontrail.aliyuncs.com\"}},"
            + "{\"Action\":[\"sts:*\"],\"Effect\":\"Deny\",\"Principal\":{\"Service\":[\""
            + A
            + "@actiontrail.aliyuncs.com\"]}}]}";
    assertFalse(ActionTrailRoleTrust.trusts(s, A, "6543210987654321"));
    assertTrue(
        ActionTrailRoleTrust.trusts(s.replace("\"Deny\"", "\"Allow\""), A, "6543210987654321"));
    assertFalse(ActionTrailRoleTrust.trusts("not json", A, A));
    assertFalse(ActionTrailRoleTrust.trusts("{\"Statement\":{}}", A, A));
  }

  @Test
  void aDenyOfTheWholeServiceOrOfEveryoneWinsOverAnAccountsAllow() {
    String role = "6543210987654321";
    String allow =
        "{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
            + A
            + "@actiontrail.aliyuncs.com\"}}";
    for (String deny :
        List.of(
            "{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Deny\","
                + "\"Principal\":{\"Service\":\"actiontrail.aliyuncs.com\"}}",
            "{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Deny\","
                + "\"Principal\":{\"Service\":[\"*\"]}}",
            "{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Deny\","
                + "\"Principal\":{\"Service\":\"*@actiontrail.aliyuncs.com\"}}",
            "{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Deny\",\"Principal\":\"*\"}",
            "{\"Action\":\"sts:Assume*\",\"Effect\":\"Deny\","
                + "\"Principal\":{\"Service\":\""
                + A
                + "@actiontrail.aliyuncs.com\"}}")) {
      String policy = "{\"Statement\":[" + allow + "," + deny + "]}";
      assertFalse(ActionTrailRoleTrust.trusts(policy, A, role), deny);
    }
    assertTrue(ActionTrailRoleTrust.trusts("{\"Statement\":[" + allow + "]}", A, role));
    // a wildcard never allows: ActionTrail is trusted only when named
    assertFalse(
        ActionTrailRoleTrust.trusts(
            "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"*\"}}]}",
            A,
            role));
  }

  @Test
  void sealedSecretsOpenOnlyWithTheirContextAndNeverShowThePlainText() throws Exception {
    MasterKeySealer s = new MasterKeySealer(paths);
    String sealed = s.seal(A + "/audit/s3/secretAccessKey", "hunter2-secret");
    assertTrue(sealed.startsWith("sealed:v1:"));
    assertFalse(sealed.contains("hunter2"));
    assertNotEquals(sealed, s.seal(A + "/audit/s3/secretAccessKey", "hunter2-secret"), "fresh IV");
    assertEquals("hunter2-secret", s.unseal(A + "/audit/s3/secretAccessKey", sealed));
    IllegalStateException moved =
        assertThrows(
            IllegalStateException.class, () -> s.unseal(A + "/other/s3/secretAccessKey", sealed));
    assertFalse(moved.getMessage().contains("hunter2"));
    String tampered = sealed.substring(0, sealed.length() - 3) + "AAA";
    assertThrows(
        IllegalStateException.class, () -> s.unseal(A + "/audit/s3/secretAccessKey", tampered));
    assertThrows(IllegalArgumentException.class, () -> s.unseal("x", "plain"));
    assertThrows(IllegalArgumentException.class, () -> s.unseal("x", "sealed:v1:%%%"));
    // another master key cannot open it
    Files.delete(paths.masterKey());
    AuthPaths other = AuthPaths.under(data.resolve("other"));
    new IdentityRegistry(other, A);
    assertThrows(
        IllegalStateException.class,
        () -> new MasterKeySealer(other).unseal(A + "/audit/s3/secretAccessKey", sealed));
  }
}
