package org.opentrail.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.proof.DigestSignature;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.auth.SigningKeyFile.StoredKey;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SigningKeys}: one Ed25519 key pair per account at a time, made with the JDK when the
 * account first needs one, every key ever used kept in {@link SigningKeyFile} under the identity
 * store with the private half sealed under the master key. Validity times are whole seconds (UTC),
 * like digest times. Each account's keys change under that account's lock, so concurrent first uses
 * make one key; a key file that cannot be read is an error for that account until restored, never
 * replaced by a new key (digests signed before would no longer verify).
 */
@Component(service = SigningKeys.class, configurationPid = AuthConfig.PID)
public final class AccountSigningKeys implements SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(AccountSigningKeys.class);

  private final IdentitySource identities;
  private final AuthPaths paths;
  private final SecretCipher cipher;
  private final Clock clock;
  private final Map<String, List<StoredKey>> keys = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** Over the identity registry's store and master key, once the registry has opened them. */
  @Activate
  public AccountSigningKeys(
      @Reference IdentitySource identities, AuthConfig config, BundleContext context)
      throws IOException {
    this(identities, AuthPaths.of(config, context), Clock.systemUTC());
  }

  /**
   * Outside OSGi (tests, tools), over an open registry's files.
   *
   * @throws IOException if the master key is missing or unreadable
   */
  public AccountSigningKeys(IdentitySource identities, AuthPaths paths) throws IOException {
    this(identities, paths, Clock.systemUTC());
  }

  /** With a clock of the caller's. */
  AccountSigningKeys(IdentitySource identities, AuthPaths paths, Clock clock) throws IOException {
    this.identities = identities;
    this.paths = paths;
    this.cipher = SecretCipher.existing(paths.masterKey());
    this.clock = clock;
  }

  /** A changed configuration: the keys stay where they were opened until the next start. */
  @Modified
  void modified(AuthConfig config, BundleContext context) {
    AuthPaths next = AuthPaths.of(config, context);
    if (!next.equals(paths)) {
      LOG.warn(
          "Configuration {}: the signing keys move to {} only at the next start; {} stay in use",
          AuthConfig.PID,
          next.signingKeys(),
          paths.signingKeys());
    }
  }

  @Override
  public PublicKeyInfo currentKey(String accountId) {
    return current(accountId).info();
  }

  @Override
  public List<PublicKeyInfo> publicKeys(String accountId, Instant from, Instant to) {
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("The time range starts (" + from + ") after it ends");
    }
    List<StoredKey> all;
    synchronized (lock(accountId)) {
      all = load(accountId);
    }
    List<PublicKeyInfo> out = new ArrayList<>();
    for (StoredKey k : all) {
      PublicKeyInfo i = k.info();
      boolean startsInTime = to == null || !i.validityStart().isAfter(to);
      boolean lastsLongEnough =
          from == null || i.validityEnd() == null || !i.validityEnd().isBefore(from);
      if (startsInTime && lastsLongEnough) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Also the way on when the current private key no longer opens (the master key was lost): the
   * old public key stays listed, so what it signed still verifies.
   */
  @Override
  public PublicKeyInfo rotate(String accountId) {
    synchronized (lock(accountId)) {
      List<StoredKey> next = new ArrayList<>(load(accountId));
      Instant now = now();
      String ended = null;
      if (!next.isEmpty()) {
        StoredKey last = next.remove(next.size() - 1);
        if (now.isBefore(last.info().validityStart())) {
          now = last.info().validityStart(); // the clock went back: validity stays in order
        }
        next.add(last.endedAt(now));
        ended = last.info().fingerprint();
      }
      StoredKey fresh = SigningKeyFile.generate(cipher, accountId, now);
      next.add(fresh);
      store(accountId, next);
      LOG.info(
          "Signing key of account {} rotated at {}: {} ended, {} signs from now on",
          accountId,
          now,
          ended == null ? "no key" : ended,
          fresh.info().fingerprint());
      return fresh.info();
    }
  }

  @Override
  public DigestSignature sign(String accountId, byte[] data) {
    Objects.requireNonNull(data, "data");
    StoredKey k = current(accountId);
    String fp = k.info().fingerprint();
    String what = "The private signing key " + fp + " of account " + accountId;
    byte[] pkcs8;
    try {
      pkcs8 = cipher.open(SigningKeyFile.associatedData(accountId, fp), k.sealed(), what);
    } catch (IllegalStateException e) {
      LOG.error("{}; nothing was signed", e.getMessage());
      throw e;
    }
    try {
      byte[] signature = Ed25519.sign(Ed25519.privateKey(pkcs8), data);
      if (!Ed25519.verify(Ed25519.publicKey(k.info().value()), data, signature)) {
        throw new GeneralSecurityException("it does not match its public key");
      }
      return new DigestSignature(fp, Ed25519.ALGORITHM, signature);
    } catch (GeneralSecurityException e) {
      String msg = what + " cannot sign (" + e.getMessage() + "): its file is damaged";
      LOG.error("{}; nothing was signed", msg);
      throw new IllegalStateException(msg + "; nothing was signed", e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** The account's current key, made first if it has none. */
  private StoredKey current(String accountId) {
    synchronized (lock(accountId)) {
      List<StoredKey> list = load(accountId);
      if (list.isEmpty()) {
        StoredKey first = SigningKeyFile.generate(cipher, accountId, now());
        list = store(accountId, List.of(first));
        LOG.info(
            "Signing key {} made for account {}: its first", first.info().fingerprint(), accountId);
      }
      return list.get(list.size() - 1);
    }
  }

  /** The lock of an existing account. */
  private Object lock(String accountId) {
    if (accountId == null
        || !IdentityService.ACCOUNT_ID.matcher(accountId).matches()
        || identities.snapshot().account(accountId) == null) {
      throw new IllegalArgumentException(
          "The account " + RamErrors.clip(accountId) + " does not exist");
    }
    return locks.computeIfAbsent(accountId, a -> new Object());
  }

  /** The account's keys, oldest first; none if it never had one. Call under its lock. */
  private List<StoredKey> load(String accountId) {
    List<StoredKey> cached = keys.get(accountId);
    if (cached != null) {
      return cached;
    }
    try {
      List<StoredKey> read = SigningKeyFile.read(file(accountId), accountId);
      if (!read.isEmpty()) {
        keys.put(accountId, read);
      }
      return read;
    } catch (IOException e) {
      String msg =
          "The signing keys of account "
              + accountId
              + " cannot be read: "
              + e.getMessage()
              + ". Restore the file from a backup: a new key is not made in its place, as the"
              + " digests signed before could then not be verified";
      LOG.error(msg);
      throw new IllegalStateException(msg, e);
    }
  }

  /** Stores {@code next} as the account's keys, then uses it. Call under its lock. */
  private List<StoredKey> store(String accountId, List<StoredKey> next) {
    List<StoredKey> copy = List.copyOf(next);
    try {
      SigningKeyFile.write(file(accountId), accountId, copy);
    } catch (IOException e) {
      LOG.error("Could not store the signing keys of account {}", accountId, e);
      throw new IllegalStateException(
          "Could not store the signing keys of account "
              + accountId
              + " in "
              + file(accountId)
              + "; nothing changed: "
              + e.getMessage(),
          e);
    }
    keys.put(accountId, copy);
    return copy;
  }

  private Path file(String accountId) {
    return paths.signingKeys().resolve(accountId + ".json");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
