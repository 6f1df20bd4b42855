package org.opentrail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.opentrail.auth.AccountState.KeyEntry;
import org.opentrail.internal.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start of an empty identity store: creates the first account with a root access key and
 * writes that key, once, to an owner-only credentials file (Java properties: {@code account_id},
 * {@code access_key_id}, {@code access_key_secret}) so the operator can sign the first requests. An
 * existing credentials file is never replaced.
 */
final class FirstStart {
  private static final Logger LOG = LoggerFactory.getLogger(FirstStart.class);

  private FirstStart() {}

  /**
   * The file that shows this instance had its first start: beside the master key, apart from the
   * identity store, so losing the store's files cannot pass for a first start.
   */
  static Path marker(AuthPaths paths) {
    return paths.masterKey().resolveSibling("initialized");
  }

  /**
   * Creates the first account if there is none and nothing shows the instance was initialized.
   *
   * @param evidence files that show a first start was done already (the marker, the credentials
   *     file); with any, an empty identity store is an error naming the missing account file, never
   *     a new root account and key
   * @return whether it did
   */
  static boolean run(IdentityStore store, String accountId, AuthPaths paths, List<String> evidence)
      throws IOException {
    Path marker = marker(paths);
    if (!store.snapshot().accounts().isEmpty()) {
      if (!Files.exists(marker)) { // instances initialized before the marker existed
        String first =
            store.snapshot().account(accountId) != null
                ? accountId
                : store.snapshot().accounts().keySet().iterator().next();
        DurableFiles.writeNew(marker, markerText(first));
        return false;
      }
      String first = firstAccount(marker);
      if (first != null && store.snapshot().account(first) == null) {
        String msg =
            "The account file "
                + paths.directory().resolve(first + ".json")
                + " of the first account "
                + first
                + " (named in "
                + marker
                + ") is missing from the identity store: restore it from a backup";
        LOG.error(msg);
        throw new IOException(msg);
      }
      return false;
    }
    Validation.accountId(accountId);
    if (!evidence.isEmpty()) {
      String msg =
          "The identity store "
              + paths.directory()
              + " has no account, but this instance was initialized before ("
              + String.join(", ", evidence)
              + "): the account file "
              + paths.directory().resolve(accountId + ".json")
              + " is missing. Restore the identity store from a backup; a new root account and key"
              + " are not made in its place.";
      LOG.error(msg);
      throw new IOException(msg);
    }
    Path credentials = paths.credentials();
    KeyEntry root = store.createAccount(accountId, Instant.now());
    DurableFiles.writeNew(marker, markerText(accountId));
    String text =
        "# OpenTrail: the root access key of account "
            + accountId
            + ", written once at first start.\n"
            + "# Keep it secret; create more keys with auth:keyadd and delete this file.\n"
            + "account_id="
            + accountId
            + "\naccess_key_id="
            + root.key().accessKeyId()
            + "\naccess_key_secret="
            + root.secret()
            + "\n";
    if (DurableFiles.writeNew(credentials, text.getBytes(StandardCharsets.US_ASCII))) {
      LOG.info(
          "First start: account {} created; its root access key {} is in {} (owner-only)",
          accountId,
          root.key().accessKeyId(),
          credentials);
    } else {
      LOG.warn(
          "First start: account {} created with root access key {}, but {} exists already and was"
              + " left as it is; the new key's secret is not kept anywhere: create another key with"
              + " auth:keyadd in the shell",
          accountId,
          root.key().accessKeyId(),
          credentials);
    }
    return true;
  }

  private static byte[] markerText(String accountId) {
    return ("# OpenTrail: this instance had its first start. Kept apart from the identity store:\n"
            + "# without this file an empty identity store is taken for a first start.\n"
            + "account_id="
            + accountId
            + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The first account named in the marker, or {@code null} if it names none. */
  private static String firstAccount(Path marker) throws IOException {
    for (String line : Files.readAllLines(marker, StandardCharsets.US_ASCII)) {
      if (line.startsWith("account_id=")) {
        return line.substring("account_id=".length()).strip();
      }
    }
    return null;
  }
}
