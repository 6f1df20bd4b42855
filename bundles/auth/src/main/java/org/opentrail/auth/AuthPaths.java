package org.opentrail.auth;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.osgi.framework.BundleContext;

/**
 * Where the auth bundle keeps its files.
 *
 * @param directory the identity store, one {@code <accountId>.json} per account
 * @param masterKey the master key that encrypts access key secrets
 * @param credentials where the first start writes the first root access key
 */
public record AuthPaths(Path directory, Path masterKey, Path credentials) {
  /** The default layout under a data directory. */
  public static AuthPaths under(Path data) {
    return new AuthPaths(
        data.resolve("auth"),
        data.resolve("keys").resolve("master.key"),
        data.resolve("credentials"));
  }

  /**
   * The configured layout, defaults under the framework property {@code opentrail.data} (else the
   * bundle's own data area).
   */
  static AuthPaths of(AuthConfig config, BundleContext context) {
    return of(config, dataDirectory(context));
  }

  /** The data directory: {@code opentrail.data}, else the bundle's own data area. */
  static Path dataDirectory(BundleContext context) {
    String data = context.getProperty("opentrail.data");
    return data != null && !data.isBlank() ? Paths.get(data) : context.getDataFile("").toPath();
  }

  /** The directory of the accounts' digest signing keys, one {@code <accountId>.json} each. */
  Path signingKeys() {
    return directory.resolve("signing-keys");
  }

  /** The configured layout, defaults under {@code data}. */
  static AuthPaths of(AuthConfig config, Path data) {
    AuthPaths d = under(data);
    return new AuthPaths(
        config.directory().isBlank() ? d.directory() : Paths.get(config.directory()),
        config.master_key_file().isBlank() ? d.masterKey() : Paths.get(config.master_key_file()),
        config.credentials_file().isBlank()
            ? d.credentials()
            : Paths.get(config.credentials_file()));
  }
}
