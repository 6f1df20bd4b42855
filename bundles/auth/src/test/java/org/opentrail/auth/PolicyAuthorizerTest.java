package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Principal;

class PolicyAuthorizerTest extends AuthFixture {
  static final String TRAIL = "acs:actiontrail:cn-hangzhou:" + A + ":trail/audit";
  PolicyAuthorizer authz;
  Principal root = new Principal(A, Principal.Type.ROOT, null, "LTAIroot");
  Principal alice = new Principal(A, Principal.Type.USER, "alice", "LTAIalice");
  Principal bob = new Principal(A, Principal.Type.USER, "bob", "LTAIbob");

  @BeforeEach
  void users() {
    authz = new PolicyAuthorizer(registry);
    registry.createUser(A, "alice", null);
    registry.createUser(A, "bob", null);
  }

  void grant(String user, String policy, String statements) {
    registry.createPolicy(
        A, policy, "{\"Version\":\"1\",\"Statement\":[" + statements + "]}", null);
    registry.attachPolicyToUser(A, policy, user);
  }

  static String allow(String action, String resource) {
    return statement("Allow", action, resource);
  }

  static String statement(String effect, String action, String resource) {
    return "{\"Effect\":\""
        + effect
        + "\",\"Action\":"
        + action
        + ",\"Resource\":"
        + resource
        + "}";
  }

  @Test
  void rootMayDoAnythingInItsAccountOnly() {
    assertTrue(authz.allowed(root, "actiontrail:DeleteTrail", TRAIL));
    assertTrue(authz.allowed(root, "ram:CreateUser", "acs:ram::" + A + ":user/x"));
    assertFalse(
        authz.allowed(
            root,
            "actiontrail:DeleteTrail",
            "acs:actiontrail:cn-hangzhou:6543210987654321:trail/audit"));
    assertFalse(authz.allowed(root, "actiontrail:DeleteTrail", "*"));
    assertFalse(authz.allowed(root, "actiontrail:DeleteTrail", "acs:actiontrail:*:*:trail/audit"));
    assertFalse(
        authz.allowed(
            new Principal("6543210987654321", Principal.Type.ROOT, null, "k"),
            "actiontrail:DescribeTrails",
            "acs:actiontrail:*:6543210987654321:trail/*"),
        "no such account");
  }

  @Test
  void aUserWithoutPoliciesMayDoNothing() {
    assertFalse(authz.allowed(alice, "actiontrail:DescribeTrails", TRAIL));
    OpenTrailException e =
        fails(
            "Forbidden.RAM",
            403,
            () -> authz.authorize(alice, "actiontrail:DescribeTrails", TRAIL));
    assertTrue(e.getMessage().contains("actiontrail:DescribeTrails"), e.getMessage());
    assertTrue(e.getMessage().contains(TRAIL), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("User not authorized to operate on the specified resource"));
  }

  @Test
  void wildcardsInActionsIgnoreCaseAndInResourcesOnlyInTheService() {
    grant(
        "alice",
        "read",
        allow("\"actiontrail:Describe*\"", "\"acs:ActionTrail:*:" + A + ":trail/*\""));
    assertTrue(authz.allowed(alice, "actiontrail:DescribeTrails", TRAIL));
    assertTrue(authz.allowed(alice, "ActionTrail:describetrails", TRAIL));
    assertTrue(
        authz.allowed(
            alice, "actiontrail:DescribeTrails", "acs:actiontrail:cn-beijing:" + A + ":trail/x"));
    assertFalse(authz.allowed(alice, "actiontrail:CreateTrail", TRAIL));
    assertFalse(
        authz.allowed(
            alice,
            "actiontrail:DescribeTrails",
            "acs:actiontrail:cn-hangzhou:" + A + ":Trail/audit"),
        "resources are case-sensitive");
    assertFalse(
        authz.allowed(
            alice, "actiontrail:DescribeTrails", "acs:actiontrail:cn-hangzhou:" + A + ":job/1"));
    assertFalse(authz.allowed(bob, "actiontrail:DescribeTrails", TRAIL), "bob has no policy");
    authz.authorize(alice, "actiontrail:DescribeTrails", TRAIL);

    grant(
        "bob",
        "one",
        allow(
            "[\"actiontrail:Get?railStatus\",\"actiontrail:StartLogging\"]",
            "[\"acs:actiontrail:*:" + A + ":trail/a?dit\"]"));
    assertTrue(authz.allowed(bob, "actiontrail:GetTrailStatus", TRAIL));
    assertTrue(authz.allowed(bob, "actiontrail:StartLogging", TRAIL));
    assertFalse(authz.allowed(bob, "actiontrail:GetTTrailStatus", TRAIL));
    assertFalse(authz.allowed(bob, "actiontrail:StartLogging", TRAIL + "s"));
  }

  @Test
  void denyWinsOverAllowFromAnyPolicy() {
    grant("alice", "all", allow("\"*\"", "\"*\""));
    assertTrue(authz.allowed(alice, "actiontrail:DeleteTrail", TRAIL));
    assertTrue(authz.allowed(alice, "ram:DeleteUser", "acs:ram::" + A + ":user/bob"));
    grant("alice", "no-delete", statement("Deny", "\"actiontrail:Delete*\"", "\"*\""));
    assertFalse(authz.allowed(alice, "actiontrail:DeleteTrail", TRAIL));
    assertTrue(authz.allowed(alice, "actiontrail:CreateTrail", TRAIL));
    fails("Forbidden.RAM", 403, () -> authz.authorize(alice, "actiontrail:deletetrail", TRAIL));
    registry.detachPolicyFromUser(A, "no-delete", "alice");
    assertTrue(authz.allowed(alice, "actiontrail:DeleteTrail", TRAIL));
  }

  @Test
  void denyAndAllowInOnePolicy() {
    grant(
        "alice",
        "mixed",
        allow("\"actiontrail:*\"", "\"*\"")
            + ","
            + statement(
                "Deny", "\"actiontrail:*\"", "\"acs:actiontrail:*:" + A + ":trail/secret\""));
    assertTrue(authz.allowed(alice, "actiontrail:StopLogging", TRAIL));
    assertFalse(
        authz.allowed(
            alice,
            "actiontrail:StopLogging",
            "acs:actiontrail:cn-hangzhou:" + A + ":trail/secret"));
    assertFalse(authz.allowed(alice, "ram:CreateUser", "acs:ram::" + A + ":user/x"));
  }

  @Test
  void usersNeverActOutsideTheirAccount() {
    grant("alice", "all", allow("\"*\"", "\"*\""));
    String other = "acs:actiontrail:cn-hangzhou:6543210987654321:trail/audit";
    assertFalse(authz.allowed(alice, "actiontrail:DescribeTrails", other));
    assertFalse(authz.allowed(alice, "actiontrail:DescribeTrails", "*"));
    assertFalse(authz.allowed(alice, "actiontrail:DescribeTrails", "not-an-arn"));
    Principal stranger = new Principal("6543210987654321", Principal.Type.USER, "alice", "k");
    assertFalse(authz.allowed(stranger, "actiontrail:DescribeTrails", other));
  }

  @Test
  void deletingAUserTakesTheirPermissionsAndARecreatedUserStartsWithNone() {
    grant("alice", "all", allow("\"*\"", "\"*\""));
    assertTrue(authz.allowed(alice, "actiontrail:DescribeTrails", TRAIL));
    registry.deleteUser(A, "alice");
    assertFalse(authz.allowed(alice, "actiontrail:DescribeTrails", TRAIL));
    registry.createUser(A, "alice", null);
    assertFalse(authz.allowed(alice, "actiontrail:DescribeTrails", TRAIL));
    assertEquals(0, registry.listPoliciesForUser(A, "alice").size());
  }

  @Test
  void wildcardMatching() {
    assertTrue(Wildcard.matches("*", ""));
    assertTrue(Wildcard.matches("a*b*c", "aXXbYYc"));
    assertTrue(Wildcard.matches("a*b", "abab"));
    assertFalse(Wildcard.matches("a*b", "abac"));
    assertTrue(Wildcard.matches("??", "ab"));
    assertFalse(Wildcard.matches("??", "abc"));
    assertFalse(Wildcard.matches("a?", "a"));
    assertTrue(Wildcard.matches("*a*a*a*a*a*b", "a".repeat(200) + "b"));
    assertFalse(Wildcard.matches("*a*a*a*a*a*b", "a".repeat(200)));
    assertEquals("acs:actiontrail:*:1:trail/X", Arns.normalize("acs:ActionTrail:*:1:trail/X"));
    assertEquals("1", Arns.account("acs:ram::1:user/a"));
    assertEquals(null, Arns.account("acs:ram:1"));
  }
}
