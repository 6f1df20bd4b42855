package org.opentrail.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;

class AuthCommandsTest {
  static final String A = "1234567890123456";
  static final String DOC =
      "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"actiontrail:Describe*\",\"Resource\":\"*\"}]}";

  @TempDir Path data;
  IdentityRegistry registry;
  AuthCommands auth;

  @BeforeEach
  void open() throws Exception {
    registry = new IdentityRegistry(AuthPaths.under(data), A);
    auth = new AuthCommands(registry);
  }

  static String secretLine(String out) {
    return out.lines().filter(l -> l.startsWith("AccessKeySecret:")).findFirst().orElseThrow();
  }

  @Test
  void accountsAndTheirRootKeys() {
    String out = auth.accountadd();
    String secret = secretLine(out).substring("AccessKeySecret:".length()).strip();
    assertTrue(secret.matches("[A-Za-z0-9]{30}"), out);
    String b = registry.accounts().get(1);
    assertTrue(out.startsWith("Account " + b + " created."), out);
    String list = auth.accounts();
    assertTrue(list.lines().anyMatch(l -> l.startsWith(A) && l.contains("yes")), list);
    assertTrue(list.contains(b), list);
    assertFalse(list.contains(secret));
    assertFalse(auth.keys("", b).contains(secret));
  }

  @Test
  void usersKeysAndTheDefaultAccount() {
    assertEquals("User alice created in account " + A, auth.useradd("Alice A", "", "alice"));
    String added = auth.keyadd("alice", "");
    assertTrue(added.contains("Access key created for alice."), added);
    AccessKey k = registry.listAccessKeys(A, "alice").get(0);
    assertTrue(added.contains(k.accessKeyId()));
    assertTrue(auth.users("").contains("Alice A"));
    String keys = auth.keys("", "");
    assertTrue(
        keys.lines()
            .anyMatch(
                l -> l.contains(k.accessKeyId()) && l.contains("alice") && l.contains("Active")),
        keys);
    assertTrue(keys.lines().anyMatch(l -> l.contains("root")), keys);
    assertEquals(
        "Access key " + k.accessKeyId() + " disabled", auth.keydisable("", k.accessKeyId()));
    assertFalse(registry.listAccessKeys(A, "alice").get(0).active());
    assertTrue(auth.keys("alice", "").contains("Inactive"));
    auth.keyenable("", k.accessKeyId());
    assertTrue(registry.listAccessKeys(A, "alice").get(0).active());
    auth.keydel("", k.accessKeyId());
    assertEquals(List.of(), registry.listAccessKeys(A, "alice"));
    OpenTrailException e =
        assertThrows(OpenTrailException.class, () -> auth.keydel("", k.accessKeyId()));
    assertEquals("EntityNotExist.AccessKey", e.code());
    String rootKey = auth.keyadd("", "");
    assertTrue(rootKey.contains("Access key created for root."), rootKey);
    auth.userdel("", "alice");
    assertEquals(List.of(), registry.listUsers(A));
    String other = registry.createAccount().key().accountId();
    auth.useradd("", other, "bob");
    assertEquals("bob", registry.listUsers(other).get(0).userName());
    assertEquals(List.of(), registry.listUsers(A));
  }

  @Test
  void policiesFromTextOrFileAndAttachments() throws Exception {
    auth.useradd("", "", "alice");
    assertTrue(
        auth.policyadd("reads trails", "", "reader", DOC).startsWith("Policy reader created"));
    Path file = data.resolve("p.json");
    Files.writeString(file, DOC.replace("Describe*", "*"));
    auth.policyadd("", "", "writer", "@" + file);
    assertTrue(auth.policy("", "writer").contains("actiontrail:*"));
    assertTrue(auth.policy("", "reader").startsWith("Policy reader (reads trails)"));
    assertThrows(
        IllegalArgumentException.class,
        () -> auth.policyadd("", "", "x", "@" + data.resolve("none")));
    OpenTrailException bad =
        assertThrows(OpenTrailException.class, () -> auth.policyadd("", "", "x", "{}"));
    assertEquals("MalformedPolicyDocument", bad.code());
    assertEquals("Policy reader attached to user alice", auth.attach("", "reader", "alice"));
    assertTrue(auth.policies("alice", "").contains("reader"));
    assertFalse(auth.policies("alice", "").contains("writer"));
    assertTrue(auth.users("").contains("reader"));
    assertEquals(
        "DeleteConflict.Policy.User",
        assertThrows(OpenTrailException.class, () -> auth.policydel("", "reader")).code());
    auth.detach("", "reader", "alice");
    auth.policydel("", "reader");
    assertFalse(auth.policies("", "").contains("reader"));
  }

  @Test
  void grantAndRevokeTheDeliveryRole() {
    assertFalse(registry.granted(A));
    assertTrue(auth.grant("").contains("granted in account " + A));
    assertTrue(registry.granted(A));
    assertTrue(auth.grant("").contains("granted already"));
    assertTrue(auth.roles("").contains("acs:ram::" + A + ":role/aliyunactiontraildefaultrole"));
    auth.policyadd("", "", "delivery", DOC);
    registry.attachPolicyToRole(A, "delivery", "AliyunActionTrailDefaultRole");
    assertTrue(auth.revoke("").contains("revoked"));
    assertFalse(registry.granted(A));
    assertTrue(auth.revoke("").contains("not granted"));
    auth.policydel("", "delivery"); // it was detached
    assertTrue(auth.accounts().contains("not granted"));
  }

  @Test
  void otherRoles() {
    assertTrue(auth.roleadd("auditors", "", "", "Auditor").startsWith("Role Auditor created"));
    assertTrue(
        registry
            .getRole(A, "auditor")
            .assumeRolePolicyDocument()
            .contains("acs:ram::" + A + ":root"));
    assertEquals(
        "MalformedPolicyDocument",
        assertThrows(OpenTrailException.class, () -> auth.roleadd("", "nope", "", "r2")).code());
    auth.roledel("", "auditor");
    assertEquals(List.of(), registry.listRoles(A));
  }
}
