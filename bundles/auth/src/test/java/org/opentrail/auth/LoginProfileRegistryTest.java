package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Principal;

class LoginProfileRegistryTest extends AuthFixture {
  private static final int ITERATIONS = 100_000;

  private LoginProfileRegistry profiles(Path file) throws Exception {
    return new LoginProfileRegistry(registry, file, 8, ITERATIONS);
  }

  @Test
  void aPasswordIsVerifiedHashedAndKeptAcrossRestarts() throws Exception {
    Path file = data.resolve("auth/login-profiles/profiles.json");
    registry.createUser(A, "alice", null);
    LoginProfileRegistry p = profiles(file);
    p.create(A, "alice", "correct horse battery", false);
    assertEquals(
        new Principal(A, Principal.Type.USER, "alice", null),
        p.verify(A, "alice", "correct horse battery").orElseThrow());
    assertFalse(p.verify(A, "alice", "correct horse batterY").isPresent());
    assertFalse(p.verify(A, "bob", "correct horse battery").isPresent());
    assertFalse(p.verify("' or 1=1 --", "alice", "correct horse battery").isPresent());
    String stored = Files.readString(file, StandardCharsets.UTF_8);
    assertFalse(stored.contains("correct horse battery"), stored);
    assertTrue(stored.contains("pbkdf2-sha256$100000$"), stored);
    assertTrue(profiles(file).verify(A, "alice", "correct horse battery").isPresent());
    reopen(); // the identity store still opens with the profiles beside it
    assertTrue(
        new LoginProfileRegistry(registry, file, 8, ITERATIONS)
            .verify(A, "alice", "correct horse battery")
            .isPresent());
  }

  @Test
  void rulesOfRam() throws Exception {
    registry.createUser(A, "alice", null);
    LoginProfileRegistry p = profiles(data.resolve("lp.json"));
    OpenTrailException e =
        fails("InvalidParameter.Password", 400, () -> p.create(A, "alice", "short", false));
    assertFalse(e.getMessage().contains("short"), e.getMessage());
    registry.createUser(A, "administrator", null);
    fails(
        "InvalidParameter.Password",
        400,
        () -> p.create(A, "administrator", "Administrator", false));
    fails("EntityNotExist.User", 404, () -> p.create(A, "nobody", "long enough pw", false));
    fails("EntityNotExist.User.LoginProfile", 404, () -> p.get(A, "alice"));
    p.create(A, "alice", "long enough pw", true);
    fails(
        "EntityAlreadyExists.User.LoginProfile",
        409,
        () -> p.create(A, "alice", "long enough pw", false));
    assertTrue(p.get(A, "alice").passwordResetRequired());
    p.update(A, "alice", "another long pw", false);
    assertFalse(p.get(A, "alice").passwordResetRequired());
    assertFalse(p.verify(A, "alice", "long enough pw").isPresent());
    assertTrue(p.verify(A, "alice", "another long pw").isPresent());
    p.delete(A, "alice");
    assertFalse(p.verify(A, "alice", "another long pw").isPresent());
    fails("EntityNotExist.User.LoginProfile", 404, () -> p.delete(A, "alice"));
  }

  @Test
  void aUserCreatedAgainDoesNotInheritTheProfile() throws Exception {
    registry.createUser(A, "alice", null);
    LoginProfileRegistry p = profiles(data.resolve("lp.json"));
    p.create(A, "alice", "long enough pw", false);
    registry.deleteUser(A, "alice");
    registry.createUser(A, "alice", null);
    assertFalse(p.verify(A, "alice", "long enough pw").isPresent());
    fails("EntityNotExist.User.LoginProfile", 404, () -> p.get(A, "alice"));
  }
}
