package org.opentrail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
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
   * Creates the first account if there is none.
   *
   * @return whether it did
   */
  static boolean run(IdentityStore store, String accountId, Path credentials) throws IOException {
    if (!store.snapshot().accounts().isEmpty()) {
      return false;
    }
    Validation.accountId(accountId);
    KeyEntry root = store.createAccount(accountId, Instant.now());
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
}
