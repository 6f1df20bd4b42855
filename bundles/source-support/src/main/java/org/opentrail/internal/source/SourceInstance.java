package org.opentrail.internal.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.opentrail.api.source.SourceInfo;

/**
 * One configured sender of a source (one ConfigAdmin factory configuration): where it posts, which
 * account its events belong to, and the token it authenticates with.
 *
 * <p>Only the SHA-256 of the sender's bearer token is configured and kept, never the token: the
 * token is a random secret the operator gives the service (MinIO's {@code auth_token}, the
 * Kubernetes webhook kubeconfig's {@code token}), so its hash is enough to check it and worthless
 * to whoever reads the configuration. Make one with {@code openssl rand -hex 32} and hash it with
 * {@code printf %s "$TOKEN" | sha256sum}.
 *
 * @param source the source's name (its path segment, {@link SourceInfo#NAME})
 * @param instance the sender's name: 1 to 64 lowercase letters, digits, {@code -} and {@code _}
 * @param accountId the account its events are recorded for (12 to 16 digits)
 * @param tokenSha256 the SHA-256 of the bearer token (32 bytes)
 * @param maxBodyBytes the largest body accepted, after decompression (1 KiB to 64 MiB)
 * @param maxConcurrentRequests requests handled at once; more are answered 429 (1 to 1024)
 */
public record SourceInstance(
    String source,
    String instance,
    String accountId,
    byte[] tokenSha256,
    int maxBodyBytes,
    int maxConcurrentRequests) {
  private static final Pattern INSTANCE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern ACCOUNT = org.opentrail.api.auth.IdentityService.ACCOUNT_ID;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  /**
   * A checked instance.
   *
   * @param accountId the account, or empty for the installation's default account ({@code
   *     defaultAccount})
   * @param tokenSha256Hex 64 hex digits
   * @throws IllegalArgumentException naming the configuration key and what it must be
   */
  public static SourceInstance of(
      String source,
      String instance,
      String accountId,
      String defaultAccount,
      String tokenSha256Hex,
      int maxBodyBytes,
      int maxConcurrentRequests) {
    if (source == null || !SourceInfo.NAME.matcher(source).matches()) {
      throw new IllegalArgumentException("source name '" + source + "' is not a valid name");
    }
    if (instance == null || !INSTANCE.matcher(instance).matches()) {
      throw new IllegalArgumentException(
          "instance='"
              + instance
              + "' is refused: it must be 1 to 64 lowercase letters, digits, '-' or '_'");
    }
    String account = accountId == null || accountId.isBlank() ? defaultAccount : accountId.strip();
    if (account == null || !ACCOUNT.matcher(account).matches()) {
      throw new IllegalArgumentException(
          "account.id='" + account + "' is refused: an account id is 12 to 16 digits");
    }
    if (tokenSha256Hex == null || !SHA256_HEX.matcher(tokenSha256Hex.strip()).matches()) {
      throw new IllegalArgumentException(
          "auth.token.sha256 is required: the 64 hex digits of the SHA-256 of the sender's bearer"
              + " token (printf %s \"$TOKEN\" | sha256sum); the token itself is never configured");
    }
    if (maxBodyBytes < 1024 || maxBodyBytes > 64 << 20) {
      throw new IllegalArgumentException(
          "max.body.bytes=" + maxBodyBytes + " is refused: it must be from 1024 to 67108864");
    }
    if (maxConcurrentRequests < 1 || maxConcurrentRequests > 1024) {
      throw new IllegalArgumentException(
          "max.concurrent.requests="
              + maxConcurrentRequests
              + " is refused: it must be from 1 to 1024");
    }
    return new SourceInstance(
        source,
        instance,
        account,
        HexFormat.of().parseHex(tokenSha256Hex.strip().toLowerCase(java.util.Locale.ROOT)),
        maxBodyBytes,
        maxConcurrentRequests);
  }

  /** Where the sender posts: {@code /sources/<source>/<instance>}. */
  public String path() {
    return org.opentrail.api.source.EventSource.PATH_PREFIX + source + "/" + instance;
  }

  /** The sender as {@code recordedBy.sender} names it: {@code <source>/<instance>}. */
  public String sender() {
    return source + "/" + instance;
  }

  /** Whether {@code token} is the sender's, compared in constant time. */
  public boolean accepts(String token) {
    return token != null && MessageDigest.isEqual(sha256(token), tokenSha256);
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "SourceInstance[" + sender() + " for account " + accountId + "]";
  }
}
