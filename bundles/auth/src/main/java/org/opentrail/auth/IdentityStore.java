package org.opentrail.auth;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.auth.AccountState.KeyEntry;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity store: every account in memory as an immutable {@link IdentitySnapshot} that readers
 * take without locks, and on disk as one owner-only {@code <accountId>.json} per account. A change
 * is made on a copy, written atomically and durably, and only then published; if the write fails
 * nothing changed.
 */
final class IdentityStore implements IdentitySource {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityStore.class);
  private static final String SUFFIX = ".json";

  private final Path directory;
  private final SecretCipher cipher;
  private volatile IdentitySnapshot snapshot;

  private IdentityStore(Path directory, SecretCipher cipher, IdentitySnapshot snapshot) {
    this.directory = directory;
    this.cipher = cipher;
    this.snapshot = snapshot;
  }

  /** Loads every account under {@code directory} (created owner-only if absent). */
  static IdentityStore open(Path directory, SecretCipher cipher) throws IOException {
    DurableFiles.createPrivateDirectories(directory);
    if (DurableFiles.openToOthers(directory)) {
      LOG.warn("The identity store {} is open to others than its owner; make it 0700", directory);
    }
    List<AccountState> accounts = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        String id = name.substring(0, name.length() - SUFFIX.length());
        AccountState a;
        try {
          byte[] content = Files.readAllBytes(f);
          if (content.length == 0) {
            throw new IOException("it is empty");
          }
          a = AccountCodec.read(content, cipher);
        } catch (IOException | RuntimeException e) {
          // the whole store refuses to open: carrying on without this account would lock its
          // users out with "no such key" and hide that the file needs restoring
          DamagedFileException d = new DamagedFileException(f, e.getMessage(), e);
          LOG.error("{}; the identity store does not open until it is restored", d.getMessage());
          throw d;
        }
        if (!a.accountId.equals(id)) {
          throw new DamagedFileException(f, "it holds account " + a.accountId);
        }
        if (DurableFiles.openToOthers(f)) {
          LOG.warn("The account file {} is open to others than its owner; make it 0600", f);
        }
        accounts.add(a);
      }
    }
    LOG.info("Identity store {}: {} accounts", directory, accounts.size());
    return new IdentityStore(directory, cipher, IdentitySnapshot.of(accounts));
  }

  /** Whether {@code directory} holds any account file. */
  static boolean hasAccounts(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      return files.iterator().hasNext();
    }
  }

  @Override
  public IdentitySnapshot snapshot() {
    return snapshot;
  }

  /** Seals a new secret for an access key. */
  KeyEntry newKey(String accountId, String userName, Instant now) {
    String id;
    do {
      id = Ids.accessKeyId();
    } while (snapshot.key(id) != null);
    String secret = Ids.secret();
    return new KeyEntry(
        new AccessKey(accountId, userName, id, true, now), cipher.seal(id, secret), secret);
  }

  /**
   * Creates an account with a root access key.
   *
   * @return the root key with its secret
   */
  synchronized KeyEntry createAccount(String accountId, Instant now) {
    if (snapshot.account(accountId) != null) {
      throw RamErrors.alreadyExists("Account", accountId);
    }
    AccountChange change = new AccountChange(AccountState.empty(accountId, now));
    KeyEntry root = newKey(accountId, null, now);
    change.addKey(root);
    commit(change.build(), "create account " + accountId);
    return root;
  }

  /**
   * Changes an account: {@code change} edits a copy (or throws, and nothing changes), the result is
   * stored, then published.
   */
  synchronized <T> T update(String accountId, String what, Function<AccountChange, T> change) {
    AccountState current = snapshot.account(accountId);
    if (current == null) {
      throw new OpenTrailException(
          "EntityNotExist.Account", "The account " + accountId + " does not exist.", 404);
    }
    AccountChange copy = new AccountChange(current);
    T result = change.apply(copy);
    commit(copy.build(), what);
    return result;
  }

  private void commit(AccountState next, String what) {
    try {
      DurableFiles.write(directory.resolve(next.accountId + SUFFIX), AccountCodec.write(next));
    } catch (IOException | RuntimeException e) {
      LOG.error("Could not store the change ({}) in {}", what, directory, e);
      throw RamErrors.storeFailed(what, e);
    }
    snapshot = snapshot.with(next);
  }
}
