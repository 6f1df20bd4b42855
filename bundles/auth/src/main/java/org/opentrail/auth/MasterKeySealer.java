package org.opentrail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.opentrail.api.auth.SecretSealer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link SecretSealer} under the master key of the identity store ({@link SecretCipher}):
 * AES-256-GCM with a random IV per value and the context as associated data. Waits for the identity
 * registry, which creates the master key at first start.
 */
@Component(service = SecretSealer.class, configurationPid = AuthConfig.PID)
public final class MasterKeySealer implements SecretSealer {
  private static final String AAD_PREFIX = "opentrail secret v1\n";
  private final SecretCipher cipher;

  @Activate
  public MasterKeySealer(
      @Reference IdentitySource identities, AuthConfig config, BundleContext context)
      throws IOException {
    this(AuthPaths.of(config, context));
  }

  /** A sealer over the master key under {@code paths} (which must exist). */
  public MasterKeySealer(AuthPaths paths) throws IOException {
    this.cipher = SecretCipher.existing(paths.masterKey());
  }

  @Override
  public String seal(String context, String plain) {
    SealedSecret s = cipher.seal(AAD_PREFIX + context, plain.getBytes(StandardCharsets.UTF_8));
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX + b64.encodeToString(s.iv()) + ":" + b64.encodeToString(s.data());
  }

  @Override
  public String unseal(String context, String sealed) {
    if (!SecretSealer.isSealed(sealed)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    String[] parts = sealed.substring(PREFIX.length()).split(":", -1);
    SealedSecret s;
    try {
      if (parts.length != 2) {
        throw new IllegalArgumentException("two parts expected");
      }
      s =
          new SealedSecret(
              Base64.getDecoder().decode(parts[0]), Base64.getDecoder().decode(parts[1]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a sealed value is " + PREFIX + "<iv>:<data> in base64");
    }
    byte[] plain = cipher.open(AAD_PREFIX + context, s, "The secret of " + context);
    return new String(plain, StandardCharsets.UTF_8);
  }
}
