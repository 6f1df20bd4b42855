package org.opentrail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This installation's default account: the account of what names none (the local shell, senders
 * configured without one, calls whose caller is unknown). It is {@code default.account.id} of
 * {@link AuthConfig} if set, else the framework property {@code opentrail.account.id} (the launcher
 * sets it from {@code instance.properties}), else an id generated once and kept in {@code <auth
 * directory>/account.id}. A kept file that holds no valid id is an error naming the file, never
 * replaced: a new id would orphan the account's events.
 */
final class DefaultAccount {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultAccount.class);

  private DefaultAccount() {}

  /**
   * @throws IllegalArgumentException for a configured id that is not 12 to 16 digits
   * @throws IllegalStateException if the kept id cannot be read or is damaged
   */
  static String of(String configured, String property, Path directory) {
    for (String given : new String[] {configured, property}) {
      if (given != null && !given.isBlank()) {
        String id = given.strip();
        if (!IdentityService.ACCOUNT_ID.matcher(id).matches()) {
          throw new IllegalArgumentException(
              "The default account id must be 12 to 16 digits: " + id);
        }
        return id;
      }
    }
    Path file = directory.resolve("account.id");
    try {
      if (!Files.exists(file)) {
        DurableFiles.createPrivateDirectories(directory);
        StringBuilder id = new StringBuilder("1");
        SecureRandom r = new SecureRandom();
        while (id.length() < 16) {
          id.append(r.nextInt(10));
        }
        if (DurableFiles.writeNew(file, id.toString().getBytes(StandardCharsets.US_ASCII))) {
          LOG.warn(
              "No account configured (framework property opentrail.account.id); generated {}", id);
          return id.toString();
        }
      }
      String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!IdentityService.ACCOUNT_ID.matcher(kept).matches()) {
        throw new DamagedFileException(
            file, "it holds no account id of 12 to 16 digits; restore it or configure one");
      }
      return kept;
    } catch (IOException e) {
      LOG.error("Cannot keep the generated account id in {}: {}", file, e.getMessage());
      throw new IllegalStateException("Cannot keep the generated account id in " + file, e);
    }
  }
}
