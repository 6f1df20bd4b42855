package org.opentrail.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentrail.api.proof.PublicKeyInfo;

/**
 * Signing keys under damage and contention: a key file that does not add up, a key sealed for
 * another account, another master key, unknown accounts, and concurrent first uses and rotations. A
 * damaged file is an error naming it, and it is left as it is: no new key is made in its place.
 */
class SigningKeysDamageTest extends AuthFixture {
  MutableClock clock;
  AccountSigningKeys keys;
  ExecutorService pool;

  /** The key file as the component wrote it, before a test damaged it. */
  String good;

  @BeforeEach
  void openKeys() throws Exception {
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    keys = new AccountSigningKeys(registry, paths, clock);
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  Path keyFile(String account) {
    return paths.signingKeys().resolve(account + ".json");
  }

  /** Damages the file with {@code edit}, then asserts that a fresh component refuses every use. */
  void refusedAfter(UnaryOperator<String> edit, String expected) throws Exception {
    keys.sign(A, "x".getBytes(UTF_8));
    if (good == null) {
      good = Files.readString(keyFile(A));
    }
    String text = good;
    String damaged = edit.apply(text);
    assertFalse(damaged.equals(text), "the edit changed nothing");
    Files.writeString(keyFile(A), damaged);
    AccountSigningKeys fresh = new AccountSigningKeys(registry, paths, clock);
    for (Executable use :
        List.<Executable>of(
            () -> fresh.sign(A, "y".getBytes(UTF_8)),
            () -> fresh.rotate(A),
            () -> fresh.currentKey(A))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, use);
      assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
    assertEquals(damaged, Files.readString(keyFile(A)), "the file is left for the operator");
  }

  @Test
  void aCorruptFileIsAnErrorNamingItNeverANewKey() throws Exception {
    String file = keyFile(A).toString();
    refusedAfter(t -> t.substring(0, t.length() / 2), file);
    refusedAfter(t -> "", file);
    refusedAfter(t -> t.replace("\"format\" : 1", "\"format\" : 7"), "unknown format 7");
    refusedAfter(
        t -> t.replace("\"validityEnd\" : null", "\"validityEnd\" : \"2026-03-01T10:00:00Z\""),
        "ended");
  }

  @Test
  void aSwappedPublicKeyIsRefused() throws Exception {
    PublicKeyInfo k = keys.currentKey(A);
    String other = Base64.getEncoder().encodeToString(Ed25519.generate().getPublic().getEncoded());
    String mine = Base64.getEncoder().encodeToString(k.value());
    refusedAfter(t -> t.replace(mine, other), "another fingerprint");
  }

  @Test
  void aTamperedSealSignsNothingAndOnlyAnOperatorsRotationReplacesIt() throws Exception {
    PublicKeyInfo k = keys.currentKey(A);
    String damaged = flipSealedByte(Files.readString(keyFile(A)));
    Files.writeString(keyFile(A), damaged);
    AccountSigningKeys fresh = new AccountSigningKeys(registry, paths, clock);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> fresh.sign(A, "y".getBytes(UTF_8)));
    assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
    assertTrue(e.getMessage().contains(k.fingerprint()), e.getMessage());
    assertEquals(damaged, Files.readString(keyFile(A)), "no new key made in its place");
    assertEquals(
        List.of(k.fingerprint()), SigningKeysTest.fingerprints(fresh.publicKeys(A, null, null)));
    // the public half still verifies what it signed; the operator's rotation is the way on
    PublicKeyInfo next = fresh.rotate(A);
    assertEquals(next.fingerprint(), fresh.sign(A, "z".getBytes(UTF_8)).fingerprint());
    assertEquals(2, fresh.publicKeys(A, null, null).size());
  }

  @Test
  void aKeyCopiedToAnotherAccountDoesNotOpenThere() throws Exception {
    String b = registry.createAccount().key().accountId();
    keys.sign(A, "x".getBytes(UTF_8));
    Files.writeString(keyFile(b), Files.readString(keyFile(A)).replace(A, b));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> keys.sign(b, "y".getBytes(UTF_8)));
    assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
    assertTrue(e.getMessage().contains(b), e.getMessage());
  }

  @Test
  void anotherMasterKeySignsNothing() throws Exception {
    byte[] before = keys.currentKey(A).value();
    Files.writeString(paths.masterKey(), Base64.getEncoder().encodeToString(Ids.bytes(32)) + "\n");
    AccountSigningKeys fresh = new AccountSigningKeys(registry, paths, clock);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> fresh.sign(A, "y".getBytes(UTF_8)));
    assertTrue(e.getMessage().contains("master key"), e.getMessage());
    assertEquals(1, fresh.publicKeys(A, null, null).size(), "no new key");
    assertArrayEquals(before, fresh.currentKey(A).value());
  }

  @Test
  void unknownAccountsAreRefusedAndGetNoFile() throws Exception {
    for (String account : new String[] {"9999999999999999", "../../etc/passwd", "", null}) {
      assertThrows(IllegalArgumentException.class, () -> keys.currentKey(account));
      assertThrows(IllegalArgumentException.class, () -> keys.rotate(account));
      assertThrows(IllegalArgumentException.class, () -> keys.publicKeys(account, null, null));
      assertThrows(IllegalArgumentException.class, () -> keys.sign(account, "x".getBytes(UTF_8)));
    }
    assertFalse(Files.exists(paths.signingKeys()), "nothing was written");
  }

  @Test
  void concurrentFirstUsesMakeOneKey() throws Exception {
    for (int round = 0; round < 5; round++) {
      String account = registry.createAccount().key().accountId();
      AccountSigningKeys fresh = new AccountSigningKeys(registry, paths, clock);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> signed = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        signed.add(
            pool.submit(
                () -> {
                  go.await();
                  return fresh.sign(account, "first".getBytes(UTF_8)).fingerprint();
                }));
      }
      go.countDown();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      for (Future<String> f : signed) {
        seen.add(f.get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, seen.size(), "one current key: " + seen);
      assertEquals(1, SigningKeyFile.read(keyFile(account), account).size());
    }
  }

  @Test
  void concurrentRotationsAndSignaturesKeepEveryKeyInOrder() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> work = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      work.add(
          pool.submit(
              () -> {
                go.await();
                for (int n = 0; n < 10; n++) {
                  keys.rotate(A);
                }
                return null;
              }));
      work.add(
          pool.submit(
              () -> {
                go.await();
                for (int n = 0; n < 20; n++) {
                  keys.sign(A, "busy".getBytes(UTF_8));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : work) {
      f.get(60, TimeUnit.SECONDS);
    }
    List<PublicKeyInfo> all = keys.publicKeys(A, null, null);
    assertTrue(all.size() == 40 || all.size() == 41, "keys: " + all.size());
    List<SigningKeyFile.StoredKey> onDisk = SigningKeyFile.read(keyFile(A), A);
    assertEquals(all.size(), onDisk.size(), "the file holds what is listed");
    assertEquals(keys.currentKey(A).fingerprint(), all.get(all.size() - 1).fingerprint());
  }

  /** The file with one byte of the sealed private key changed. */
  static String flipSealedByte(String text) {
    String marker = "\"sealedPrivateKey\" : \"";
    int at = text.indexOf(marker) + marker.length();
    int end = text.indexOf('"', at);
    byte[] sealed = Base64.getDecoder().decode(text.substring(at, end));
    sealed[0] ^= 1;
    return text.substring(0, at) + Base64.getEncoder().encodeToString(sealed) + text.substring(end);
  }
}
