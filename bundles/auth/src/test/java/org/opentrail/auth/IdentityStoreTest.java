package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentrail.api.auth.NewAccessKey;
import org.opentrail.api.auth.Principal;
import org.slf4j.LoggerFactory;

class IdentityStoreTest extends AuthFixture {
  static final String DOC = IdentityRegistryTest.DOC;
  static final String TRUST = IdentityRegistryTest.TRUST;

  Properties credentials() throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(paths.credentials())) {
      p.load(r);
    }
    return p;
  }

  static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void firstStartWritesTheRootKeyOnceOwnerOnly() throws Exception {
    Properties p = credentials();
    assertEquals(A, p.getProperty("account_id"));
    String keyId = p.getProperty("access_key_id");
    String secret = p.getProperty("access_key_secret");
    assertTrue(keyId.matches("LTAI[A-Za-z0-9]{20}"));
    assertTrue(secret.matches("[A-Za-z0-9]{30}"));
    assertEquals("rw-------", permissions(paths.credentials()));
    assertEquals("rw-------", permissions(paths.masterKey()));
    assertEquals("rwx------", permissions(paths.directory()));
    assertEquals("rw-------", permissions(paths.directory().resolve(A + ".json")));
    // the key signs requests
    RequestAuthenticator auth =
        new RequestAuthenticator(registry, config(Map.of()), Clock.systemUTC());
    Principal root = auth.authenticate(new Signer(keyId, secret).rpc(Map.of()));
    assertEquals(Principal.Type.ROOT, root.type());
    // a restart leaves it alone
    String before = Files.readString(paths.credentials());
    reopen();
    assertEquals(before, Files.readString(paths.credentials()));
    assertEquals(List.of(A), registry.accounts());
    // an emptied identity store is not a first start: no new root account or key, the
    // credentials are left alone, and the error names the missing account file
    try (Stream<Path> files = Files.list(paths.directory())) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    IOException lost = assertThrows(IOException.class, this::reopen);
    assertTrue(
        lost.getMessage().contains(paths.directory().resolve(A + ".json").toString()),
        lost.getMessage());
    assertFalse(IdentityStore.hasAccounts(paths.directory()));
    assertEquals(before, Files.readString(paths.credentials()));
  }

  @Test
  void everythingSurvivesARestart() throws Exception {
    registry.createUser(A, "alice", "Alice");
    NewAccessKey k = registry.createAccessKey(A, "alice");
    registry.setAccessKeyActive(A, "alice", k.key().accessKeyId(), false);
    registry.createPolicy(A, "reader", DOC, "reads");
    registry.attachPolicyToUser(A, "reader", "alice");
    registry.createRole(A, "AliyunActionTrailDefaultRole", TRUST, "delivery");
    registry.createRole(A, "Auditor", TRUST, null);
    registry.attachPolicyToRole(A, "reader", "auditor");
    NewAccessKey b = registry.createAccount();
    registry.createUser(b.key().accountId(), "bob", null);
    IdentityRegistry before = registry;

    IdentityRegistry after = reopen();
    assertEquals(before.accounts(), after.accounts());
    for (String acct : after.accounts()) {
      assertEquals(before.listUsers(acct), after.listUsers(acct));
      assertEquals(before.listAccessKeys(acct, null), after.listAccessKeys(acct, null));
      assertEquals(before.listPolicies(acct), after.listPolicies(acct));
      assertEquals(before.listRoles(acct), after.listRoles(acct));
    }
    assertEquals(before.listAccessKeys(A, "alice"), after.listAccessKeys(A, "alice"));
    assertEquals(before.listPoliciesForUser(A, "alice"), after.listPoliciesForUser(A, "alice"));
    assertTrue(after.granted(A));
    assertFalse(after.granted(b.key().accountId()));
    AuthFixture.fails("DeleteConflict.Role.Policy", 409, () -> after.deleteRole(A, "Auditor"));
    AuthFixture.fails(
        "EntityAlreadyExists.User.Policy",
        409,
        () -> after.attachPolicyToUser(A, "reader", "alice"));
    PolicyAuthorizer authz = new PolicyAuthorizer(after);
    Principal alice = new Principal(A, Principal.Type.USER, "alice", k.key().accessKeyId());
    assertTrue(
        authz.allowed(alice, "actiontrail:DescribeTrails", "acs:actiontrail:*:" + A + ":trail/x"));
    // the secrets still sign (they were sealed, not lost)
    after.setAccessKeyActive(A, "alice", k.key().accessKeyId(), true);
    RequestAuthenticator auth =
        new RequestAuthenticator(after, config(Map.of()), Clock.systemUTC());
    assertEquals(
        "alice",
        auth.authenticate(new Signer(k.key().accessKeyId(), k.secret()).acs3(Map.of(), Map.of()))
            .userName());
    assertEquals(
        b.key().accountId(),
        auth.authenticate(new Signer(b.key().accessKeyId(), b.secret()).rpc(Map.of())).accountId());
  }

  @Test
  void secretsAreNeverOnDiskInPlainTextNorInLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      Files.delete(paths.credentials());
      Files.delete(FirstStart.marker(paths)); // wiped on purpose, the first-start marker too
      try (Stream<Path> files = Files.list(paths.directory())) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      reopen(); // a first start again, logged
      String rootSecret = credentials().getProperty("access_key_secret");
      registry.createUser(A, "alice", null);
      NewAccessKey k = registry.createAccessKey(A, "alice");
      NewAccessKey b = registry.createAccount();
      List<String> secrets = List.of(rootSecret, k.secret(), b.secret());
      try (Stream<Path> files = Files.walk(data)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          for (String s : secrets) {
            if (f.equals(paths.credentials()) && s.equals(rootSecret)) {
              continue; // the one place the first root secret is meant to be
            }
            assertFalse(content.contains(s), () -> "a secret is in " + f);
          }
        }
      }
      assertFalse(logs.list.isEmpty());
      for (ILoggingEvent e : logs.list) {
        for (String s : secrets) {
          assertFalse(e.getFormattedMessage().contains(s), e.getFormattedMessage());
        }
      }
      assertTrue(
          logs.list.stream()
              .anyMatch(e -> e.getFormattedMessage().contains(paths.credentials().toString())),
          "the credentials file is named");
      assertFalse(registry.snapshot().key(k.key().accessKeyId()).toString().contains(k.secret()));
      assertFalse(k.toString().contains(k.secret()));
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void aFailedWriteChangesNothing() throws Exception {
    Path file = paths.directory().resolve(A + ".json");
    Path aside = file.resolveSibling("aside");
    Files.move(file, aside);
    Files.createDirectory(file);
    Files.createFile(file.resolve("x")); // a non-empty directory: nothing can be renamed over it
    try {
      AuthFixture.fails("InternalError", 500, () -> registry.createUser(A, "alice", null));
      AuthFixture.fails("EntityNotExist.User", 404, () -> registry.getUser(A, "alice"));
    } finally {
      Files.delete(file.resolve("x"));
      Files.delete(file);
      Files.move(aside, file);
    }
    try (var left = Files.list(paths.directory())) {
      assertFalse(left.anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary file is left");
    }
    registry.createUser(A, "alice", null);
    assertEquals("alice", reopen().getUser(A, "alice").userName());
  }

  @Test
  void anotherMasterKeyCannotOpenTheSecretsAndALostOneIsNotReplaced() throws Exception {
    byte[] key = Files.readAllBytes(paths.masterKey());
    Files.delete(paths.masterKey());
    IOException lost = assertThrows(IOException.class, this::reopen);
    assertTrue(lost.getMessage().contains("master key"), lost.getMessage());
    assertFalse(Files.exists(paths.masterKey()));
    Files.writeString(
        paths.masterKey(), java.util.Base64.getEncoder().encodeToString(new byte[32]));
    IOException other = assertThrows(IOException.class, this::reopen);
    assertTrue(other.getMessage().contains("does not decrypt"), other.getMessage());
    Files.write(paths.masterKey(), key);
    assertEquals(List.of(A), reopen().accounts());
  }
}
